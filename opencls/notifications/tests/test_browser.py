"""A user finds their notifications from the header's counter, opens one, marks the rest read and
chooses the weekly digest; on a phone the link is in the menu."""

import pytest
from playwright.sync_api import expect

from opencls.notifications.models import Kind, Notification, Preference
from opencls.testing.browser import log_in
from opencls.testing.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_header_counter_list_open_mark_read_and_preference(browser, live_server, tmp_path):
    user = UserFactory(username="porteuse")
    for title in ("Campagne 2026 ouverte", "Fiche 2025 validée"):
        Notification.objects.create(user=user, kind=Kind.CAMPAIGN_OPENED, title=title, url="/mes-fiches/")
    Notification.objects.create(user=UserFactory(), kind=Kind.LATE, title="Pas pour vous", url="/")

    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(30000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, user.username, DEFAULT_PASSWORD)
    counter = page.locator(".fr-header__tools #notifications-unread")
    expect(counter).to_have_text("2")
    page.locator(".fr-header__tools #notifications-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes notifications")
    assert "Pas pour vous" not in page.content()
    page.screenshot(path=str(tmp_path / "notifications.png"), full_page=True)

    page.get_by_role("button", name="Voir : Fiche 2025 validée").click()
    expect(page).to_have_url(f"{live_server.url}/mes-fiches/")
    expect(counter).to_have_text("1")
    page.goto("/notifications/")
    page.get_by_role("button", name="Tout marquer comme lu").click()
    expect(page.get_by_text("1 notification(s) marquée(s) comme lue(s).")).to_be_visible()
    expect(counter).to_have_count(0)

    page.get_by_role("link", name="Mes préférences de courriel").click()
    page.get_by_text("Recevoir un résumé hebdomadaire").click()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Vos préférences ont été enregistrées.")).to_be_visible()
    assert Preference.objects.get(user=user).email_frequency == "weekly"

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    page.get_by_role("button", name="Menu").click()
    menu = page.locator("#header-navigation-modal")
    expect(menu.get_by_role("link", name="Notifications")).to_be_visible()
    page.screenshot(path=str(tmp_path / "menu-390.png"))
    menu.get_by_role("link", name="Notifications").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes notifications")
    assert errors == []
    context.close()
