from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpreadsheetsConfig(AppConfig):
    name = "opencls.spreadsheets"
    verbose_name = _("Tableurs")

    def ready(self):
        from opencls.contracts.io import register_json_extension
        from opencls.core.registry import ContractTab, register_contract_tab
        from opencls.spreadsheets.io import SPREADSHEETS_JSON

        register_contract_tab(ContractTab(_("Tableur"), "spreadsheets:home", "contract.export", order=80))
        register_json_extension(SPREADSHEETS_JSON)

        from opencls.jobs.registry import register_job_kind
        from opencls.spreadsheets.jobs import KIND

        register_job_kind(KIND)

        from opencls.core.registry import HistorySource, register_history_source
        from opencls.spreadsheets.models import ActionPlanDetails

        register_history_source(
            HistorySource(
                "action_plan_details",
                _("Compléments de fiche action (tableur)"),
                ActionPlanDetails,
                lambda pk: ActionPlanDetails.history.filter(contract_id=pk),
                lambda record, related: str(related(record, "action")),
                ("action",),
            )
        )
