from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "opencls.monitoring"
    verbose_name = "Suivi et évaluation"

    def ready(self):
        from opencls.core.registry import ContractTab, register_alert_provider, register_contract_tab
        from opencls.monitoring.alerts import monitoring_alerts

        register_contract_tab(ContractTab(_("Suivi"), "monitoring:dashboard", "contract.view", order=30))
        register_contract_tab(
            ContractTab(_("Évaluation"), "monitoring:evaluation_index", "contract.view", order=35)
        )
        register_alert_provider(monitoring_alerts)

        from opencls.core.registry import register_history_source
        from opencls.monitoring.history import MONITORING_HISTORY_SOURCES

        for source in MONITORING_HISTORY_SOURCES:
            register_history_source(source)
        from opencls.jobs.registry import register_job_kind
        from opencls.monitoring.jobs import KIND

        register_job_kind(KIND)
