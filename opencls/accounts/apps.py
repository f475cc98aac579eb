from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "opencls.accounts"
    verbose_name = "Comptes et organisations"
