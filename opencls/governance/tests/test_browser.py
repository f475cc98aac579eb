"""The amendment flow in a real browser: propose → see the difference → every party signs → contract changed."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from opencls.actions.models import Action
from opencls.contracts.models import Contract, ContractRole, Signatory
from opencls.governance.models import Amendment, SignatureState
from opencls.governance.tests.factories import GovernanceBodyFactory, MeetingFactory
from opencls.testing import factories
from opencls.testing.browser import log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_amendment_flow_end_to_end(page):
    contract = factories.ContractFactory(
        title="CLS intercommunal de la Marque et du Mélantois",
        status=Contract.Status.SIGNED,
        start_date=date(2025, 12, 1),
    )
    for name in ("ARS Hauts-de-France", "Ville de Villeneuve-d'Ascq"):
        signatory = factories.SignatoryFactory(
            contract=contract, organisation=factories.OrganisationFactory(name=name)
        )
        SignatureState.objects.create(contract=contract, signatory=signatory, signed_on=date(2025, 12, 1))
    axis = factories.AxisFactory(contract=contract, code="4", title="Santé mentale")
    factories.ActionFactory(axis=axis, code="FA 4.1", title="Étudier l'élargissement du CISM")
    copil = GovernanceBodyFactory(contract=contract, copil=True)
    MeetingFactory(body=copil, starts_at=timezone.now() - timedelta(days=7))
    coordinator = factories.user_with_role(contract, ContractRole.Role.COORDINATOR)
    log_in(page, coordinator.username, factories.DEFAULT_PASSWORD)

    # Propose
    page.goto(f"/contrats/{contract.pk}/gouvernance/avenants/")
    page.get_by_role("link", name="Préparer un avenant").click()
    page.get_by_label("Objet").fill("Avenant n°1 : santé mentale des élus")
    page.get_by_label("Proposé par le COPIL du").select_option(index=1)
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Aucune modification pour l'instant").wait_for()

    page.get_by_role("link", name="Ajouter une fiche action à cet axe").click()
    page.get_by_label("Code").fill("FA 4.2")
    page.get_by_label("Intitulé").fill("Former les élus au repérage de la souffrance psychique")
    page.get_by_label("Porteurs").fill("Coordination du CLS\nEPSM Agglomération Lilloise")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("La fiche action est enregistrée dans l'avenant.").wait_for()

    page.get_by_role("link", name="Ajouter un signataire").click()
    page.get_by_role("textbox", name="Organisation").fill("CAF du Nord")
    page.get_by_label("Type d'organisation").select_option("other")
    page.get_by_label("Représentant·e").fill("Véronique Delcourt")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Le signataire est enregistré dans l'avenant.").wait_for()

    # See the difference with the version in force
    page.get_by_role("link", name="Voir la différence avec la version en vigueur (2 modifications)").click()
    added_action = page.locator("#change-actions-1")
    assert (
        "AJOUT FA 4.2 — Former les élus" in added_action.locator("caption").inner_text()
    )  # DSFR badges are upper-case
    assert "Coordination du CLS, EPSM Agglomération Lilloise" in added_action.inner_text()
    assert "CAF du Nord" in page.locator("#change-signatories-1").inner_text()
    page.get_by_role("link", name="Retour à l'avenant").click()

    # Every party signs, the new one included
    for party in ("ARS Hauts-de-France", "Ville de Villeneuve-d'Ascq", "CAF du Nord"):
        assert not Action.objects.filter(contract=contract, code="FA 4.2").exists()
        page.get_by_role("link", name=f"Enregistrer la signature de {party}").click()
        page.get_by_label("Date de signature").fill("2026-04-02")
        page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text(
        "Toutes les parties ont signé : l'avenant n°1 est en vigueur et le contrat est modifié."
    ).wait_for()

    # The contract changed, and its earlier version stays readable
    amendment = Amendment.objects.get(contract=contract)
    assert amendment.status == Amendment.Status.IN_FORCE and amendment.effective_on == date(2026, 4, 2)
    new_action = Action.objects.get(contract=contract, code="FA 4.2")
    assert [o.name for o in new_action.leads] == ["Coordination du CLS", "EPSM Agglomération Lilloise"]
    assert Signatory.objects.filter(contract=contract, organisation__name="CAF du Nord").exists()
    page.get_by_role("link", name="Voir le contrat tel que l'avenant l'a laissé").click()
    assert "FA 4.2 : Former les élus" in page.locator("#version-axes").inner_text()
    assert "CAF du Nord" in page.locator("#version-signatories").inner_text()
