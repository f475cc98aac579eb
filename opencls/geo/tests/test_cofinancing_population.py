"""The co-financing pro rata with the official population or the signed one, side by side (issue 16)."""

import pytest
from django.urls import reverse

from opencls.core.confirm import CONFIRM_FIELD
from opencls.finance.models import CoordinatorPostFunding
from opencls.finance.tests.factories import clsi2m_contract, coordinator
from opencls.finance.tests.test_cofinancing_pages import rows_of, text_of
from opencls.geo.models import OfficialCommune

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(cog):
    """004 with its communes chosen from the official geography (codes and official populations)."""
    contract = clsi2m_contract()
    codes = ["59044", "59106", "59247", "59275", "59458", "59523", "59009", "59660"]
    return contract, codes


def choose_communes(client, contract, codes):
    response = client.post(
        reverse("contracts:territory_official_choose", args=[contract.pk]),
        {"choice": "communes", "communes": codes, CONFIRM_FIELD: "1"},
    )
    assert response.status_code == 302


def test_signed_and_official_populations_side_by_side_then_the_official_rule(client, contract):
    contract, codes = contract
    client.force_login(coordinator(contract))
    choose_communes(client, contract, codes)
    ascq = OfficialCommune.objects.get(code="59009")
    url = reverse("finance:overview", args=[contract.pk])

    page = client.get(url).content.decode()
    row = rows_of(page, "cofinancing-table")["Villeneuve d'Ascq"]
    official = f"{ascq.population:,}".replace(",", "\xa0")
    assert row.startswith(
        f"62\xa0067 | {official} (2023) écart : {62067 - ascq.population:+d} | 39,92 % | 39,92 %"
    )
    assert "Population signée (celle du contrat)" in text_of(page, "population-basis")

    # The contract says the official figures count: the coordinator changes the rule.
    funding = CoordinatorPostFunding.objects.get(contract=contract)
    data = {
        "ars_organisation": funding.ars_organisation_id,
        "ars_rate": "50",
        "ars_yearly_cap": "30 000",
        "population_basis": "official",
        "percentage_ars": "50",
    }
    assert client.post(reverse("finance:cofinancing_edit", args=[contract.pk]), data).status_code == 302
    page = client.get(url).content.decode()
    assert "Population légale officielle (INSEE) (2023)" in text_of(page, "population-basis")
    total = sum(OfficialCommune.objects.filter(code__in=codes).values_list("population", flat=True))
    share = (ascq.population * 50 / total).__round__(2)
    computed = f"{share:.2f}".replace(".", ",") + " %"
    assert computed in rows_of(page, "cofinancing-table")["Villeneuve d'Ascq"]
    # The change of rule is in the contract's history.
    history = client.get(reverse("core:contract_history", args=[contract.pk])).content.decode()
    assert "Population légale officielle" in history


def test_official_rule_without_official_populations_says_what_to_do(client, contract, cog):
    contract, _codes = contract
    CoordinatorPostFunding.objects.filter(contract=contract).update(population_basis="official")
    client.force_login(coordinator(contract))
    page = client.get(reverse("finance:overview", args=[contract.pk])).content.decode()
    assert "choisissez les communes dans la géographie officielle" in text_of(page, "cofinancing-error")
