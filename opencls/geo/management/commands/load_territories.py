from django.core.management.base import BaseCommand

from opencls.geo.loader import load_territories


class Command(BaseCommand):
    help = (
        "Charge ou met à jour la géographie officielle (COG : régions, départements, EPCI, communes) "
        "depuis le paquet npm @etalab/decoupage-administratif installé par scripts/setup.sh."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--departements",
            default="",
            help="Codes de départements séparés par des virgules (ex. 59,62) : ne charge que leurs communes.",
        )

    def handle(self, **options):
        departments = [code for code in options["departements"].split(",") if code.strip()] or None
        report = load_territories(departments=departments)
        for line in report.lines():
            self.stdout.write(line)
