from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "opencls.territories"
    verbose_name = "Territoires"
