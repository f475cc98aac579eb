from django.apps import AppConfig


class RenewalConfig(AppConfig):
    name = "opencls.renewal"
    verbose_name = "Évaluation finale et renouvellement"
