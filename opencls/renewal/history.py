"""The final evaluation in a contract's audit trail ("Historique" page)."""

from django.utils.translation import gettext_lazy as _

from opencls.core.history_sources import as_instance
from opencls.core.registry import HistorySource
from opencls.renewal.models import ActionConclusion, FinalEvaluation

RENEWAL_HISTORY_SOURCES = [
    HistorySource(
        "final_evaluation",
        _("Évaluation finale"),
        FinalEvaluation,
        lambda pk: FinalEvaluation.history.filter(contract_id=pk),
        lambda record, related: str(_("Évaluation finale du contrat")),
    ),
    HistorySource(
        "action_conclusion",
        _("Conclusion sur une fiche action"),
        ActionConclusion,
        lambda pk: ActionConclusion.history.filter(contract_id=pk),
        as_instance,
    ),
]
