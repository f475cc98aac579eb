import pytest

from opencls.contracts.models import Contract
from opencls.imports.tests.expected import DOCUMENTS, FIXTURES
from opencls.jobs.testing import run_queued_jobs
from opencls.testing.browser import log_in
from opencls.testing.factories import DEFAULT_PASSWORD, UserFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_coordinator_imports_a_word_contract(page, tmp_path):
    user = UserFactory(username="coordinatrice", can_create_contracts=True)
    log_in(page, user.username, DEFAULT_PASSWORD)
    page.get_by_role("link", name="Importer un document").first.click()

    # A PDF is read by a background job: its page shows the progress, then the French error.
    page.get_by_label("Document du contrat").set_input_files(str(FIXTURES / "contrat_protege.pdf"))
    page.get_by_role("button", name="Lire le document").click()
    page.wait_for_url("**/taches/*/")
    run_queued_jobs()
    page.get_by_text("La tâche a échoué").wait_for()
    assert "protégé par un mot de passe" in page.locator(".opencls-job").inner_text()
    page.get_by_role("link", name="Retour à la page d'origine").click()

    page.get_by_label("Document du contrat").set_input_files(str(DOCUMENTS["003"]["docx"]))
    page.get_by_role("button", name="Lire le document").click()
    assert "13 fiches actions" in page.locator("#import-counts").inner_text()
    assert "55 000 habitants en QPV" in page.locator("#warnings").inner_text()
    page.locator("#action-12").get_by_text("Faire connaître la Maison des usagers").wait_for(state="attached")
    page.screenshot(path=str(tmp_path / "review.png"), full_page=False)

    page.get_by_role("button", name="Enregistrer comme brouillon").click()
    page.get_by_text("a été créé comme brouillon").wait_for()
    contract = Contract.objects.get()
    assert page.url.endswith(f"/contrats/{contract.pk}/")
    assert contract.roles.filter(user=user, role="coordinator").exists()
