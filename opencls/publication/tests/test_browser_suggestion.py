"""An inhabitant leaves a suggestion from a phone; the coordination approves and answers it."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from opencls.contracts.models import ContractRole
from opencls.publication import services
from opencls.publication.models import Suggestion
from opencls.testing import factories
from opencls.testing.browser import log_in
from opencls.testing.factories import DEFAULT_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
MESSAGE = "Pourriez-vous ajouter un arrêt du bus santé près du marché du samedi ?"


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_inhabitant_on_a_phone_then_coordinator_approves(browser, live_server):
    cache.clear()
    contract = factories.ContractFactory(title="CLS de la Vallée")
    coordinator = factories.user_with_role(contract, ContractRole.Role.COORDINATOR, username="coord")
    axis = factories.AxisFactory(contract=contract, title="Accès aux soins")
    action = factories.ActionFactory(axis=axis, title="Bus santé itinérant", is_public=True)
    factories.IndicatorFactory(action=action, label="Passages du bus", is_public=True)
    services.publish_version(contract, user=coordinator)
    errors = []

    phone = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport=PHONE)
    page = phone.new_page()
    page.set_default_timeout(45000)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"/contrats/publies/{contract.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("CLS de la Vallée")
    expect(page.locator("#version-notice")).to_contain_text("version n° 1")
    assert no_horizontal_scroll(page)
    page.locator("#plan ~ ul").get_by_role("link", name="Bus santé itinérant").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bus santé itinérant")
    assert no_horizontal_scroll(page)
    page.locator("label", has_text="poser une question").click()
    expect(page.get_by_label("poser une question")).to_be_checked()
    page.locator("#id_message").fill(MESSAGE)
    page.locator("#id_author_name").fill("Samia")
    page.get_by_role("button", name="Envoyer mon message").click()
    expect(page.get_by_text("sera publié après relecture")).to_be_visible()
    expect(page.locator("#approved-suggestions")).to_have_count(0)  # nothing shows before approval
    assert Suggestion.objects.get().state == Suggestion.State.PENDING

    desk = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport=PHONE)
    moderator = desk.new_page()
    moderator.set_default_timeout(45000)
    log_in(moderator, "coord", DEFAULT_PASSWORD)
    moderator.goto(f"/contrats/{contract.pk}/suggestions/")
    moderator.get_by_role("link", name="arrêt du bus").click()
    moderator.get_by_label("Réponse publique de la coordination").fill("Oui, dès septembre, le samedi matin.")
    moderator.get_by_role("button", name="Publier le message").click()
    expect(moderator.locator("#suggestion-state")).to_have_text("Publiée")
    assert coordinator.pk

    page.reload()
    shown = page.locator("#approved-suggestions")
    expect(shown).to_contain_text(MESSAGE)
    expect(shown).to_contain_text("Samia")
    expect(shown).to_contain_text("dès septembre")
    assert no_horizontal_scroll(page)
    assert errors == []
    phone.close()
    desk.close()
