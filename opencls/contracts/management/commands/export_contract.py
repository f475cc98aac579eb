from django.core.management.base import BaseCommand, CommandError

from opencls.contracts.io import contract_to_json_text
from opencls.contracts.models import Contract


class Command(BaseCommand):
    help = "Écrit le contrat ID en JSON (schéma docs/contract-schema.json) sur la sortie standard."

    def add_arguments(self, parser):
        parser.add_argument("contract_id", type=int)

    def handle(self, contract_id, **options):
        contract = Contract.objects.filter(pk=contract_id).first()
        if contract is None:
            raise CommandError(f"Aucun contrat n'a l'identifiant {contract_id}.")
        self.stdout.write(contract_to_json_text(contract), ending="")
