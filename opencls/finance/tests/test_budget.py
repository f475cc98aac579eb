"""The budget of actions: lines per action, totals per axis / funder / kind / year, the line forms."""

from decimal import Decimal

import pytest
from django.urls import reverse

from opencls.accounts.models import Organisation
from opencls.actions.models import FundingLine
from opencls.contracts.models import ContractRole
from opencls.finance.tests.factories import coordinator
from opencls.testing import factories

pytestmark = pytest.mark.django_db


def budget_contract(actions_per_axis: int = 1):
    """Two axes; each action gets an ARS line (2025) and a city line (2026)."""
    contract = factories.ContractFactory()
    ars = factories.OrganisationFactory(name="ARS Hauts-de-France", kind=Organisation.Kind.ARS)
    city = factories.OrganisationFactory(
        name="Ville de Villeneuve d'Ascq", kind=Organisation.Kind.MUNICIPALITY
    )
    for axis_index in range(2):
        axis = factories.AxisFactory(
            contract=contract, code=str(axis_index + 1), title=f"Axe {axis_index + 1}"
        )
        for _ in range(actions_per_axis):
            action = factories.ActionFactory(axis=axis)
            factories.FundingLineFactory(
                action=action,
                funder=ars,
                year=2025,
                planned_amount="1000.10",
                granted_amount="900.00",
                spent_amount="450.05",
            )
            factories.FundingLineFactory(
                action=action,
                funder=city,
                kind=FundingLine.Kind.LOCAL_AUTHORITY,
                year=2026,
                planned_amount="500.00",
                granted_amount=None,
                spent_amount=None,
            )
    return contract


def rows_of(page, table_id):
    from bs4 import BeautifulSoup

    table = BeautifulSoup(page, "html.parser").find(id=table_id)
    return {
        row.th.get_text(" ", strip=True): [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        for row in table.find_all("tr")
        if row.th and row.find_all("td")
    }


def test_totals_per_axis_funder_kind_and_year_are_exact(client):
    contract = budget_contract(actions_per_axis=3)
    client.force_login(coordinator(contract))
    page = client.get(reverse("finance:budget", args=[contract.pk])).content.decode()
    assert "12 lignes de financement" in page
    assert "9\xa0000,60 € prévus, 5\xa0400,00 € accordés, 2\xa0700,30 € dépensés." in page
    axes = rows_of(page, "totals-axis")
    assert axes["1 — Axe 1"] == ["4\xa0500,30 €", "2\xa0700,00 €", "1\xa0350,15 €"]
    assert axes["Total"] == ["9\xa0000,60 €", "5\xa0400,00 €", "2\xa0700,30 €"]
    funders = rows_of(page, "totals-funder")
    assert funders["ARS Hauts-de-France"] == ["6\xa0000,60 €", "5\xa0400,00 €", "2\xa0700,30 €"]
    assert funders["Ville de Villeneuve d'Ascq"] == ["3\xa0000,00 €", "—", "—"]  # nothing granted yet: not 0
    kinds = rows_of(page, "totals-kind")
    assert list(kinds)[:2] == ["ARS via les CPOM des opérateurs", "Collectivité via conventions"]
    years = rows_of(page, "totals-year")
    assert years["2025"][0] == "6\xa0000,60 €" and years["2026"][0] == "3\xa0000,00 €"


def test_sums_of_cents_stay_exact():
    """A hundred lines of 0,10 € add up to 10,00 €, not 9,999…"""
    from opencls.finance.selectors import budget

    contract = factories.ContractFactory()
    action = factories.ActionFactory(axis=factories.AxisFactory(contract=contract))
    FundingLine.objects.bulk_create(
        [
            FundingLine(action=action, kind=FundingLine.Kind.OTHER, planned_amount=Decimal("0.10"))
            for _ in range(100)
        ]
    )
    result = budget(contract)
    assert result.total["planned"] == Decimal("10.00")
    assert result.by_axis[0].planned == Decimal("10.00")
    assert result.actions[0].totals["planned"] == Decimal("10.00")


@pytest.mark.parametrize("actions_per_axis", [1, 5])
def test_budget_page_query_count_does_not_grow_with_lines(
    client, django_assert_num_queries, actions_per_axis
):
    contract = budget_contract(actions_per_axis)
    client.force_login(coordinator(contract))
    url = reverse("finance:budget", args=[contract.pk])
    client.get(url)
    with django_assert_num_queries(11):
        response = client.get(url)
    assert response.status_code == 200
    assert f"{4 * actions_per_axis} lignes de financement" in response.content.decode()


def test_coordinator_adds_a_line_with_french_amounts_and_a_new_funder(client):
    contract = budget_contract()
    action = contract.actions.first()
    client.force_login(coordinator(contract))
    url = reverse("finance:line_create", args=[contract.pk, action.pk])
    form_page = client.get(url).content.decode()
    assert "ARS Hauts-de-France" in form_page  # funders already on the contract are offered
    response = client.post(
        url,
        {
            "new_funder_name": "Conseil départemental du Nord",
            "kind": FundingLine.Kind.CALL_FOR_PROJECTS,
            "year": "2027",
            "planned_amount": "12 345,67",
            "granted_amount": "12000",
            "spent_amount": "",
            "comment": "AMI prévention",
        },
    )
    assert response.status_code == 302
    line = FundingLine.objects.get(comment="AMI prévention")
    assert line.action == action and line.funder.name == "Conseil départemental du Nord"
    assert line.planned_amount == Decimal("12345.67") and line.granted_amount == Decimal("12000.00")
    assert line.spent_amount is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("planned_amount", "-10", "Le montant ne peut pas être négatif."),
        ("granted_amount", "-0,01", "Le montant ne peut pas être négatif."),
        ("spent_amount", "dix", "Saisissez un nombre, par exemple 1 234,56."),
        ("planned_amount", "10,123", "Au plus 2 chiffres après la virgule."),
        ("year", "1999", "Année entre 2000 et 2100."),
    ],
)
def test_bad_amounts_are_refused_in_french(client, field, value, message):
    contract = budget_contract()
    action = contract.actions.first()
    client.force_login(coordinator(contract))
    before = FundingLine.objects.count()
    response = client.post(
        reverse("finance:line_create", args=[contract.pk, action.pk]),
        {"kind": FundingLine.Kind.OTHER, field: value},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert FundingLine.objects.count() == before


def test_funder_from_the_list_and_a_new_one_are_exclusive(client):
    contract = budget_contract()
    action = contract.actions.first()
    ars = Organisation.objects.get(name="ARS Hauts-de-France")
    client.force_login(coordinator(contract))
    response = client.post(
        reverse("finance:line_create", args=[contract.pk, action.pk]),
        {"kind": FundingLine.Kind.OTHER, "funder": ars.pk, "new_funder_name": "Autre"},
    )
    assert response.status_code == 400
    assert "pas les deux" in response.content.decode()


def test_spent_above_granted_is_saved_with_a_warning(client):
    contract = budget_contract()
    line = FundingLine.objects.filter(action__contract=contract, granted_amount__isnull=False).first()
    client.force_login(coordinator(contract))
    response = client.post(
        reverse("finance:line_update", args=[contract.pk, line.pk]),
        {
            "funder": line.funder_id,
            "kind": line.kind,
            "year": "2025",
            "planned_amount": "1000",
            "granted_amount": "900",
            "spent_amount": "950,50",
        },
        follow=True,
    )
    page = response.content.decode()
    line.refresh_from_db()
    assert line.spent_amount == Decimal("950.50")
    assert "le montant dépensé (950,50 €) dépasse le montant accordé (900,00 €)" in page
    assert "1 ligne a un montant dépensé supérieur au montant accordé." in page
    assert "dépasse l'accordé" in page


def test_delete_asks_then_deletes(client):
    contract = budget_contract()
    line = FundingLine.objects.filter(action__contract=contract).first()
    client.force_login(coordinator(contract))
    url = reverse("finance:line_delete", args=[contract.pk, line.pk])
    edit_page = client.get(reverse("finance:line_update", args=[contract.pk, line.pk])).content.decode()
    assert f'href="{url}"' in edit_page  # reached from the line's edit page
    assert "Supprimer la ligne" in client.get(url).content.decode()
    assert FundingLine.objects.filter(pk=line.pk).exists()
    client.post(url)
    assert not FundingLine.objects.filter(pk=line.pk).exists()


def test_lines_of_another_contract_cannot_be_reached(client):
    contract = budget_contract()
    other = budget_contract()
    foreign_line = FundingLine.objects.filter(action__contract=other).first()
    foreign_action = other.actions.first()
    client.force_login(coordinator(contract))
    # the contract in the URL is the user's own, the line belongs to another one
    assert client.get(reverse("finance:line_update", args=[contract.pk, foreign_line.pk])).status_code == 404
    assert client.post(reverse("finance:line_delete", args=[contract.pk, foreign_line.pk])).status_code == 404
    assert (
        client.get(reverse("finance:line_create", args=[contract.pk, foreign_action.pk])).status_code == 404
    )
    assert FundingLine.objects.filter(pk=foreign_line.pk).exists()


def test_operation_list_is_limited_to_the_action(client):
    contract = budget_contract()
    action = contract.actions.first()
    own = factories.OperationFactory(action=action, title="Ateliers dans les collèges")
    factories.OperationFactory(title="Opération d'ailleurs")
    client.force_login(coordinator(contract))
    page = client.get(reverse("finance:line_create", args=[contract.pk, action.pk])).content.decode()
    assert own.title in page and "Opération d'ailleurs" not in page


def test_lead_and_member_read_the_budget_but_cannot_change_it(client):
    contract = budget_contract()
    line = FundingLine.objects.filter(action__contract=contract).first()
    for role in (ContractRole.Role.LEAD, ContractRole.Role.MEMBER):
        client.force_login(factories.user_with_role(contract, role))
        page = client.get(reverse("finance:budget", args=[contract.pk])).content.decode()
        assert "Ajouter une ligne" not in page
        assert client.get(reverse("finance:line_update", args=[contract.pk, line.pk])).status_code == 403
        assert client.post(reverse("finance:line_delete", args=[contract.pk, line.pk])).status_code == 403
