from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "opencls.people"
    verbose_name = _("Personnes et invitations")

    def ready(self):
        from opencls.core.registry import ContractTab, register_contract_tab, register_history_source
        from opencls.people.history import PEOPLE_HISTORY_SOURCES

        register_contract_tab(ContractTab(_("Personnes"), "people:list", "role.change", order=90))
        for source in PEOPLE_HISTORY_SOURCES:
            register_history_source(source)
