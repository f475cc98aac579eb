from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "opencls.core"
    verbose_name = "Socle"
