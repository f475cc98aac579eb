from django.apps import AppConfig


class SpreadsheetsConfig(AppConfig):
    name = "opencls.spreadsheets"
    verbose_name = "Tableurs"
