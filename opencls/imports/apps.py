from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "opencls.imports"
    verbose_name = "Import de documents"

    def ready(self):
        from opencls.imports.jobs import KIND
        from opencls.jobs.registry import register_job_kind

        register_job_kind(KIND)
