"""In a real browser: the coordinator opens the tab, sees the signed table flagged, tries a cost."""

import re

import pytest
from playwright.sync_api import expect

from opencls.contracts.models import ContractRole
from opencls.finance.tests.factories import clsi2m_contract
from opencls.testing.browser import log_in
from opencls.testing.factories import DEFAULT_PASSWORD, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_checks_the_signed_table_and_simulates_a_cost_over_the_cap(page):
    contract = clsi2m_contract()
    user_with_role(contract, ContractRole.Role.COORDINATOR, username="camille")
    log_in(page, "camille", DEFAULT_PASSWORD)
    page.goto(f"/contrats/{contract.pk}/")
    page.get_by_role("link", name="Financements").first.click()
    expect(page).to_have_url(re.compile(rf"/contrats/{contract.pk}/financements/$"))

    table = page.locator("#cofinancing-table")
    willems = table.get_by_role("row").filter(has_text="Willems")
    expect(willems).to_contain_text("1,92 %")
    expect(willems).to_contain_text("1,93 %")
    expect(willems).to_contain_text("diffère")
    expect(page.locator("#stated-total")).to_have_text("99,97 %")

    # Typing a cost recomputes in place (htmx), without reloading the page.
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Coût annuel du poste à simuler (€)").fill("70 000")
    expect(page.locator("#simulation-cap")).to_contain_text("le plafond s'applique")
    expect(
        page.locator("#simulation-table").get_by_role("row").filter(has_text="Villeneuve")
    ).to_contain_text("31\u00a0934,45 €")
    assert page.evaluate("window.notReloaded") is True
