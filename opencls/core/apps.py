from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "opencls.core"
    verbose_name = "Socle"

    def ready(self):
        from opencls.core.history_sources import CORE_HISTORY_SOURCES
        from opencls.core.registry import ContractTab, register_contract_tab, register_history_source

        register_contract_tab(
            ContractTab(_("Historique"), "core:contract_history", "contract.view", order=900)
        )
        for source in CORE_HISTORY_SOURCES:
            register_history_source(source)

        from opencls.core.unchanged import install_unchanged_guard

        install_unchanged_guard()
