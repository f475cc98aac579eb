import sys

from django.core.management.base import BaseCommand, CommandError

from opencls.contracts.models import Contract
from opencls.spreadsheets.export import FORMATS, export_plan


class Command(BaseCommand):
    help = (
        "Écrit le plan du contrat ID sur la sortie standard : tableur OpenCLS (xlsx, ods) ou modèle "
        "Territoires en Transitions (tet). Exemple : manage.py export_plan 3 --format ods > plan.ods"
    )

    def add_arguments(self, parser):
        parser.add_argument("contract_id", type=int)
        parser.add_argument("--format", choices=FORMATS, default="xlsx")

    def handle(self, contract_id, format, **options):
        contract = Contract.objects.select_related("territory").filter(pk=contract_id).first()
        if contract is None:
            raise CommandError(f"Aucun contrat n'a l'identifiant {contract_id}.")
        data, warnings = export_plan(contract, format)
        for warning in warnings:
            self.stderr.write(f"ATTENTION  {warning}")
        # Binary: to the real standard output, or to the stream a caller passed (call_command).
        stream = options.get("stdout") or sys.stdout
        stream = getattr(stream, "buffer", stream)
        stream.write(data)
        stream.flush()
