from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "opencls.governance"
    verbose_name = "Gouvernance"
