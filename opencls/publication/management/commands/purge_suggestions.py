from django.conf import settings
from django.core.management.base import BaseCommand

from opencls.publication.services import purge_old_personal_data


class Command(BaseCommand):
    help = "Efface les noms et adresses des messages d'habitants modérés depuis plus d'un an (réglable)."

    def handle(self, *args, **options):
        count = purge_old_personal_data(older_than_days=settings.OPENCLS_SUGGESTION_PERSONAL_DATA_DAYS)
        self.stdout.write(f"{count} message(s) anonymisé(s).\n")
