from django.apps import AppConfig


class RenewalConfig(AppConfig):
    name = "opencls.renewal"
    verbose_name = "Évaluation finale et renouvellement"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from opencls.core.registry import ContractTab, register_contract_tab, register_history_source
        from opencls.jobs.registry import register_job_kind
        from opencls.renewal.history import RENEWAL_HISTORY_SOURCES
        from opencls.renewal.report import KIND

        register_contract_tab(
            ContractTab(_("Évaluation finale"), "renewal:evaluation", "contract.view", order=37)
        )
        register_job_kind(KIND)
        for source in RENEWAL_HISTORY_SOURCES:
            register_history_source(source)
