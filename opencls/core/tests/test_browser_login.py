import re

import pytest
from playwright.sync_api import expect

from opencls.contracts.models import ContractRole
from opencls.testing.browser import log_in
from opencls.testing.factories import DEFAULT_PASSWORD, ContractFactory, UserFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_through_the_real_page_and_see_the_dashboard(page):
    contract = ContractFactory(title="Contrat local de santé de Lens-Liévin")
    ContractFactory(title="Contrat d'un autre territoire")
    user = user_with_role(
        contract, ContractRole.Role.COORDINATOR, username="ines", first_name="Inès", last_name="Roy"
    )

    refused = []  # what the Content-Security-Policy blocked, as chromium reports it
    page.on(
        "console", lambda message: "Content Security Policy" in message.text and refused.append(message.text)
    )
    log_in(page, "ines", DEFAULT_PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord")
    expect(page.get_by_text(f"Bonjour {user}.")).to_be_visible()
    table = page.locator("#contracts-table")
    expect(table.get_by_role("link", name="Contrat local de santé de Lens-Liévin")).to_be_visible()
    expect(table.get_by_text("Contrat d'un autre territoire")).to_have_count(0)

    table.get_by_role("link", name="Contrat local de santé de Lens-Liévin").click()
    expect(page).to_have_url(re.compile(rf"/contrats/{contract.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Contrat local de santé de Lens-Liévin")
    assert refused == []


def test_wrong_password_is_refused_in_french(page):
    UserFactory(username="ines")
    log_in(page, "ines", "pas-le-bon-mot-de-passe")
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter à OpenCLS")
    expect(page.get_by_text("Saisissez un nom d’utilisateur et un mot de passe valides.")).to_be_visible()


def test_log_out(page):
    UserFactory(username="ines")
    log_in(page, "ines", DEFAULT_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord")
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter à OpenCLS")
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/comptes/connexion/\?next=/$"))
