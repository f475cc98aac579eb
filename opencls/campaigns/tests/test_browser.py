"""A porteur fills a year in the grid, the coordinator validates it, in a real browser."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from opencls.campaigns.models import ActionReport, Campaign, ReportState
from opencls.contracts.models import ContractRole
from opencls.monitoring.models import IndicatorValue
from opencls.testing import factories
from opencls.testing.browser import log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_porteur_fills_a_year_and_the_coordinator_validates_it(page):
    org = factories.OrganisationFactory(name="Association Vivre Ensemble")
    contract = factories.ContractFactory(title="CLS intercommunal de la Marque et du Mélantois")
    axis = factories.AxisFactory(contract=contract)
    action = factories.ActionFactory(axis=axis, code="FA 2.1", title="Ateliers de prévention", leads=[org])
    indicator = factories.IndicatorFactory(action=action, label="Nombre de participants")
    factories.DeliverableFactory(action=action, text="Bilan des ateliers")
    IndicatorValue.objects.create(
        contract=contract, indicator=indicator, year=2024, period="2024", value=Decimal(800)
    )
    campaign = Campaign.objects.create(contract=contract, year=2025, deadline=date(2099, 3, 31))
    report = ActionReport.objects.create(campaign=campaign, action=action)
    porteur = factories.user_with_role(contract, ContractRole.Role.LEAD, organisation=org)
    coordinator = factories.user_with_role(contract, ContractRole.Role.COORDINATOR)

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, porteur.username, factories.DEFAULT_PASSWORD)
    expect(page.get_by_role("heading", name="Mes fiches", level=1)).to_be_visible()
    page.get_by_role("link", name="Renseigner").click()
    expect(page.get_by_text("2024 : 800")).to_be_visible()  # the previous year beside the input
    page.set_viewport_size({"width": 1280, "height": 900})

    value = page.get_by_label("Nombre de participants — 2025")
    value.fill("1 234 abc")
    page.get_by_label("Avancement", exact=True).select_option("in_progress")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Saisissez un nombre, par exemple 1 234,56.")).to_be_visible()
    expect(page.get_by_label("Nombre de participants — 2025")).to_have_value("1 234 abc")  # input kept (htmx)
    assert not IndicatorValue.objects.filter(year=2025).exists()

    page.get_by_label("Nombre de participants — 2025").fill("1 234,5")
    page.get_by_role("checkbox", name="Réalisé").check(force=True)  # DSFR: the label covers the box
    page.get_by_role("button", name="Enregistrer et soumettre").click()
    expect(page.get_by_text("fiche(s) soumise(s) à la coordination")).to_be_visible()
    assert IndicatorValue.objects.get(year=2025).value == Decimal("1234.50")
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED

    page.get_by_role("button", name="Se déconnecter").click()
    log_in(page, coordinator.username, factories.DEFAULT_PASSWORD)
    page.goto(f"/contrats/{contract.pk}/campagnes/2025/")
    expect(page.locator("#progress-by-porteur")).to_contain_text("Association Vivre Ensemble")
    page.get_by_role("link", name="FA 2.1 Ateliers de prévention").click()
    page.get_by_role("button", name="Valider").click()
    expect(page.locator("#reports [data-state=validated]")).to_have_text("Validé")
    report.refresh_from_db()
    assert report.state == ReportState.VALIDATED
