from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "opencls.participation"
    verbose_name = _("Participation des habitants")

    def ready(self):
        from opencls.contracts.io import register_json_extension
        from opencls.core.registry import ContractTab, register_contract_tab, register_history_source
        from opencls.participation.history import PARTICIPATION_HISTORY_SOURCES
        from opencls.participation.io import PARTICIPATION_JSON

        register_contract_tab(
            ContractTab(_("Participation"), "participation:overview", "contract.view", order=45)
        )
        for source in PARTICIPATION_HISTORY_SOURCES:
            register_history_source(source)
        register_json_extension(PARTICIPATION_JSON)
        from opencls.jobs.registry import register_job_kind
        from opencls.participation.jobs import KIND

        register_job_kind(KIND)
