from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from opencls.contracts.io import ContractJsonError
from opencls.contracts.services import contract_load_json_bytes


class Command(BaseCommand):
    help = "Crée un contrat depuis un fichier JSON exporté par OpenCLS (tout ou rien)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--coordinator", help="Identifiant de l'utilisateur qui coordonnera le contrat.")

    def handle(self, path, coordinator=None, **options):
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        user = None
        if coordinator:
            user = get_user_model().objects.filter(username=coordinator).first()
            if user is None:
                raise CommandError(f"Aucun utilisateur « {coordinator} ».")
        try:
            contract = contract_load_json_bytes(path.read_bytes(), user=user)
        except ContractJsonError as error:
            raise CommandError(
                "Contrat non importé, rien n'a été enregistré :\n" + "\n".join(error.messages)
            ) from error
        self.stdout.write(f"Contrat {contract.pk} créé : {contract.title}")
