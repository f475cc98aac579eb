"""A porteur fills a broken-down indicator and a satisfaction scale in the grid, on a phone."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from opencls.actions.measures import DEFAULT_SATISFACTION_LEVELS, Measure
from opencls.campaigns.models import ActionReport, Campaign
from opencls.contracts.models import ContractRole
from opencls.monitoring.models import IndicatorValue
from opencls.testing import factories
from opencls.testing.browser import log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_porteur_fills_a_breakdown_and_a_satisfaction_scale_on_a_phone(page):
    org = factories.OrganisationFactory(name="Association Vivre Ensemble")
    contract = factories.ContractFactory(title="CLS de la Marque")
    action = factories.ActionFactory(
        axis=factories.AxisFactory(contract=contract), code="FA 2.1", title="Ateliers", leads=[org]
    )
    typology = factories.IndicatorFactory(
        action=action,
        label="Nombre et typologie des personnes sensibilisées",
        measure_kind=Measure.CATEGORIES,
        categories=["Femmes", "Hommes"],
    )
    satisfaction = factories.IndicatorFactory(
        action=action,
        label="Satisfaction des personnes",
        measure_kind=Measure.SATISFACTION,
        categories=DEFAULT_SATISFACTION_LEVELS,
    )
    campaign = Campaign.objects.create(contract=contract, year=2025, deadline=date(2099, 3, 31))
    ActionReport.objects.create(campaign=campaign, action=action)
    porteur = factories.user_with_role(contract, ContractRole.Role.LEAD, organisation=org)

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, porteur.username, factories.DEFAULT_PASSWORD)
    page.goto(f"/contrats/{contract.pk}/campagnes/2025/saisie/{action.pk}/")
    page.get_by_label("Femmes").fill("7")
    page.get_by_label("Hommes").fill("5,5")
    page.get_by_label("Satisfait", exact=True).fill("2,5")
    page.get_by_label("Très satisfait").fill("3")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Un nombre entier de réponses est attendu.")).to_be_visible()
    expect(page.get_by_label("Hommes")).to_have_value("5,5")  # input kept (htmx)
    assert not IndicatorValue.objects.exists()
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1

    page.get_by_label("Satisfait", exact=True).fill("1")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("modification(s) enregistrée(s)")).to_be_visible()
    value = IndicatorValue.objects.get(indicator=typology)
    assert (value.value, value.breakdown) == (Decimal("12.5"), {"Femmes": "7", "Hommes": "5.5"})
    assert IndicatorValue.objects.get(indicator=satisfaction).value == Decimal(100)
    total = page.get_by_role("textbox", name="Total — Nombre et typologie des personnes sensibilisées — 2025")
    expect(total).to_have_value("12,50")
    expect(
        page.get_by_role("group", name="Ventilation de « Satisfaction des personnes », 2025")
    ).to_be_visible()
