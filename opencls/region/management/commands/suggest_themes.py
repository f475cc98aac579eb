from django.core.management.base import BaseCommand, CommandError

from opencls.contracts.models import Contract
from opencls.region.themes import suggest_themes


class Command(BaseCommand):
    help = "Suggère des thèmes aux fiches actions d'un contrat (ou de tous) d'après leur texte."

    def add_arguments(self, parser):
        parser.add_argument("contract", nargs="*", type=int, help="identifiant(s) du contrat (tous sinon)")

    def handle(self, *args, **options):
        ids = options["contract"]
        contracts = Contract.objects.filter(pk__in=ids) if ids else Contract.objects.all()
        if ids and contracts.count() != len(set(ids)):
            raise CommandError("Contrat introuvable.")
        for contract in contracts.order_by("pk"):
            added = suggest_themes(contract)
            self.stdout.write(f"{contract} : {added} thème(s) suggéré(s)\n")
