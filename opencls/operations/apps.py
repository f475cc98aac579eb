from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running an instance: backups and restores, upgrades (docs/exploitation.md)."""

    name = "opencls.operations"
    verbose_name = "Exploitation"
