from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    name = "opencls.opendata"
    verbose_name = "Données ouvertes"
