from django.core.management.base import BaseCommand, CommandError

from opencls.operations.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Reconstruit une instance vide depuis une sauvegarde (manage.py backup) : sommes de contrôle "
        "vérifiées d'abord, base de données restaurée en une seule transaction, puis migrations."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Archive écrite par manage.py backup.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Remplacer les données d'une base qui n'est pas vide (elles seront perdues).",
        )

    def handle(self, *args, archive, force, **options):
        try:
            restore_backup(archive, force=force, stdout=self.stdout)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
