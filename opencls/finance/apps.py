from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "opencls.finance"
    verbose_name = "Financements"
