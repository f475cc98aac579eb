"""The official territory picker on a real page: type, see the matches, choose, confirm."""

import pytest
from django.urls import reverse

from opencls.contracts.models import ContractRole
from opencls.geo.loader import load_territories
from opencls.territories.models import Municipality
from opencls.testing.browser import log_in
from opencls.testing.factories import DEFAULT_PASSWORD, ContractFactory, user_with_role


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390])
def test_a_coordinator_types_an_epci_and_chooses_it(page, width, tmp_path):
    load_territories(departments=["62"])
    contract = ContractFactory()
    user = user_with_role(contract, ContractRole.Role.COORDINATOR, username="coordinatrice")
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, user.username, DEFAULT_PASSWORD)
    page.goto(reverse("contracts:edit_territory", args=[contract.pk]))

    page.locator("#official-q").press_sequentially("Lens - Li", delay=40)
    results = page.locator("#official-results")
    choose = results.get_by_role("button", name="Choisir CA de Lens - Liévin")
    choose.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(tmp_path / f"picker-{width}.png"), full_page=True)
    choose.click()

    page.locator("#confirm-replacements").wait_for()
    assert Municipality.objects.filter(territory=contract.territory).count() == 0
    page.get_by_role("button", name="Confirmer le territoire").click()
    page.get_by_text("36 commune(s) ajoutée(s)").wait_for()
    assert Municipality.objects.filter(territory=contract.territory).count() == 36
    assert page.locator("#official-current").get_by_text("CA de Lens - Liévin").count() == 1
