from datetime import date

import pytest

from opencls.accounts.models import Organisation
from opencls.actions import services
from opencls.actions.models import Action, Involvement
from opencls.testing import factories

pytestmark = pytest.mark.django_db


def test_dates_left_empty_come_from_the_schedule():
    axis = factories.AxisFactory()
    action = services.action_create(
        contract=axis.contract, axis=axis, title="Sport-santé", schedule="Second semestre 2026"
    )
    assert (action.start_date, action.end_date) == (date(2026, 7, 1), date(2026, 12, 31))


def test_a_date_typed_by_hand_is_kept():
    axis = factories.AxisFactory()
    action = services.action_create(
        contract=axis.contract, axis=axis, title="Sport-santé", schedule="Démarrage début 2026",
        start_date=date(2026, 2, 15),
    )  # fmt: skip
    assert (action.start_date, action.end_date) == (date(2026, 2, 15), None)
    services.action_update(action=action, schedule="Premier semestre 2027")
    # The start was typed, so it stays; the end was empty, so it follows the new text.
    assert (action.start_date, action.end_date) == (date(2026, 2, 15), date(2027, 6, 30))


def test_dates_read_from_the_old_schedule_follow_a_new_one():
    action = factories.ActionFactory()
    services.action_update(action=action, schedule="Premier semestre 2026")
    services.action_update(action=action, schedule="Second semestre 2026")
    action.refresh_from_db()
    assert (action.start_date, action.end_date) == (date(2026, 7, 1), date(2026, 12, 31))
    services.action_update(action=action, schedule="Tout au long du contrat")
    assert (action.start_date, action.end_date) == (None, None)


def test_operation_dates_come_from_its_schedule():
    operation = services.operation_create(
        action=factories.ActionFactory(), title="Former", schedule="T2 2026"
    )
    assert (operation.start_date, operation.end_date) == (date(2026, 4, 1), date(2026, 6, 30))


def test_action_moved_to_another_axis_goes_last_there():
    axis = factories.AxisFactory()
    other = factories.AxisFactory(contract=axis.contract)
    existing = factories.ActionFactory(axis=other, position=7)
    action = factories.ActionFactory(axis=axis)
    services.action_update(action=action, axis=other)
    assert action.position == existing.position + 1


def test_move_renumbers_positions_left_equal_by_an_import():
    axis = factories.AxisFactory()
    first, second, third = (factories.ActionFactory(axis=axis, position=0) for _ in range(3))
    services.action_move(action=third, direction="up")
    assert list(Action.objects.filter(axis=axis).order_by("position")) == [first, third, second]
    assert [a.position for a in Action.objects.filter(axis=axis).order_by("position")] == [0, 1, 2]


def test_involvement_with_a_new_organisation_dedupes_by_name():
    action = factories.ActionFactory()
    known = factories.OrganisationFactory(name="Cédr'Agir", kind=Organisation.Kind.ASSOCIATION)
    involvement = services.involvement_add(
        work=action, involvement=Involvement.PARTNER, organisation=None, organisation_name="CEDR’AGIR"
    )
    assert involvement.organisation == known
    lead = services.involvement_add(
        work=action, involvement=Involvement.LEAD, organisation=None, organisation_name="FREDON HDF",
        organisation_kind=Organisation.Kind.ASSOCIATION,
    )  # fmt: skip
    assert lead.organisation.kind == Organisation.Kind.ASSOCIATION
    assert [o.name for o in action.leads] == ["FREDON HDF"]
