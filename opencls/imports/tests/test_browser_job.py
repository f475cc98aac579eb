"""A PDF contract read by a background job, as a user sees it: the job page's progress bar, then
the review page opens by itself (issue 13)."""

import pytest
from playwright.sync_api import expect

from opencls.imports.tests.expected import DOCUMENTS
from opencls.jobs.testing import run_queued_jobs
from opencls.testing.browser import log_in
from opencls.testing.factories import DEFAULT_PASSWORD, UserFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_pdf_goes_through_the_job_page_to_the_review(page, tmp_path):
    user = UserFactory(username="coordinatrice", can_create_contracts=True)
    log_in(page, user.username, DEFAULT_PASSWORD)
    page.goto("/importer/")
    page.get_by_label("Document du contrat").set_input_files(str(DOCUMENTS["003"]["pdf"]))
    page.get_by_role("button", name="Lire le document").click()
    page.wait_for_url("**/taches/*/")
    expect(page.locator("progress")).to_be_visible()
    page.screenshot(path=str(tmp_path / "job.png"))
    run_queued_jobs()
    page.wait_for_url("**/importer/*/", timeout=30000)  # the poll hands over to the review
    assert "13 fiches actions" in page.locator("#import-counts").inner_text()
