"""The follow-up models in a contract's audit trail ("Historique" page). Descriptions never query."""

from django.utils.translation import gettext_lazy

from opencls.core.registry import HistorySource
from opencls.monitoring.models import (
    DeliverableFollowUp,
    Evaluation,
    Evidence,
    IndicatorTarget,
    IndicatorValue,
    StatusEntry,
)
from opencls.monitoring.periods import Period


def _period(record) -> str:
    try:
        return Period.from_code(record.period).label
    except (ValueError, KeyError):
        return record.period


def _of_indicator(record, related) -> str:
    return f"{related(record, 'indicator')} — {_period(record)}"


def _status(record, related) -> str:
    target = related(record, "operation") or related(record, "action")
    return f"{target} — {record.get_status_display()} ({record.date:%d/%m/%Y})"


MONITORING_HISTORY_SOURCES = [
    HistorySource(
        "status_entry",
        gettext_lazy("Étape de suivi"),
        StatusEntry,
        lambda pk: StatusEntry.history.filter(contract_id=pk),
        _status,
        ("action", "operation"),
    ),
    HistorySource(
        "indicator_value",
        gettext_lazy("Valeur d'indicateur"),
        IndicatorValue,
        lambda pk: IndicatorValue.history.filter(contract_id=pk),
        _of_indicator,
        ("indicator",),
    ),
    HistorySource(
        "indicator_target",
        gettext_lazy("Cible d'indicateur"),
        IndicatorTarget,
        lambda pk: IndicatorTarget.history.filter(contract_id=pk),
        _of_indicator,
        ("indicator",),
    ),
    HistorySource(
        "deliverable_follow_up",
        gettext_lazy("Suivi de livrable"),
        DeliverableFollowUp,
        lambda pk: DeliverableFollowUp.history.filter(contract_id=pk),
        lambda record, related: str(related(record, "deliverable")),
        ("deliverable",),
    ),
    HistorySource(
        "evidence",
        gettext_lazy("Pièce justificative"),
        Evidence,
        lambda pk: Evidence.history.filter(contract_id=pk),
        lambda record, related: f"{record.original_name} — {related(record, 'deliverable')}",
        ("deliverable",),
    ),
    HistorySource(
        "evaluation",
        gettext_lazy("Évaluation annuelle"),
        Evaluation,
        lambda pk: Evaluation.history.filter(contract_id=pk),
        lambda record, related: str(record.year),
    ),
]
