"""The grid with broken-down indicators, the per-operation grid of a porteur of operations, and
breakdowns through the lock, the spreadsheet and the API (issue 13)."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from opencls.actions.measures import DEFAULT_SATISFACTION_LEVELS, Measure
from opencls.campaigns import locks
from opencls.campaigns.models import ActionReport, Campaign, ReportState
from opencls.campaigns.tests.test_locks import approving_meeting
from opencls.contracts.models import ContractRole
from opencls.monitoring import services as monitoring
from opencls.monitoring.models import DeliverableFollowUp, IndicatorValue, Status, StatusEntry
from opencls.spreadsheets.export import export_plan
from opencls.spreadsheets.services import PlanApplyError, plan_apply, plan_diff, plan_file_read
from opencls.spreadsheets.tests.helpers import column_of, edited, row_of
from opencls.testing import factories

pytestmark = pytest.mark.django_db
R = ContractRole.Role
TYPES = ["Femmes", "Hommes"]
LEVELS = DEFAULT_SATISFACTION_LEVELS


@pytest.fixture
def world():
    org, op_org, other_op_org = (factories.OrganisationFactory() for _ in range(3))
    contract = factories.ContractFactory(start_date=date(2024, 1, 1), end_date=date(2027, 12, 31))
    for name in ("Avesnes-sur-Helpe", "Fourmies"):
        factories.MunicipalityFactory(territory=contract.territory, name=name)
    axis = factories.AxisFactory(contract=contract)
    action = factories.ActionFactory(contract=contract, axis=axis, leads=[org])
    op_a = factories.OperationFactory(action=action, leads=[op_org])
    op_b = factories.OperationFactory(action=action, leads=[other_op_org])

    def indicator(kind, categories=(), **kwargs):
        return factories.IndicatorFactory(
            action=action, measure_kind=kind, categories=list(categories), **kwargs
        )

    indicators = {
        "typology": indicator(Measure.CATEGORIES, TYPES),
        "satisfaction": indicator(Measure.SATISFACTION, LEVELS),
        "communes": indicator(Measure.MUNICIPALITIES),
        "percentage": indicator(Measure.PERCENTAGE),
        "op_a": indicator(Measure.CATEGORIES, TYPES, operation=op_a),
        "op_b": indicator(Measure.NUMBER, operation=op_b),
    }
    deliverables = {
        "action": factories.DeliverableFactory(action=action),
        "op_a": factories.DeliverableFactory(action=action, operation=op_a),
        "op_b": factories.DeliverableFactory(action=action, operation=op_b),
    }
    campaign = Campaign.objects.create(contract=contract, year=2025, deadline=date(2026, 3, 31))
    report = ActionReport.objects.create(campaign=campaign, action=action)
    return {
        "contract": contract,
        "action": action,
        "op_a": op_a,
        "op_b": op_b,
        "indicators": indicators,
        "deliverables": deliverables,
        "report": report,
        "porteur": factories.user_with_role(contract, R.LEAD, organisation=org),
        "op_porteur": factories.user_with_role(contract, R.LEAD, organisation=op_org),
        "coordinator": factories.user_with_role(contract, R.COORDINATOR),
    }


def grid_url(world, action=None):
    args = [world["contract"].pk, 2025] + ([action.pk] if action else [])
    return reverse("campaigns:grid_action" if action else "campaigns:grid", args=args)


def name(world, key, part=None):
    base = f"a{world['action'].pk}-v{world['indicators'][key].pk}_2025"
    return base if part is None else f"{base}_k{part}"


def breakdown_post(world):
    return {
        f"a{world['action'].pk}-status": Status.IN_PROGRESS,
        name(world, "typology", 0): "7",
        name(world, "typology", 1): "5,5",
        **{name(world, "satisfaction", i): n for i, n in enumerate(["0", "1", "3", "10", "6"])},
        name(world, "communes", 0): "2",
        name(world, "communes", 1): "3",
        name(world, "percentage"): "42,5",
        name(world, "op_a", 0): "1",
        name(world, "op_b"): "4",
    }


def stored(world, key):
    return IndicatorValue.objects.get(indicator=world["indicators"][key], period="2025")


def test_one_post_saves_a_full_action_with_breakdowns_and_a_pinned_query_count(
    client, world, django_assert_num_queries
):
    client.force_login(world["porteur"])
    page = client.get(grid_url(world, world["action"])).content.decode()
    assert "Avesnes-sur-Helpe" in page and "Très satisfait" in page and "Femmes" in page
    assert 'inputmode="decimal"' in page and "Pourcentage (de 0 à 100)" in page
    with django_assert_num_queries(70):
        response = client.post(grid_url(world, world["action"]), breakdown_post(world))
    assert response.status_code == 302
    typology = stored(world, "typology")
    assert (typology.value, typology.breakdown) == (Decimal("12.5"), {"Femmes": "7", "Hommes": "5.5"})
    assert stored(world, "satisfaction").value == Decimal("80")  # 16 of 20 satisfied
    assert stored(world, "communes").breakdown == {"Avesnes-sur-Helpe": "2", "Fourmies": "3"}
    assert stored(world, "percentage").value == Decimal("42.5")
    # Untouched, the grid saves nothing; one category changed, the total shown follows it.
    again = client.post(grid_url(world, world["action"]), breakdown_post(world) | {"draft": ""})
    assert again.status_code == 302 and IndicatorValue.history.count() == 6
    post = breakdown_post(world) | {name(world, "typology"): "12,5", name(world, "typology", 0): "8"}
    assert client.post(grid_url(world, world["action"]), post).status_code == 302
    assert stored(world, "typology").value == Decimal("13.5")


@pytest.mark.parametrize(
    ("field", "raw", "message"),
    [
        (("percentage", None), "120", "entre 0 et 100"),
        (("typology", None), "99", "ne correspond pas à la somme"),
        (("satisfaction", 2), "2,5", "entier"),
        (("typology", 0), "-3", "positif"),
        (("communes", 1), "deux", "Saisissez un nombre"),
    ],
)
def test_a_bad_figure_saves_nothing_and_keeps_the_input(client, world, field, raw, message):
    client.force_login(world["porteur"])
    response = client.post(grid_url(world), breakdown_post(world) | {name(world, *field): raw})
    page = response.content.decode()
    assert response.status_code == 400 and message in page and f'value="{raw}"' in page
    assert not IndicatorValue.objects.exists() and not StatusEntry.objects.exists()


def test_a_porteur_of_an_operation_fills_only_that_operation(client, world, django_assert_num_queries):
    op_porteur, action = world["op_porteur"], world["action"]
    client.force_login(op_porteur)
    home = client.get(reverse("campaigns:home")).content.decode()
    assert action.title in home and "vos opérations" in home
    page = client.get(grid_url(world, action)).content.decode()
    assert f'name="{name(world, "op_a", 1)}"' in page
    assert f'name="a{action.pk}-d{world["deliverables"]["op_a"].pk}"' in page
    for key in ("typology", "op_b"):
        assert f'name="{name(world, key)}"' not in page
    assert f'name="a{action.pk}-d{world["deliverables"]["op_b"].pk}"' not in page
    assert f"a{action.pk}-status" not in page and 'name="submit"' not in page
    assert "sa soumission à la coordination reviennent à son porteur" in page
    a = f"a{action.pk}"
    post = {
        name(world, "op_a", 0): "3",
        name(world, "op_a", 1): "2",
        f"{a}-d{world['deliverables']['op_a'].pk}": "on",
        # Fields of the action itself and of the other operation: not in this porteur's grid.
        name(world, "op_b"): "9",
        name(world, "percentage"): "50",
        f"{a}-status": Status.DONE,
        f"{a}-d{world['deliverables']['op_b'].pk}": "on",
        "submit": "",
    }
    with django_assert_num_queries(35):
        response = client.post(grid_url(world, action), post)
    assert response.status_code == 302
    assert dict(IndicatorValue.objects.values_list("indicator_id", "value")) == {
        world["indicators"]["op_a"].pk: Decimal(5)
    }
    assert list(DeliverableFollowUp.objects.values_list("deliverable_id", flat=True)) == [
        world["deliverables"]["op_a"].pk
    ]
    assert not StatusEntry.objects.exists()
    world["report"].refresh_from_db()
    assert world["report"].state == ReportState.TO_FILL  # the submission stays with the action's lead
    # The whole-contract grid too, and nothing of another contract.
    assert client.get(grid_url(world)).status_code == 200
    foreign = factories.ActionFactory()
    assert client.get(grid_url(world, foreign)).status_code == 404
    # A porteur of another operation does not reach the first one's values, nor the action's.
    other = factories.user_with_role(world["contract"], R.LEAD, organisation=world["op_b"].leads[0])
    client.force_login(other)
    client.post(grid_url(world, action), {name(world, "op_a", 0): "30", name(world, "op_b"): "1"})
    assert stored(world, "op_a").value == Decimal(5) and stored(world, "op_b").value == Decimal(1)
    world["indicators"]["op_a"].action.contract = world["contract"]
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        monitoring.indicator_value_set(
            user=op_porteur, indicator=world["indicators"]["percentage"], period_code="2025", value="1"
        )


def test_a_member_or_an_unrelated_porteur_gets_no_grid(client, world):
    stranger = factories.user_with_role(
        world["contract"], R.LEAD, organisation=factories.OrganisationFactory()
    )
    client.force_login(stranger)
    assert client.get(grid_url(world, world["action"])).status_code == 403


# Locks, spreadsheet, API ---------------------------------------------------------------------


def lock_2025(world):
    meeting = approving_meeting(world["contract"], 2025)
    locks.lock(contract=world["contract"], year=2025, meeting=meeting, user=world["coordinator"])


def test_a_locked_year_holds_for_breakdowns_through_grid_spreadsheet_and_api(client, world):
    client.force_login(world["porteur"])
    assert client.post(grid_url(world), breakdown_post(world)).status_code == 302
    contract, typology = world["contract"], world["indicators"]["typology"]
    data, _warnings = export_plan(contract, "xlsx")
    cell = f"{column_of(data, 'Indicateurs', 'Ventilation 2025')}{row_of(data, 'Indicateurs', typology.pk)}"
    source = plan_file_read(edited(data, {("Indicateurs", cell): "Femmes : 1 ; Hommes : 1"}))
    lock_2025(world)
    post = breakdown_post(world) | {name(world, "typology", 0): "70"}
    assert client.post(grid_url(world), post).status_code == 409
    with pytest.raises(PlanApplyError, match="2025 est verrouillée"):
        plan_apply(contract, source, user=world["coordinator"])
    url = reverse("campaigns:api_values", args=[contract.pk])
    body = {"indicator": typology.pk, "period": "2025", "breakdown": {"Femmes": "1"}}
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 409
    assert stored(world, "typology").breakdown == {"Femmes": "7", "Hommes": "5.5"}


def test_the_spreadsheet_carries_kinds_and_breakdowns_consistently(client, world):
    client.force_login(world["porteur"])
    client.post(grid_url(world), breakdown_post(world))
    contract, typology = world["contract"], world["indicators"]["typology"]
    data, _warnings = export_plan(contract, "xlsx")
    row = row_of(data, "Indicateurs", typology.pk)

    def cell(header):
        return ("Indicateurs", f"{column_of(data, 'Indicateurs', header)}{row}")

    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data))["Indicateurs"]
    assert sheet[cell("Mesure")[1]].value == "Nombre ventilé par catégorie (typologie)"
    assert sheet[cell("Ventilation 2025")[1]].value == "Femmes : 7 ; Hommes : 5,5"
    assert sheet[cell("Catégories ou niveaux")[1]].value == "Femmes\nHommes"
    # Re-imported as exported: no change at all.
    assert plan_diff(contract, plan_file_read(data)).changes == []
    # The total alone changed while the value is broken down: refused, clearly.
    diff = plan_diff(contract, plan_file_read(edited(data, {cell("Valeur 2025"): 20})))
    assert any("ne correspond pas à la somme" in e["message"] for e in diff.errors)
    # Unknown category, or a malformed cell: refused.
    for text, message in (("Chats : 3", "inconnue"), ("Femmes 3", "catégorie : nombre")):
        diff = plan_diff(contract, plan_file_read(edited(data, {cell("Ventilation 2025"): text})))
        assert any(message in e["message"] for e in diff.errors), diff.errors
    # The breakdown changed: the total follows, both written.
    source = plan_file_read(edited(data, {cell("Ventilation 2025"): "Femmes : 10 ; Hommes : 2"}))
    plan_apply(contract, source, user=world["coordinator"])
    value = stored(world, "typology")
    assert (value.value, value.breakdown) == (Decimal(12), {"Femmes": "10", "Hommes": "2"})
    # A measure change that would strand a breakdown is refused; a percentage over 100 too.
    diff = plan_diff(contract, plan_file_read(edited(data, {cell("Mesure"): "Nombre"})))
    assert any("ventilées" in e["message"] for e in diff.errors)
    percent_row = row_of(data, "Indicateurs", world["indicators"]["percentage"].pk)
    column = column_of(data, "Indicateurs", "Valeur 2025")
    diff = plan_diff(contract, plan_file_read(edited(data, {("Indicateurs", f"{column}{percent_row}"): 140})))
    assert any("entre 0 et 100" in e["message"] for e in diff.errors)


def test_a_measure_set_in_the_spreadsheet_gets_its_default_levels(world):
    contract, indicator = world["contract"], world["indicators"]["op_b"]
    data, _warnings = export_plan(contract, "xlsx")
    cell = f"{column_of(data, 'Indicateurs', 'Mesure')}{row_of(data, 'Indicateurs', indicator.pk)}"
    plan_apply(contract, plan_file_read(edited(data, {("Indicateurs", cell): "Échelle de satisfaction"})))
    indicator.refresh_from_db()
    assert (indicator.measure_kind, indicator.categories) == ("satisfaction", LEVELS)
    assert indicator.history.count() == 2  # the change is in the contract's history


def test_a_grid_with_more_than_a_thousand_inputs_is_accepted(client, world):
    """Django refuses 1,000 fields by default; a contract's yearly grid holds more (settings)."""
    for index in range(24):
        factories.MunicipalityFactory(territory=world["contract"].territory, name=f"Commune {index}")
    extra = [
        factories.IndicatorFactory(action=world["action"], measure_kind=Measure.MUNICIPALITIES)
        for _ in range(40)
    ]
    a = f"a{world['action'].pk}"
    data = {f"{a}-v{i.pk}_2025_k{k}": "" for i in extra for k in range(26)}
    data[f"{a}-v{extra[0].pk}_2025_k0"] = "4"
    assert len(data) > 1000
    client.force_login(world["porteur"])
    assert client.post(grid_url(world, world["action"]), data).status_code == 302
    assert IndicatorValue.objects.get(indicator=extra[0]).breakdown == {"Avesnes-sur-Helpe": "4"}
