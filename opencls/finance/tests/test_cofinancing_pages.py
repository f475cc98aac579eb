"""The « Financements » tab: the signed table beside the computed one, the what-if, the entry form."""

from decimal import Decimal

import pytest
from django.urls import reverse

from opencls.contracts.models import ContractRole
from opencls.finance.models import CoordinatorPostFunding, StatedShare
from opencls.finance.tests.factories import clsi2m_contract, coordinator
from opencls.testing import factories

pytestmark = pytest.mark.django_db


def rows_of(page: str, table_id: str) -> dict[str, str]:
    """Each body row of a table as « cell | cell | … », keyed by its header cell, in the rendered text."""
    from bs4 import BeautifulSoup

    table = BeautifulSoup(page, "html.parser").find(id=table_id)
    return {
        row.th.get_text(" ", strip=True): " | ".join(
            cell.get_text(" ", strip=True) for cell in row.find_all("td")
        )
        for row in table.tbody.find_all("tr")
    }


def text_of(page: str, element_id: str) -> str:
    from bs4 import BeautifulSoup

    return " ".join(BeautifulSoup(page, "html.parser").find(id=element_id).get_text(" ").split())


def test_004_table_shows_signed_and_computed_shares_and_flags_the_differences(client):
    contract = clsi2m_contract()
    client.force_login(coordinator(contract))
    page = client.get(reverse("finance:overview", args=[contract.pk])).content.decode()
    rows = rows_of(page, "cofinancing-table")
    assert list(rows) == [
        "Agence régionale de santé Hauts-de-France",
        "Baisieux",
        "Bouvines",
        "Gruson",
        "Forest-sur-Marque",
        "Péronne-en-Mélantois",
        "Sainghin-en-Mélantois",
        "Willems",
        "Villeneuve d'Ascq",
    ]
    assert rows["Willems"].startswith("2\xa0996 | — | 1,92 % | 1,93 % exact : 1,9269 % | −0,01 pt diffère")
    assert rows["Forest-sur-Marque"].startswith("1\xa0659 | — | 1,06 % | 1,07 %")
    assert "−0,01 pt diffère" in rows["Péronne-en-Mélantois"]
    assert rows["Villeneuve d'Ascq"].startswith("62\xa0067 | — | 39,92 % | 39,92 %")
    assert "identique" in rows["Villeneuve d'Ascq"] and "diffère" not in rows["Gruson"]
    assert sum("diffère" in row for row in rows.values()) == 3
    assert "3 lignes du tableau signé ne correspondent pas à la règle de répartition." in page
    assert "Les parts signées totalisent 99,97 % et non 100,00 % (écart : −0,03 pt)." in page
    assert "Arrondi au plus fort reste" in page
    assert "Coût annuel du poste : non renseigné" in text_of(page, "cofinancing-rule")


def test_recorded_cost_gives_amounts_to_the_cent(client):
    contract = clsi2m_contract(yearly_cost="60000.00")
    client.force_login(coordinator(contract))
    page = client.get(reverse("finance:overview", args=[contract.pk])).content.decode()
    rows = rows_of(page, "cofinancing-table")
    assert "30\xa0000,00 €" in rows["Agence régionale de santé Hauts-de-France"]
    assert "23\xa0950,84 €" in rows["Villeneuve d'Ascq"]
    assert "Le plafond s'applique" not in page


def test_what_if_cost_over_the_cap_is_an_htmx_partial(client):
    contract = clsi2m_contract()
    client.force_login(coordinator(contract))
    url = reverse("finance:overview", args=[contract.pk])
    response = client.get(url, {"cout": "70 000"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "<html" not in page  # only the result is swapped in
    assert "HX-Request" in response["Vary"]  # caches keep the partial apart from the page
    assert (
        "À 70\xa0000,00 € par an, le plafond s'applique : l'ARS verse 30\xa0000,00 € au lieu de 35\xa0000,00 € "
        "(50,00 %), soit 42,86 % du coût. Les communes prennent en charge 5\xa0000,00 € de plus"
    ) in page
    rows = rows_of(page, "simulation-table")
    assert rows["Villeneuve d'Ascq"] == "45,62 % | 31\xa0934,45 € | 27\xa0942,65 € | +3\xa0991,80 €"
    assert (
        rows["Agence régionale de santé Hauts-de-France"]
        == "42,86 % | 30\xa0000,00 € | 35\xa0000,00 € | −5\xa0000,00 €"
    )
    assert CoordinatorPostFunding.objects.get(contract=contract).yearly_cost is None  # nothing saved


def test_what_if_without_javascript_renders_the_whole_page(client):
    contract = clsi2m_contract()
    client.force_login(coordinator(contract))
    page = client.get(reverse("finance:overview", args=[contract.pk]), {"cout": "50000"}).content.decode()
    assert "<html" in page
    assert (
        "le plafond de l'ARS n'est pas atteint ; il s'appliquerait au-delà de 60\xa0000,00 € par an" in page
    )


@pytest.mark.parametrize(("cost", "message"), [("-5", "supérieur à zéro"), ("abc", "Saisissez un nombre")])
def test_what_if_bad_cost_is_explained(client, cost, message):
    contract = clsi2m_contract()
    client.force_login(coordinator(contract))
    page = client.get(
        reverse("finance:overview", args=[contract.pk]), {"cout": cost}, headers={"HX-Request": "true"}
    ).content.decode()
    assert message in page and "simulation-table" not in page


def test_population_missing_is_a_clear_error_and_nothing_is_computed(client):
    contract = clsi2m_contract()
    contract.territory.municipalities.filter(name__in=["Willems", "Gruson"]).update(population=None)
    contract.territory.municipalities.filter(name="Bouvines").update(population=0)
    client.force_login(coordinator(contract))
    response = client.get(reverse("finance:overview", args=[contract.pk]))
    page = response.content.decode()
    assert "Population manquante ou nulle pour : Bouvines, Gruson, Willems." in page
    assert 'id="cofinancing-table"' not in page
    export = client.get(reverse("finance:cofinancing_xlsx", args=[contract.pk]))
    assert export.status_code == 302  # back to the page, which says why


def test_coordinator_enters_the_signed_table(client):
    contract = clsi2m_contract(stated=False)
    client.force_login(coordinator(contract))
    url = reverse("finance:cofinancing_edit", args=[contract.pk])
    form_page = client.get(url).content.decode()
    assert "Part signée de Willems (%)" in form_page
    willems = contract.territory.municipalities.get(name="Willems")
    ars = CoordinatorPostFunding.objects.get(contract=contract).ars_organisation
    data = {
        "ars_organisation": ars.pk,
        "ars_rate": "50",
        "ars_yearly_cap": "30 000",
        "yearly_cost": "62 500,50",
        "yearly_cost_note": "Budget 2026",
        "percentage_ars": "50",
        f"percentage_{willems.pk}": "1,92",
        f"amount_{willems.pk}": "1 200",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    funding = CoordinatorPostFunding.objects.get(contract=contract)
    assert funding.yearly_cost == Decimal("62500.50") and funding.ars_yearly_cap == Decimal("30000.00")
    assert {(s.municipality_id, s.stated_percentage, s.stated_amount) for s in StatedShare.objects.all()} == {
        (None, Decimal("50.00"), None),
        (willems.pk, Decimal("1.92"), Decimal("1200.00")),
    }
    page = client.get(reverse("finance:overview", args=[contract.pk])).content.decode()
    assert (
        "Le plafond s'applique : l'ARS verse 30\xa0000,00 €, soit 48,00 % du coût au lieu de 50,00 %." in page
    )
    # removing a percentage removes the line
    client.post(url, {**data, f"percentage_{willems.pk}": "", f"amount_{willems.pk}": ""})
    assert list(StatedShare.objects.values_list("municipality_id", flat=True)) == [None]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("percentage_ars", "-1", "Une part ne peut pas être négative."),
        ("percentage_ars", "101", "Une part ne peut pas dépasser 100 %."),
        ("yearly_cost", "-100", "Le coût annuel du poste doit être supérieur à zéro."),
        ("ars_yearly_cap", "-1", "Le plafond ne peut pas être négatif."),
        ("amount_ars", "500", "Saisissez la part signée"),
        ("yearly_cost", "douze", "Saisissez un nombre"),
    ],
)
def test_bad_co_financing_input_is_refused_in_french_and_nothing_is_written(client, field, value, message):
    contract = clsi2m_contract(stated=False)
    client.force_login(coordinator(contract))
    data = {"ars_rate": "50", "percentage_ars": "", field: value}
    response = client.post(reverse("finance:cofinancing_edit", args=[contract.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not StatedShare.objects.exists()
    assert CoordinatorPostFunding.objects.get(contract=contract).ars_yearly_cap == Decimal("30000.00")


def test_page_works_before_anything_is_entered(client):
    contract = factories.ContractFactory()
    factories.MunicipalityFactory(territory=contract.territory, name="Lens", population=32000)
    client.force_login(coordinator(contract))
    page = client.get(reverse("finance:overview", args=[contract.pk])).content.decode()
    assert "Le tableau signé n'est pas encore saisi" in page
    assert "ARS finance 50,00 % du coût annuel du poste, sans plafond" in page
    assert rows_of(page, "cofinancing-table")["Lens"].startswith("32\xa0000 | — | non saisie | 50,00 %")


def test_members_read_but_only_the_coordinator_edits(client):
    contract = clsi2m_contract()
    member = factories.user_with_role(contract, ContractRole.Role.MEMBER)
    client.force_login(member)
    page = client.get(reverse("finance:overview", args=[contract.pk])).content.decode()
    assert "Saisir le tableau signé" not in page
    assert client.get(reverse("finance:cofinancing_edit", args=[contract.pk])).status_code == 403
    assert client.post(reverse("finance:cofinancing_edit", args=[contract.pk]), {}).status_code == 403


def test_another_contract_stays_hidden(client):
    contract = clsi2m_contract()
    stranger = coordinator(factories.ContractFactory())
    client.force_login(stranger)
    for name in ("overview", "cofinancing_edit", "cofinancing_xlsx", "cofinancing_csv"):
        assert client.get(reverse(f"finance:{name}", args=[contract.pk])).status_code == 404


def test_a_municipality_of_another_territory_cannot_be_posted(client):
    contract = clsi2m_contract(stated=False)
    foreign = factories.MunicipalityFactory(name="Lens")
    client.force_login(coordinator(contract))
    client.post(
        reverse("finance:cofinancing_edit", args=[contract.pk]),
        {"ars_rate": "50", f"percentage_{foreign.pk}": "10"},
    )
    assert not StatedShare.objects.filter(municipality=foreign).exists()


@pytest.mark.parametrize("communes", [2, 10])
def test_overview_query_count_does_not_grow_with_communes(client, django_assert_num_queries, communes):
    contract = clsi2m_contract(stated=True)
    for index in range(communes):
        factories.MunicipalityFactory(territory=contract.territory, name=f"Commune ajoutée {index}")
    client.force_login(coordinator(contract))
    url = reverse("finance:overview", args=[contract.pk])
    client.get(url)
    with django_assert_num_queries(7):
        response = client.get(url, {"cout": "65000"})
    assert response.status_code == 200
