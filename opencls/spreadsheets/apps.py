from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpreadsheetsConfig(AppConfig):
    name = "opencls.spreadsheets"
    verbose_name = _("Tableurs")

    def ready(self):
        from opencls.core.registry import ContractTab, register_contract_tab

        register_contract_tab(ContractTab(_("Tableur"), "spreadsheets:home", "contract.export", order=80))
