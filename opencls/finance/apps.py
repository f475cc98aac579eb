from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "opencls.finance"
    verbose_name = "Financements"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from opencls.core.registry import (
            ContractTab,
            register_alert_provider,
            register_contract_tab,
            register_history_source,
        )
        from opencls.finance.alerts import finance_alerts
        from opencls.finance.history import FINANCE_HISTORY_SOURCES

        register_contract_tab(ContractTab(_("Financements"), "finance:overview", "finance.view", order=60))
        register_alert_provider(finance_alerts)
        for source in FINANCE_HISTORY_SOURCES:
            register_history_source(source)

        # Issue 17: the coordinator post's co-financing travels in the contract JSON.
        from opencls.contracts.io import register_json_extension
        from opencls.finance.io import FINANCE_JSON

        register_json_extension(FINANCE_JSON)
