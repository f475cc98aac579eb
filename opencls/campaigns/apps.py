from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "opencls.campaigns"
    verbose_name = _("Campagnes annuelles")

    def ready(self):
        from opencls.campaigns.history import CAMPAIGN_HISTORY_SOURCES
        from opencls.campaigns.locks import connect_guards
        from opencls.core.registry import ContractTab, register_contract_tab, register_history_source

        register_contract_tab(ContractTab(_("Campagne"), "campaigns:index", "contract.view", order=35))
        connect_guards()
        for source in CAMPAIGN_HISTORY_SOURCES:
            register_history_source(source)
