from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "opencls.actions"
    verbose_name = "Fiches actions"
