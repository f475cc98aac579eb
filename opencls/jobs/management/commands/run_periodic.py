"""Queues the periodic commands (settings.OPENCLS_PERIODIC_COMMANDS) for the job workers.

Started every day by deploy/opencls-daily.timer (or deploy/crontab). Commands that are not
installed are reported and skipped. `--now` runs them here instead of queuing them."""

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

from opencls.jobs.tasks import run_command


class Command(BaseCommand):
    help = "Met en file les commandes périodiques (relances…) pour les processus de traitement."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Exécute les commandes ici, sans les mettre en file."
        )

    def handle(self, *args, now=False, **options):
        available = get_commands()
        for name in settings.OPENCLS_PERIODIC_COMMANDS:
            if name not in available:
                self.stderr.write(f"Commande périodique absente, ignorée : {name}")
            elif now:
                call_command(name)
                self.stdout.write(f"Exécutée : {name}")
            else:
                result = run_command.enqueue(name)
                self.stdout.write(f"Mise en file : {name} (tâche {result.id})")
