from datetime import date

from django.core.management.base import BaseCommand, CommandError

from opencls.notifications.services import digest_week, send_digests


class Command(BaseCommand):
    help = (
        "Envoie le résumé hebdomadaire des notifications non lues de la semaine passée aux personnes "
        "qui l'ont choisi ; idempotent (jamais deux résumés pour la même personne et la même semaine)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Date du jour à simuler (AAAA-MM-JJ).")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as error:
            raise CommandError("Date invalide : attendu AAAA-MM-JJ.") from error
        sent = send_digests(today)
        for user, count in sent:
            self.stdout.write(f"{user.email} : {count} notification(s)")
        week = digest_week(today) if today else None
        shown = f" (semaine du {week:%d/%m/%Y})" if week else ""
        self.stdout.write(self.style.SUCCESS(f"{len(sent)} résumé(s) envoyé(s){shown}."))
