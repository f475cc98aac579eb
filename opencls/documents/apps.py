from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "opencls.documents"
    verbose_name = _("Documents du contrat")

    def ready(self):
        from opencls.contracts.io import register_json_extension
        from opencls.core.registry import ContractTab, register_contract_tab, register_history_source
        from opencls.documents.history import DOCUMENTS_HISTORY_SOURCES
        from opencls.documents.io import DOCUMENTS_JSON
        from opencls.documents.jobs import KINDS
        from opencls.jobs.registry import register_job_kind

        register_contract_tab(ContractTab(_("Calendrier"), "documents:calendar", "contract.view", order=35))
        for source in DOCUMENTS_HISTORY_SOURCES:
            register_history_source(source)
        register_json_extension(DOCUMENTS_JSON)
        for kind in KINDS:
            register_job_kind(kind)
