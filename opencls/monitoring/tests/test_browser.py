"""A porteur enters the value of its indicator in the browser, then the coordinator generates the report."""

import pytest

from opencls.jobs.testing import run_queued_jobs
from opencls.monitoring.models import EvaluationReport, IndicatorValue
from opencls.testing.browser import log_in
from opencls.testing.factories import DEFAULT_PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_lead_enters_a_value_and_sees_it_against_the_target(page, year_2026):
    log_in(page, year_2026.lead.username, DEFAULT_PASSWORD)
    page.goto(f"/contrats/{year_2026.contract.pk}/suivi/")
    page.get_by_role("link", name="FA 1.1 : Compétences psychosociales des jeunes").first.click()
    page.get_by_role("link", name="Nombre de professionnels formés").click()

    form = page.locator("#value-form")
    form.get_by_label("Période").select_option("2026")
    form.get_by_label("Valeur").fill("42")
    form.get_by_label("Commentaire").fill("Deux promotions supplémentaires")
    form.get_by_role("button", name="Enregistrer la valeur").click()

    # 27 was already entered for 2026: before → after, then confirm (checked at phone width too).
    page.set_viewport_size({"width": 390, "height": 844})
    replacement = page.locator("#confirm-replacements tbody tr").first
    replacement.wait_for()
    assert (
        "27" in replacement.inner_text()
        and "42 — Deux promotions supplémentaires" in replacement.inner_text()
    )
    assert IndicatorValue.objects.get(indicator=year_2026.trained, period="2026").value == 27
    page.get_by_role("button", name="Confirmer").click()

    page.get_by_text("La valeur a été enregistrée.").wait_for()
    row = page.locator("#periods-table tr", has_text="2026").first
    assert "42" in row.inner_text() and "oui" in row.inner_text().lower()  # 42 for a target of 40
    value = IndicatorValue.objects.get(indicator=year_2026.trained, period="2026")
    assert (value.value, value.entered_by_id) == (42, year_2026.lead.pk)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_generates_the_pdf_with_progress_feedback(page, year_2026):
    log_in(page, year_2026.coordinator.username, DEFAULT_PASSWORD)
    page.goto(f"/contrats/{year_2026.contract.pk}/evaluation/2026/")
    page.get_by_role("button", name="Générer le PDF").click()
    # The button queues a background job; its progress bar polls until a worker has run it.
    page.locator("#report-files progress").wait_for()
    assert run_queued_jobs() == 1
    page.get_by_text("Rapport d'évaluation 2026 (PDF) : terminé").wait_for()
    report = EvaluationReport.objects.get()
    with page.expect_download() as download:
        page.locator("#report-files .fr-alert a").click()
    assert download.value.suggested_filename == report.filename
    # Generated through htmx: the page was not reloaded, the synthesis form is still there.
    assert page.locator("#synthesis-form").count() == 1
