from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "opencls.contracts"
    verbose_name = "Contrats"
