from django.core.management.base import BaseCommand

from opencls.demo.services import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Charge les contrats de démonstration (003 Lens-Liévin, 004 Marque et Mélantois) et les comptes de démo."

    def handle(self, **options):
        logins = load_demo(self.stdout)
        self.stdout.write(f"\nDémo prête — comptes (mot de passe pour tous : « {DEMO_PASSWORD} ») :\n")
        for username, description in logins:
            self.stdout.write(f"  • {username} — {description}\n")
