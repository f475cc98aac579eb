from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "opencls.imports"
    verbose_name = "Import de documents"
