from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "opencls.governance"
    verbose_name = _("Gouvernance")

    def ready(self):
        from opencls.contracts.io import register_json_extension
        from opencls.core.registry import (
            ContractTab,
            register_alert_provider,
            register_contract_tab,
            register_history_source,
        )
        from opencls.governance.history import GOVERNANCE_HISTORY_SOURCES
        from opencls.governance.io import GOVERNANCE_JSON
        from opencls.governance.rules import governance_alerts

        register_contract_tab(ContractTab(_("Gouvernance"), "governance:overview", "contract.view", order=40))
        register_alert_provider(governance_alerts)
        for source in GOVERNANCE_HISTORY_SOURCES:
            register_history_source(source)
        register_json_extension(GOVERNANCE_JSON)
