import pytest
from playwright.sync_api import expect

from opencls.contracts.models import ContractRole
from opencls.testing.browser import log_in
from opencls.testing.factories import (
    DEFAULT_PASSWORD,
    ActionFactory,
    AxisFactory,
    ContractFactory,
    user_with_role,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_history_filters_in_a_browser_without_console_errors(page, width):
    contract = ContractFactory(title="CLS de Lens-Liévin")
    ActionFactory(axis=AxisFactory(contract=contract), code="FA 1", title="Prévenir le diabète")
    user_with_role(contract, ContractRole.Role.MEMBER, username="marc")
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "marc", DEFAULT_PASSWORD)
    page.goto(f"/contrats/{contract.pk}/historique/")
    expect(page.locator("#history-table tbody tr")).to_have_count(5)
    page.get_by_label("Type d'élément").select_option(label="Fiche action")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("#history-table tbody tr")).to_have_count(1)
    expect(page.locator("#history-table")).to_contain_text("Prévenir le diabète")
    # Nothing wider than the screen but the table's own scrolling area.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("link", name="Tout afficher").click()
    expect(page.locator("#history-table tbody tr")).to_have_count(5)
    assert errors == []
