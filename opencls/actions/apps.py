from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "opencls.actions"
    verbose_name = "Fiches actions"

    def ready(self):
        from opencls.core.registry import ContractTab, register_contract_tab

        register_contract_tab(ContractTab("Édition", "contracts:edit", "contract.change", order=20))
