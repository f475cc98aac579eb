import json

from django.core.management.base import BaseCommand, CommandError

from opencls.operations.smoke import smoke_check


class Command(BaseCommand):
    help = (
        "Vérifications rapides après une mise à jour ou une restauration : pages principales par rôle "
        "(comptes de démo par défaut) et export JSON valide de chaque contrat."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", action="append", dest="users", help="Compte à utiliser (répétable).")

    def handle(self, *args, users, **options):
        result = smoke_check(tuple(users) if users else ("coordination", "ars"))
        self.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        if result["failures"] or not result["contracts"]:
            raise CommandError(f"{len(result['failures'])} vérification(s) en échec.")
