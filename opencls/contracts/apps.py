from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "opencls.contracts"
    verbose_name = "Contrats"

    def ready(self):
        from opencls.core.registry import ContractTab, register_contract_tab

        register_contract_tab(ContractTab("Vue d'ensemble", "contracts:detail", "contract.view", order=0))
