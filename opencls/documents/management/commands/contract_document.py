import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opencls.contracts.models import Contract
from opencls.documents import contract_document


class Command(BaseCommand):
    help = "Écrit le contrat ID prêt à signer (articles, plan d'actions, fiches en annexe, signatures) en PDF ou DOCX."

    def add_arguments(self, parser):
        parser.add_argument("contract_id", type=int)
        parser.add_argument("--format", choices=["pdf", "docx"], default="pdf")
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--public", action="store_true", help="Sans les fiches actions non publiées.")

    def handle(self, contract_id, format, output, public=False, **options):  # noqa: A002
        contract = Contract.objects.filter(pk=contract_id).first()
        if contract is None:
            raise CommandError(f"Aucun contrat n'a l'identifiant {contract_id}.")
        started = time.perf_counter()
        data = contract_document.contract_document_data(contract, public=public)
        content = (
            contract_document.render_pdf(data) if format == "pdf" else contract_document.render_docx(data)
        )
        output.write_bytes(content)
        self.stdout.write(
            f"{output} : {len(content) // 1024} Ko écrits en {time.perf_counter() - started:.2f} s"
        )
