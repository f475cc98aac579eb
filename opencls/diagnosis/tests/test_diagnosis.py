"""The diagnosis editor: figures by rubric with charts, care supply densities, sections, baselines."""

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from opencls.actions.models import Indicator
from opencls.contracts.io import contract_from_json, contract_to_json
from opencls.contracts.models import ContractRole, DiagnosisIndicator
from opencls.diagnosis.models import CareSupply, DiagnosisSection
from opencls.diagnosis.selectors import guess_group, parse_number
from opencls.testing import factories

pytestmark = pytest.mark.django_db
Role = ContractRole.Role


@pytest.fixture
def contract():
    contract = factories.ContractFactory(territory__stated_population=77743)
    factories.DiagnosisIndicatorFactory(
        contract=contract,
        label="Taux de non recours aux soins depuis 24 mois",
        unit="%",
        territory_value="6,69 %",
        region_value="4,29 %",
        year="2024",
        source="Observatoire des fragilités du Grand Nord",
    )
    return contract


def client_for(client, contract, role):
    client.force_login(factories.user_with_role(contract, role))
    return client


def test_rubric_is_guessed_from_the_label():
    assert guess_group("Espérance de vie des hommes") == DiagnosisIndicator.Group.MORTALITY
    assert guess_group("Taux de non recours aux soins depuis 24 mois") == DiagnosisIndicator.Group.CARE
    assert guess_group("Part des familles monoparentales") == DiagnosisIndicator.Group.SOCIAL
    assert (
        guess_group("Taux de participation au dépistage du cancer du sein")
        == DiagnosisIndicator.Group.PREVENTION
    )
    assert guess_group("Nombre d'habitants") == DiagnosisIndicator.Group.POPULATION
    assert guess_group("Indice composite") == DiagnosisIndicator.Group.OTHER


@pytest.mark.parametrize(
    ("text", "number"),
    [("6,69 %", "6.69"), ("32 428 €", "32428"), ("−10,10 %", "-10.10"), ("80 ans", "80"), ("nc", None)],
)
def test_french_figures_are_read_as_numbers(text, number):
    assert parse_number(text) == (Decimal(number) if number else None)


def test_page_groups_figures_and_draws_the_comparison(client, contract):
    page = client_for(client, contract, Role.MEMBER).get(reverse("diagnosis:page", args=[contract.pk]))
    assert page.status_code == 200
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.find(id="group-care").get_text(strip=True) == "Offre de soins et recours aux soins"
    chart = soup.find("svg", class_="opencls-chart")
    assert (
        "Territoire 6,69" in chart.find("desc").get_text() and "Région 4,29" in chart.find("desc").get_text()
    )
    assert "rubrique déduite du libellé" in page.content.decode()
    assert "Ajouter un chiffre" not in page.content.decode()  # a member reads, changes nothing


def test_coordinator_adds_a_figure_then_an_untouched_edit_saves_nothing(client, contract):
    client = client_for(client, contract, Role.COORDINATOR)
    response = client.post(
        reverse("diagnosis:row_add", args=[contract.pk, "chiffres"]),
        {
            "group": "mortality",
            "label": "Espérance de vie des hommes",
            "unit": "ans",
            "territory_value": "80",
            "nation_value": "79,4",
            "year": "2021",
            "source": "Insee",
        },  # fmt: skip
    )
    assert response.status_code == 302
    figure = DiagnosisIndicator.objects.get(contract=contract, label="Espérance de vie des hommes")
    assert figure.position == 1 and figure.history.count() == 1  # after the first (0)
    form = client.get(reverse("diagnosis:row_edit", args=[contract.pk, "chiffres", figure.pk]))
    fields = {
        field["name"]: field.get("value", "")
        for field in BeautifulSoup(form.content, "html.parser").select("form input[name]")
        if field["name"] != "csrfmiddlewaretoken"
    }
    fields["group"] = "mortality"
    client.post(reverse("diagnosis:row_edit", args=[contract.pk, "chiffres", figure.pk]), fields)
    assert figure.history.count() == 1


def test_bad_input_is_refused_in_french_and_nothing_is_written(client, contract):
    client = client_for(client, contract, Role.COORDINATOR)
    response = client.post(
        reverse("diagnosis:row_add", args=[contract.pk, "offre-de-soins"]),
        {"kind": "gp", "count": "12", "region_density": "beaucoup"},
    )
    assert response.status_code == 400
    assert "Saisissez un nombre" in response.content.decode()
    assert not CareSupply.objects.exists()


def test_care_supply_density_is_computed_from_the_population(client, contract):
    client = client_for(client, contract, Role.COORDINATOR)
    client.post(
        reverse("diagnosis:row_add", args=[contract.pk, "offre-de-soins"]),
        {
            "kind": "gp",
            "count": "62",
            "region_density": "8,9",
            "nation_density": "8,4",
            "year": "2023",
            "source": "RPPS",
        },  # fmt: skip
    )
    row = CareSupply.objects.get()
    assert row.density(77743) == Decimal("7.97")
    page = client.get(reverse("diagnosis:page", args=[contract.pk])).content.decode()
    cells = [
        td.get_text(strip=True) for td in BeautifulSoup(page, "html.parser").find(id=f"supply-{row.pk}")("td")
    ]
    assert cells[:2] == ["62", "7,97"]


def test_deleting_asks_first_then_keeps_the_trail(client, contract):
    client = client_for(client, contract, Role.COORDINATOR)
    figure = contract.diagnosis_indicators.get()
    indicator = factories.IndicatorFactory(
        action=factories.ActionFactory(axis__contract=contract), baseline=figure
    )
    url = reverse("diagnosis:row_delete", args=[contract.pk, "chiffres", figure.pk])
    asked = client.get(url)
    assert "Confirmer" in asked.content.decode() and indicator.label in asked.content.decode()
    client.post(url)  # not confirmed: nothing happens
    assert DiagnosisIndicator.objects.filter(pk=figure.pk).exists()
    client.post(url, {"confirmed": "1"})
    assert not DiagnosisIndicator.objects.filter(pk=figure.pk).exists()
    indicator.refresh_from_db()
    assert indicator.baseline is None
    history = client.get(reverse("core:contract_history", args=[contract.pk])).content.decode()
    assert "Taux de non recours" in history


def test_moving_sections_reorders_them(client, contract):
    client = client_for(client, contract, Role.COORDINATOR)
    first = DiagnosisSection.objects.create(contract=contract, title="Constats", position=1)
    second = DiagnosisSection.objects.create(contract=contract, title="Personnes consultées", position=2)
    client.post(reverse("diagnosis:row_move", args=[contract.pk, "parties", second.pk]), {"direction": "up"})
    assert list(DiagnosisSection.objects.filter(contract=contract)) == [second, first]


def test_baselines_replace_another_figure_only_after_confirmation(client, contract):
    client = client_for(client, contract, Role.COORDINATOR)
    old = contract.diagnosis_indicators.get()
    new = factories.DiagnosisIndicatorFactory(
        contract=contract, label="Sans médecin traitant", territory_value="15,85 %"
    )
    indicator = factories.IndicatorFactory(
        action=factories.ActionFactory(axis__contract=contract), kind=Indicator.Kind.RESULT, baseline=old
    )
    url = reverse("diagnosis:baselines", args=[contract.pk, new.pk])
    asked = client.post(url, {"indicators": [indicator.pk]})
    assert "Confirmer le remplacement" in asked.content.decode()
    indicator.refresh_from_db()
    assert indicator.baseline == old
    client.post(url, {"indicators": [indicator.pk], "confirmed": "1"})
    indicator.refresh_from_db()
    assert indicator.baseline == new


def test_other_contracts_rows_are_not_reachable(client, contract):
    other = factories.ContractFactory()
    foreign = factories.DiagnosisIndicatorFactory(contract=other)
    client = client_for(client, contract, Role.COORDINATOR)
    for name in ("row_edit", "row_delete"):
        assert (
            client.get(reverse(f"diagnosis:{name}", args=[contract.pk, "chiffres", foreign.pk])).status_code
            == 404
        )
    assert client.get(reverse("diagnosis:baselines", args=[contract.pk, foreign.pk])).status_code == 404
    assert client.get(reverse("diagnosis:row_add", args=[contract.pk, "inconnu"])).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"), [(Role.COORDINATOR, 200), (Role.LEAD, 403), (Role.MEMBER, 403), (Role.SIGNATORY, 403)]
)
def test_only_the_coordinator_edits(client, contract, role, status):
    client = client_for(client, contract, role)
    assert client.get(reverse("diagnosis:row_add", args=[contract.pk, "chiffres"])).status_code == status


def test_page_query_count_does_not_grow_with_rows(client, contract, django_assert_max_num_queries):
    client = client_for(client, contract, Role.COORDINATOR)
    url = reverse("diagnosis:page", args=[contract.pk])
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for index in range(10):
        factories.DiagnosisIndicatorFactory(contract=contract, label=f"Chiffre {index}", territory_value="1")
        CareSupply.objects.create(contract=contract, kind="gp", count=index)
        DiagnosisSection.objects.create(contract=contract, title=f"Partie {index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_json_round_trip_keeps_supply_sections_and_baselines(contract):
    figure = contract.diagnosis_indicators.get()
    figure.department_value = "5,1 %"
    figure.group = DiagnosisIndicator.Group.CARE
    figure.save()
    action = factories.ActionFactory(axis=factories.AxisFactory(contract=contract), code="FA 1.1")
    factories.IndicatorFactory(
        action=action, label="Non recours", kind=Indicator.Kind.RESULT, baseline=figure
    )
    CareSupply.objects.create(
        contract=contract, kind="cmp", count=2, region_density=Decimal("0.45"), position=1
    )
    DiagnosisSection.objects.create(
        contract=contract, title="Constats", body="Un territoire jeune.", position=1
    )
    data = contract_to_json(contract)
    assert data["contract"]["diagnosis"][0]["department_value"] == "5,1 %"
    copy = contract_from_json(data)
    assert contract_to_json(copy)["extensions"]["diagnosis"] == data["extensions"]["diagnosis"]
    assert Indicator.objects.get(action__contract=copy).baseline.label == figure.label
