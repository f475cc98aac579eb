from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionConfig(AppConfig):
    name = "opencls.region"
    verbose_name = _("Vue régionale")

    def ready(self):
        from opencls.contracts.io import register_json_extension
        from opencls.core.registry import ContractTab, register_contract_tab, register_history_source
        from opencls.region.history import REGION_HISTORY_SOURCES
        from opencls.region.io import THEMES_JSON

        register_json_extension(THEMES_JSON)
        from opencls.jobs.registry import register_job_kind
        from opencls.region.jobs import KIND

        register_job_kind(KIND)

        register_contract_tab(ContractTab(_("Thèmes"), "region:contract_themes", "contract.view", order=38))

        for source in REGION_HISTORY_SOURCES:
            register_history_source(source)
