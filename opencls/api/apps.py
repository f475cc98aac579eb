from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "opencls.api"
    verbose_name = "API"
