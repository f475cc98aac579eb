from django.apps import AppConfig


class DiagnosisConfig(AppConfig):
    name = "opencls.diagnosis"
    verbose_name = "Diagnostic"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from opencls.contracts.io import register_json_extension
        from opencls.core.registry import ContractTab, register_contract_tab, register_history_source
        from opencls.diagnosis.history import DIAGNOSIS_HISTORY_SOURCES
        from opencls.diagnosis.io import DIAGNOSIS_JSON

        register_contract_tab(ContractTab(_("Diagnostic"), "diagnosis:page", "contract.view", order=15))
        register_json_extension(DIAGNOSIS_JSON)
        for source in DIAGNOSIS_HISTORY_SOURCES:
            register_history_source(source)
