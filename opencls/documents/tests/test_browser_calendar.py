from datetime import date

import pytest
from playwright.sync_api import expect

from opencls.contracts.models import ContractRole
from opencls.testing.browser import log_in
from opencls.testing.factories import (
    DEFAULT_PASSWORD,
    ActionFactory,
    AxisFactory,
    ContractFactory,
    OperationFactory,
    user_with_role,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_calendar_of_actions_in_a_browser(page, width):
    contract = ContractFactory(
        title="CLS de Lens-Liévin", start_date=date(2025, 1, 1), end_date=date(2028, 12, 31)
    )
    axis = AxisFactory(contract=contract, code="Axe 1")
    action = ActionFactory(axis=axis, code="FA 1", title="Prévenir le diabète", schedule="2025-2027")
    OperationFactory(action=action, title="Dépistages en pharmacie", schedule="T1 2025")
    user_with_role(contract, ContractRole.Role.MEMBER, username="marc")
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "marc", DEFAULT_PASSWORD)
    page.goto(f"/contrats/{contract.pk}/")
    page.get_by_role("link", name="Calendrier des actions").first.click()
    expect(page.locator("#gantt .gantt__bar")).to_have_count(2)
    expect(page.locator("#gantt .gantt__bar--late")).to_have_count(1)  # the operation ended in March 2025
    expect(page.locator("#calendar-table tbody tr")).to_have_count(2)
    bar = page.locator("#gantt .gantt__bar").first.bounding_box()
    assert bar["width"] > 10 and bar["height"] > 5
    # Nothing wider than the screen but the table's own scrolling area.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert errors == []
