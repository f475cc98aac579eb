from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "opencls.jobs"
    verbose_name = _("Tâches de fond")

    def ready(self):
        from opencls.core.registry import HistorySource, register_history_source
        from opencls.jobs.models import Job

        register_history_source(
            HistorySource(
                key="jobs",
                label=_("Tâches de fond"),
                model=Job,
                scope=lambda contract_pk: Job.history.filter(contract_id=contract_pk),
                describe=lambda record, related: f"{record.label} — {record.get_status_display()}",
            )
        )
