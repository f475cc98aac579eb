from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "opencls.monitoring"
    verbose_name = "Suivi et évaluation"
