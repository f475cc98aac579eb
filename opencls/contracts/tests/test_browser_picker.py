"""The organisation picker on a real page: nothing is chosen for the user while they type."""

import pytest
from django.urls import reverse

from opencls.accounts.models import Organisation
from opencls.contracts.models import ContractRole
from opencls.testing.browser import log_in
from opencls.testing.factories import DEFAULT_PASSWORD, ContractFactory, OrganisationFactory, user_with_role


def checked_radios(page):
    return page.locator("#picker-signatory-results input[type=radio]:checked").count()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390])
def test_typing_prisme_never_selects_a_new_organisation_named_pris(page, width):
    contract = ContractFactory()
    prisme = OrganisationFactory(name="Association PRISME")
    user = user_with_role(contract, ContractRole.Role.COORDINATOR, username="coordinatrice")
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, user.username, DEFAULT_PASSWORD)
    page.goto(reverse("contracts:edit_signatories", args=[contract.pk]))
    name = page.locator("#picker-signatory input[type=search]")
    results = page.locator("#picker-signatory-results")

    name.press_sequentially("PRIS", delay=60)
    results.get_by_text("Nouvelle organisation « PRIS »").wait_for()
    assert checked_radios(page) == 0  # shown, but not chosen for the user
    name.press_sequentially("ME", delay=60)
    results.get_by_text("Nouvelle organisation « PRISME »").wait_for()
    assert results.get_by_text("« PRIS »").count() == 0
    assert checked_radios(page) == 0
    # No sideways scrolling on a phone either.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # The user picks the known organisation: no new one is created.
    results.get_by_text("Association PRISME").click()
    count = Organisation.objects.count()
    page.get_by_role("button", name="Ajouter le signataire").click()
    page.get_by_text("a été ajouté aux signataires").wait_for()
    assert Organisation.objects.count() == count
    assert contract.signatories.get().organisation == prisme
