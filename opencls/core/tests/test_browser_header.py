"""Every role's main pages, desktop and 390 px: no JavaScript error, and the account menu works."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from opencls.accounts.models import User
from opencls.contracts.models import Contract, ContractRole
from opencls.testing.browser import log_in
from opencls.testing.factories import DEFAULT_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PATIENCE = 45000  # ms: a shared, loaded machine

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(settings):
    call_command("load_demo")
    for user in User.objects.all():
        user.set_password(DEFAULT_PASSWORD)
        user.save(update_fields=["password"])
    return Contract.objects.order_by("pk").first()


def watch_errors(page):
    errors = []
    page.on(
        "console", lambda message: message.type == "error" and errors.append(f"{page.url}: {message.text}")
    )
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    return errors


def contract_pages(page, contract):
    page.goto(f"/contrats/{contract.pk}/")
    links = page.locator(".opencls-contract-nav a.fr-nav__link")
    return [links.nth(i).get_attribute("href") for i in range(links.count())]


def visit(page, urls, errors):
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        page.wait_for_load_state("networkidle")
    assert errors == []


def open_mobile_menu(page):
    page.get_by_role("button", name="Menu").click()
    menu = page.locator("#header-navigation-modal")
    expect(menu).to_be_visible()
    return menu


@pytest.mark.parametrize("who", ["coordination", "porteur", "ars"])
def test_each_role_pages_have_no_js_error_and_the_account_menu_on_desktop_and_phone(
    browser, live_server, demo, who
):
    contract = demo
    if who == "porteur":
        role = (
            ContractRole.objects.filter(role=ContractRole.Role.LEAD)
            .select_related("user", "contract")
            .first()
        )
        contract = role.contract
    user = User.objects.get(username=role.user.username if who == "porteur" else who)
    username = user.username
    for viewport in (DESKTOP, PHONE):
        context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport=viewport)
        page = context.new_page()
        page.set_default_timeout(PATIENCE)
        expect.set_options(timeout=20000)
        errors = watch_errors(page)
        log_in(page, username, DEFAULT_PASSWORD)
        # Each lands on a home of their own: a porteur on its fiches, the ARS on the regional view,
        # the coordination on the dashboard.
        home = {"porteur": "Mes fiches", "ars": "Vue régionale"}.get(who, "Tableau de bord")
        expect(page.get_by_role("heading", level=1)).to_have_text(home)
        tabs = contract_pages(page, contract)
        assert len(tabs) >= 2, tabs
        visit(page, ["/", *tabs], errors)

        if viewport is DESKTOP:
            expect(page.locator(".fr-header__tools #current-user")).to_have_text(str(user))
            expect(
                page.locator(".fr-header__tools").get_by_role("button", name="Se déconnecter")
            ).to_be_visible()
        else:
            expect(page.locator(".fr-header__tools-links")).to_be_hidden()
            menu = open_mobile_menu(page)
            expect(menu.get_by_role("link", name=str(user))).to_be_visible()
            expect(menu.get_by_role("link", name="Tableau de bord")).to_be_visible()
            menu.get_by_role("button", name="Se déconnecter").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter à OpenCLS")
            page.goto("/")
            expect(page).to_have_url(f"{live_server.url}/comptes/connexion/?next=/")
        assert errors == []
        context.close()


def test_public_pages_have_no_js_error_and_the_phone_menu_offers_login(browser, live_server, demo):
    for viewport in (DESKTOP, PHONE):
        context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport=viewport)
        page = context.new_page()
        page.set_default_timeout(PATIENCE)
        expect.set_options(timeout=20000)
        errors = watch_errors(page)
        visit(page, ["/contrats/publies/", f"/contrats/publies/{demo.pk}/", "/comptes/connexion/"], errors)
        if viewport is PHONE:
            menu = open_mobile_menu(page)
            expect(menu.get_by_role("link", name="Se connecter")).to_be_visible()
            expect(menu.get_by_role("link", name="Contrats publiés")).to_be_visible()
        assert errors == []
        context.close()
