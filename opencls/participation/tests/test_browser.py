"""A coordinator on a phone records a member with consent, then deletes them at their request."""

import pytest

from opencls.contracts.models import ContractRole
from opencls.participation.models import Participant
from opencls.participation.tests.factories import ParticipationBodyFactory
from opencls.testing import factories
from opencls.testing.browser import log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_member_with_consent_then_deleted_on_request_at_390_px(page):
    contract = factories.ContractFactory(title="CLS de Lens-Liévin")
    cite = factories.PriorityNeighbourhoodFactory(territory=contract.territory, name="Cité 9")
    body = ParticipationBodyFactory(
        contract=contract, kind="citizen_council", name="Conseil citoyen Cité 9", neighbourhood=cite
    )
    coordinator = factories.user_with_role(contract, ContractRole.Role.COORDINATOR)
    page.set_viewport_size({"width": 390, "height": 844})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, coordinator.username, factories.DEFAULT_PASSWORD)
    page.goto(f"/contrats/{contract.pk}/participation/")
    page.get_by_role("link", name="Conseil citoyen Cité 9").click()
    page.get_by_label("Nom ou pseudonyme").fill("Nadia B.")
    page.get_by_label("Quartier", exact=True).select_option(label="Cité 9")
    page.get_by_label("Courriel", exact=True).fill("nadia@example.org")
    page.get_by_role("button", name="Ajouter le membre").click()
    page.get_by_text("ne s'enregistre qu'avec le consentement").first.wait_for()
    assert not Participant.objects.exists()
    page.get_by_label("Consentement à être contacté·e donné le").fill("2026-01-10")
    page.get_by_role("button", name="Ajouter le membre").click()
    page.get_by_text("Le membre a été ajouté.").wait_for()
    assert page.locator("#participants").get_by_text("nadia@example.org").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("link", name="Supprimer à sa demande Nadia B.").click()
    page.get_by_text("Cette opération est définitive").wait_for()
    page.get_by_role("button", name="Effacer ses données").click()
    page.get_by_text("Les données du membre ont été effacées, historique compris.").wait_for()
    assert page.locator("#participants").get_by_text("membre supprimé à sa demande le").is_visible()
    participant = Participant.objects.get(body=body)
    assert participant.name == "" and participant.email == ""
    assert not Participant.history.filter(name="Nadia B.").exists()
    assert errors == []
