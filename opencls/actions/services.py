"""Writes on fiches actions and what hangs from them: operations, porteurs and partners,
deliverables, indicators. Views pass a form's cleaned data."""

from django.db import transaction

from opencls.accounts.models import Organisation
from opencls.actions.models import (
    Action,
    ActionOrganisation,
    Deliverable,
    Indicator,
    Operation,
    OperationOrganisation,
    ScheduledWork,
)
from opencls.actions.schedule import parse_schedule
from opencls.contracts.editor_services import assign, next_position, organisation_pick, sibling_move
from opencls.contracts.models import Contract


def fill_dates_from_schedule(work: ScheduledWork, previous_schedule: str = "") -> None:
    """Dates left empty are read from the schedule text. A date the previous text had given
    follows the text when it changes; a date typed by hand is kept."""
    before = parse_schedule(previous_schedule)
    after = parse_schedule(work.schedule)
    changed = previous_schedule != work.schedule
    for index, name in enumerate(("start_date", "end_date")):
        current = getattr(work, name)
        if current is None or (changed and current == before[index]):
            setattr(work, name, after[index])


def set_neighbourhoods(work: ScheduledWork, neighbourhoods) -> None:
    """The QPV a work serves; only when they change, so an untouched form writes no history."""
    if neighbourhoods is None:
        return
    wanted = {n.pk for n in neighbourhoods}
    if set(work.neighbourhoods.values_list("pk", flat=True)) != wanted:
        work.neighbourhoods.set(wanted)


@transaction.atomic
def action_create(*, contract: Contract, axis, neighbourhoods=None, **fields) -> Action:
    action = Action(contract=contract, axis=axis, position=next_position(axis.actions.all()), **fields)
    fill_dates_from_schedule(action)
    action.save()
    set_neighbourhoods(action, neighbourhoods)
    return action


@transaction.atomic
def action_update(*, action: Action, neighbourhoods=None, **fields) -> Action:
    previous_schedule, previous_axis_id = action.schedule, action.axis_id
    assign(action, fields)
    if action.axis_id != previous_axis_id:
        action.position = next_position(Action.objects.filter(axis_id=action.axis_id))
    fill_dates_from_schedule(action, previous_schedule)
    action.save()
    set_neighbourhoods(action, neighbourhoods)
    return action


def action_delete(*, action: Action) -> None:
    action.delete()


def action_move(*, action: Action, direction: str) -> None:
    sibling_move(action, Action.objects.filter(axis_id=action.axis_id), direction)


@transaction.atomic
def operation_create(*, action: Action, neighbourhoods=None, **fields) -> Operation:
    operation = Operation(action=action, position=next_position(action.operations.all()), **fields)
    fill_dates_from_schedule(operation)
    operation.save()
    set_neighbourhoods(operation, neighbourhoods)
    return operation


@transaction.atomic
def operation_update(*, operation: Operation, neighbourhoods=None, **fields) -> Operation:
    previous_schedule = operation.schedule
    assign(operation, fields)
    fill_dates_from_schedule(operation, previous_schedule)
    operation.save()
    set_neighbourhoods(operation, neighbourhoods)
    return operation


def operation_delete(*, operation: Operation) -> None:
    operation.delete()


def operation_move(*, operation: Operation, direction: str) -> None:
    sibling_move(operation, Operation.objects.filter(action_id=operation.action_id), direction)


@transaction.atomic
def involvement_add(
    *, work: Action | Operation, involvement: str, organisation: Organisation | None,
    organisation_name: str = "", organisation_kind: str = "",
) -> ActionOrganisation | OperationOrganisation:  # fmt: skip
    """Make an organisation (picked, found by name or created) porteur or partner of the work."""
    organisation = organisation_pick(
        organisation=organisation, name=organisation_name, kind=organisation_kind
    )
    return work.involvements.create(
        organisation=organisation,
        involvement=involvement,
        position=next_position(work.involvements.filter(involvement=involvement)),
    )


def involvement_remove(*, involvement: ActionOrganisation | OperationOrganisation) -> None:
    involvement.delete()


def deliverable_create(*, action: Action, **fields) -> Deliverable:
    return Deliverable.objects.create(
        action=action, position=next_position(action.deliverables.all()), **fields
    )


def deliverable_update(*, deliverable: Deliverable, **fields) -> Deliverable:
    assign(deliverable, fields)
    deliverable.save()
    return deliverable


def deliverable_delete(*, deliverable: Deliverable) -> None:
    deliverable.delete()


def indicator_create(*, action: Action, **fields) -> Indicator:
    return Indicator.objects.create(action=action, position=next_position(action.indicators.all()), **fields)


def indicator_update(*, indicator: Indicator, **fields) -> Indicator:
    assign(indicator, fields)
    indicator.save()
    return indicator


def indicator_delete(*, indicator: Indicator) -> None:
    indicator.delete()
