"""A coordinator downloads the plan, edits it, uploads it, reviews the changes and applies them."""

import pytest

from opencls.actions.models import Action
from opencls.jobs.testing import run_queued_jobs
from opencls.spreadsheets.services import plan_file_read
from opencls.spreadsheets.tests.factories import coordinator_of, rich_plan
from opencls.spreadsheets.tests.helpers import column_of, edited, row_of
from opencls.testing.browser import log_in
from opencls.testing.factories import DEFAULT_PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_uploads_reviews_and_applies(page, tmp_path):
    contract = rich_plan(actions=2)
    coordinator = coordinator_of(contract)
    action = contract.actions.order_by("pk").first()
    log_in(page, coordinator.username, DEFAULT_PASSWORD)
    page.goto(f"/contrats/{contract.pk}/tableur/")

    # The export is a background job: its page shows the progress, then the download link.
    page.get_by_role("button", name="Plan au format Excel (XLSX)").click()
    page.wait_for_url("**/taches/*/")
    run_queued_jobs()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger plan-").click()
    exported = download.value.path().read_bytes()
    page.get_by_role("link", name="Retour à la page d'origine").click()
    assert plan_file_read(exported).errors == []
    row = row_of(exported, "Plan", action.pk)
    wrong = tmp_path / "plan-faux.xlsx"
    wrong.write_bytes(edited(exported, {("Plan", f"{column_of(exported, 'Plan', 'Statut')}{row}"): "Fini"}))
    right = tmp_path / "plan.xlsx"
    right.write_bytes(
        edited(
            exported,
            {
                ("Plan", f"{column_of(exported, 'Plan', 'Statut')}{row}"): "Réalisée",
                (
                    "Plan",
                    f"{column_of(exported, 'Plan', 'Intitulé')}{row}",
                ): "Prévenir les addictions des jeunes",
            },
        )
    )

    # A wrong file: every problem with its place, and no way to apply it.
    page.get_by_label("Fichier du plan").set_input_files(str(wrong))
    page.get_by_role("button", name="Lire le fichier").click()
    errors = page.locator("#upload-errors")
    errors.wait_for()
    assert (
        f"Feuille Plan, ligne {row}, colonne Statut : « Fini » n'est pas un statut connu"
        in errors.inner_text()
    )
    assert page.get_by_role("button", name="Appliquer ces changements").count() == 0
    page.get_by_role("link", name="Retour au tableur").click()

    page.get_by_label("Fichier du plan").set_input_files(str(right))
    page.get_by_role("button", name="Lire le fichier").click()
    page.locator("#diff-summary").wait_for()
    assert page.locator("#diff-summary").inner_text() == "Ajouts : 0 · Modifications : 1 · Suppressions : 0"
    change = page.locator(".opencls-change", has_text=action.title)
    assert "Prévenir les addictions des jeunes" in change.inner_text()
    status = change.locator("tr", has_text="Statut").inner_text()
    assert "Non démarrée" in status and "Réalisée" in status
    assert Action.objects.get(pk=action.pk).title == action.title  # nothing written while reviewing

    page.get_by_role("button", name="Appliquer ces changements").click()
    page.get_by_text("Le plan a été mis à jour : 0 ajout(s), 1 modification(s), 0 suppression(s).").wait_for()
    assert Action.objects.get(pk=action.pk).title == "Prévenir les addictions des jeunes"
    assert page.locator("#uploads").get_by_text("Appliqué").count() == 1
