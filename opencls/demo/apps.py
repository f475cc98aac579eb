from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "opencls.demo"
    verbose_name = "Démonstration"
