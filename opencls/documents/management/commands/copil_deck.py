from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from opencls.contracts.models import Contract
from opencls.documents import deck


class Command(BaseCommand):
    help = "Écrit le diaporama du comité de pilotage du contrat ID (PPTX) : avancement, graphiques, alertes, décisions."

    def add_arguments(self, parser):
        parser.add_argument("contract_id", type=int)
        parser.add_argument("--output", type=Path, required=True)

    def handle(self, contract_id, output, **options):
        contract = Contract.objects.filter(pk=contract_id).first()
        if contract is None:
            raise CommandError(f"Aucun contrat n'a l'identifiant {contract_id}.")
        content = deck.render_pptx(deck.deck_data(contract, today=timezone.localdate()))
        output.write_bytes(content)
        self.stdout.write(f"{output} : {len(content) // 1024} Ko écrits")
