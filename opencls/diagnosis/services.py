"""Writes of the diagnosis: every one a transaction, every row in the contract's history."""

from django.db import transaction
from django.db.models import Max

from opencls.actions.models import Indicator
from opencls.contracts.models import Contract, DiagnosisIndicator


def _next_position(queryset) -> int:
    return (queryset.aggregate(top=Max("position"))["top"] or 0) + 1


@transaction.atomic
def row_create(*, contract: Contract, form):
    """Save a new figure, care supply line or section at the end of its list."""
    row = form.save(commit=False)
    row.contract = contract
    row.position = _next_position(type(row).objects.filter(contract=contract))
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def row_update(*, form):
    row = form.save(commit=False)
    row.full_clean()
    row.save()  # an untouched row writes nothing (core/unchanged.py)
    return row


@transaction.atomic
def row_delete(*, row) -> None:
    if isinstance(row, DiagnosisIndicator):
        # The indicators that started from it keep their history; their link is cleared, recorded.
        for indicator in Indicator.objects.filter(baseline=row):
            indicator.baseline = None
            indicator.save(update_fields=["baseline"])
    row.delete()


@transaction.atomic
def row_move(*, row, direction: int) -> None:
    """Swap the row with its neighbour above (-1) or below (+1)."""
    siblings = list(type(row).objects.filter(contract_id=row.contract_id))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == row.pk)
    other = index + direction
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])


@transaction.atomic
def baselines_set(*, figure: DiagnosisIndicator, indicators) -> int:
    """Make `figure` the baseline of exactly `indicators` (of its contract); returns the changes."""
    chosen = {indicator.pk for indicator in indicators}
    changed = 0
    for indicator in Indicator.objects.filter(action__contract_id=figure.contract_id).select_for_update():
        wanted = (
            figure.pk
            if indicator.pk in chosen
            else (None if indicator.baseline_id == figure.pk else indicator.baseline_id)
        )
        if indicator.baseline_id != wanted:
            indicator.baseline_id = wanted
            indicator.save(update_fields=["baseline"])
            changed += 1
    return changed
