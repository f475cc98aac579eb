"""Alerts on the contract overview, the demo loader of the 004 table, the audit trail."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from opencls.core.registry import ALERT_PROVIDERS, contract_alerts
from opencls.finance.alerts import finance_alerts
from opencls.finance.models import CoordinatorPostFunding, StatedShare
from opencls.finance.services import DEMO_COFINANCING_FILE as DEMO_FILE
from opencls.finance.services import FinanceDataError, coordinator_post_funding_save, load_demo_cofinancing
from opencls.finance.tests.factories import clsi2m_contract, coordinator
from opencls.testing import factories

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 1)


def test_004_alerts_name_the_lines_that_differ_and_the_99_97_total():
    contract = clsi2m_contract()
    alerts = finance_alerts(contract, TODAY)
    assert [alert.title for alert in alerts] == [
        "3 parts signées du cofinancement de la coordination diffèrent du calcul",
        "Les parts signées du cofinancement totalisent 99,97 % au lieu de 100 %",
    ]
    assert alerts[0].message == (
        "Forest-sur-Marque : signé 1,06 %, calculé 1,07 %, Péronne-en-Mélantois : signé 0,64 %, "
        "calculé 0,65 %, Willems : signé 1,92 %, calculé 1,93 %"
    )
    assert alerts[0].url == reverse("finance:overview", args=[contract.pk])
    assert all(alert.level == "warning" for alert in alerts)
    assert finance_alerts in ALERT_PROVIDERS


def test_a_correct_table_raises_no_alert():
    contract = clsi2m_contract()
    for name, percentage in {
        "Willems": "1.93",
        "Forest-sur-Marque": "1.07",
        "Péronne-en-Mélantois": "0.65",
    }.items():
        StatedShare.objects.filter(contract=contract, municipality__name=name).update(
            stated_percentage=Decimal(percentage)
        )
    assert finance_alerts(contract, TODAY) == []


def test_missing_population_is_an_error_alert():
    contract = clsi2m_contract()
    contract.territory.municipalities.filter(name="Gruson").update(population=None)
    (alert,) = finance_alerts(contract, TODAY)
    assert alert.level == "error"
    assert "Population manquante ou nulle pour : Gruson." in alert.message


def test_spent_above_granted_is_a_warning_alert():
    contract = factories.ContractFactory()
    action = factories.ActionFactory(axis=factories.AxisFactory(contract=contract), code="FA 2.3")
    factories.FundingLineFactory(action=action, granted_amount="1000.00", spent_amount="1200.00")
    factories.FundingLineFactory(action=action, granted_amount="1000.00", spent_amount="800.00")
    (alert,) = finance_alerts(contract, TODAY)
    assert alert.title == "Dépenses supérieures au montant accordé"
    assert (
        alert.message == "FA 2.3 (ARS Hauts-de-France) : 1\xa0200,00 € dépensés pour 1\xa0000,00 € accordés"
    )
    assert alert in contract_alerts(contract, TODAY)


def test_nothing_to_say_costs_one_query(django_assert_num_queries):
    contract = factories.ContractFactory()
    with django_assert_num_queries(1):
        assert finance_alerts(contract, TODAY) == []


def test_demo_file_loads_the_004_table_as_printed():
    contract = clsi2m_contract(stated=False)
    StatedShare.objects.all().delete()
    CoordinatorPostFunding.objects.all().delete()
    funding = load_demo_cofinancing(contract, DEMO_FILE)
    assert funding.ars_organisation.name == "Agence régionale de santé Hauts-de-France"
    assert (funding.ars_rate, funding.ars_yearly_cap, funding.yearly_cost) == (
        Decimal("50.00"),
        Decimal("30000.00"),
        Decimal("60000.00"),
    )
    assert "Valeur d'exemple" in funding.yearly_cost_note
    stated = {
        (share.municipality.name if share.municipality else "ARS"): share.stated_percentage
        for share in StatedShare.objects.filter(contract=contract).select_related("municipality")
    }
    assert stated == {
        "ARS": Decimal("50.00"),
        "Villeneuve d'Ascq": Decimal("39.92"),
        "Baisieux": Decimal("3.33"),
        "Willems": Decimal("1.92"),
        "Sainghin-en-Mélantois": Decimal("1.83"),
        "Forest-sur-Marque": Decimal("1.06"),
        "Gruson": Decimal("0.79"),
        "Péronne-en-Mélantois": Decimal("0.64"),
        "Bouvines": Decimal("0.48"),
    }
    # loading twice replaces, never duplicates
    load_demo_cofinancing(contract, DEMO_FILE)
    assert StatedShare.objects.filter(contract=contract).count() == 9


def test_demo_file_matches_communes_ignoring_case_and_apostrophes(tmp_path):
    contract = clsi2m_contract(stated=False)
    contract.territory.municipalities.filter(name="Villeneuve d'Ascq").update(name="VILLENEUVE D’ASCQ")
    load_demo_cofinancing(contract, DEMO_FILE)
    assert StatedShare.objects.get(municipality__name="VILLENEUVE D’ASCQ").stated_percentage == Decimal(
        "39.92"
    )


def test_demo_file_with_an_unknown_commune_writes_nothing(tmp_path):
    contract = clsi2m_contract(stated=False)
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    data["stated_shares"].append({"municipality": "Lille", "percentage": "1.00"})
    data["yearly_cost"] = "99999.00"
    path = tmp_path / "cofinancement.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(FinanceDataError, match="Communes inconnues sur le territoire du contrat : Lille"):
        load_demo_cofinancing(contract, path)
    assert not StatedShare.objects.exists()
    assert CoordinatorPostFunding.objects.get(contract=contract).yearly_cost is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{pas du json", "Fichier de cofinancement illisible"),
        ('{"stated_shares": [{"party": "ars", "percentage": "cinquante"}]}', "n'est pas un nombre"),
        ('{"stated_shares": [{"party": "ars", "percentage": "-50"}]}', "ne peut pas être négative"),
        ('{"stated_shares": [{"party": "ars", "percentage": "150"}]}', "ne peut pas dépasser 100"),
        ('{"stated_shares": [{"party": "ars", "percentage": "39.925"}]}', "deux décimales au plus"),
        ('{"stated_shares": [{"party": "ars", "percentage": "NaN"}]}', "deux décimales au plus"),
        ('{"stated_shares": [{"party": "ars"}]}', "valeur manquante"),
    ],
)
def test_demo_file_errors_are_in_french(tmp_path, content, message):
    contract = clsi2m_contract(stated=False)
    path = tmp_path / "cofinancement.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FinanceDataError, match=message):
        load_demo_cofinancing(contract, path)


def test_service_refuses_a_commune_of_another_territory():
    contract = clsi2m_contract(stated=False)
    foreign = factories.MunicipalityFactory(name="Lens")
    values = {
        "ars_organisation": None,
        "yearly_cost": None,
        "yearly_cost_note": "",
        "ars_rate": Decimal("50"),
        "ars_yearly_cap": None,
    }
    with pytest.raises(FinanceDataError, match="n'appartient pas au territoire"):
        coordinator_post_funding_save(
            contract=contract, values=values, stated={foreign.pk: (Decimal("1"), None)}
        )
    assert CoordinatorPostFunding.objects.get(contract=contract).ars_yearly_cap == Decimal("30000.00")


def test_changes_show_in_the_contract_history(client):
    contract = clsi2m_contract()
    client.force_login(coordinator(contract))
    response = client.get(reverse("core:contract_history", args=[contract.pk]))
    page = response.content.decode()
    assert "Part signée de Willems : 1,92 %" in page
    assert "Poste de coordination : coût annuel —, ARS 50,00 % dans la limite de 30\xa0000,00 €" in page
