from datetime import date

from django.core.management.base import BaseCommand, CommandError

from opencls.campaigns.reminders import send_reminders


class Command(BaseCommand):
    help = "Envoie les rappels de campagne dus (avant la date limite, puis en retard) ; idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Date du jour à simuler (AAAA-MM-JJ).")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as error:
            raise CommandError("Date invalide : attendu AAAA-MM-JJ.") from error
        sent = send_reminders(today)
        for campaign, user, kind in sent:
            self.stdout.write(f"{campaign.contract} — {campaign} — {user.email} ({kind})")
        self.stdout.write(self.style.SUCCESS(f"{len(sent)} rappel(s) envoyé(s)."))
