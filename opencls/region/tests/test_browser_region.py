import pytest
from playwright.sync_api import expect

from opencls.testing.browser import log_in
from opencls.testing.factories import (
    DEFAULT_PASSWORD,
    ActionFactory,
    AxisFactory,
    ContractFactory,
    TerritoryFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_regional_page_filters_in_a_browser(page, width):
    for name, department, title in [
        ("CA de Lens-Liévin", "62", "CLS de Lens-Liévin"),
        ("CC Pévèle Carembault", "59", "CLSI de la Marque et du Mélantois"),
    ]:
        territory = TerritoryFactory(
            name=name, region="Hauts-de-France", region_code="32", department_code=department
        )
        contract = ContractFactory(title=title, territory=territory)
        ActionFactory(axis=AxisFactory(contract=contract), title="Promouvoir le dépistage des cancers")
    ContractFactory(title="CLS breton", territory=TerritoryFactory(region="Bretagne", department_code="29"))
    UserFactory(username="ars-hdf", ars_region="Hauts-de-France")
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "ars-hdf", DEFAULT_PASSWORD)
    # The ARS reader lands on the regional view.
    expect(page.get_by_role("heading", level=1)).to_have_text("Vue régionale")
    rows = page.locator("#region-table tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("[data-total=contracts]")).to_have_text("2")
    # htmx: changing a filter updates the results without a page load, and the URL follows.
    page.get_by_label("Département").select_option("62")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("CLS de Lens-Liévin")
    expect(page.locator("[data-total=contracts]")).to_have_text("1")
    assert "department=62" in page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Search from the regional navigation.
    page.get_by_role("link", name="Recherche").click()
    page.get_by_label("Rechercher").fill("depistage")
    page.locator("#region-search").get_by_role("button", name="Rechercher").click()
    expect(page.locator("section[data-contract]")).to_have_count(2)
    expect(page.locator("mark").first).to_have_text("dépistage")
    # The map and its table alternative.
    page.get_by_role("link", name="Carte").click()
    expect(page.locator("#region-map svg g[data-department]")).to_have_count(101)
    page.get_by_text("Afficher les données de la carte sous forme de tableau").click()
    expect(page.locator("#map-table tbody tr")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert errors == []
