from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationConfig(AppConfig):
    name = "opencls.publication"
    verbose_name = _("Page publique et participation des habitants")

    def ready(self):
        from opencls.core.registry import ContractTab, register_contract_tab, register_history_source
        from opencls.publication.documents import builtin_documents, register_public_document_provider
        from opencls.publication.history import PUBLICATION_HISTORY_SOURCES

        register_contract_tab(
            ContractTab(_("Publication"), "contracts:publish", "contract.publish", order=95)
        )
        for source in PUBLICATION_HISTORY_SOURCES:
            register_history_source(source)
        register_public_document_provider(builtin_documents)
