from django.core.management.base import BaseCommand, CommandError

from opencls.operations.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Écrit une sauvegarde cohérente de l'instance (base de données, fichiers déposés, manifeste "
        "avec sommes de contrôle SHA-256) dans une archive tar.gz."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="Fichier d'archive à écrire (.tar.gz).")
        parser.add_argument(
            "--no-pg-dump",
            action="store_true",
            help="Sur PostgreSQL, ne pas joindre de pg_dump (seulement l'export portable dumpdata).",
        )

    def handle(self, *args, output, no_pg_dump, **options):
        try:
            create_backup(output, use_pg_dump=not no_pg_dump, stdout=self.stdout)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
