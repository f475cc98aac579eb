"""A PDF (or a big file) is read by a background job: upload → job page with its progress bar →
the same review page as a document read in the request (issue 13)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from opencls.contracts.models import Contract
from opencls.imports.jobs import DOCUMENT_IMPORT
from opencls.imports.models import DocumentImport
from opencls.imports.tests.expected import DOCUMENTS
from opencls.jobs.models import Job
from opencls.jobs.testing import run_queued_jobs
from opencls.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_pdf_is_read_by_a_job_then_reviewed_as_before():
    user = UserFactory(can_create_contracts=True)
    client = logged_in(user)
    path = DOCUMENTS["004"]["pdf"]
    response = client.post(
        reverse("imports:upload"), {"file": SimpleUploadedFile(path.name, path.read_bytes())}
    )
    job = Job.objects.get()
    assert (job.kind, job.requested_by, job.contract) == (DOCUMENT_IMPORT, user, None)
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert not DocumentImport.objects.exists()  # nothing read in the request
    page = client.get(response["Location"]).content.decode()
    assert "<progress" in page and "004_clsi_marque_melantois.pdf" in page

    assert run_queued_jobs() == 1
    job.refresh_from_db()
    document_import = DocumentImport.objects.get()
    review = reverse("imports:review", args=[document_import.pk])
    assert job.status == "done" and job.result_url == review and not job.result
    # The waiting page's poll goes on to the review; the page itself offers to continue.
    poll = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert poll["HX-Redirect"] == review
    assert f'href="{review}"' in client.get(response["Location"]).content.decode()

    page = client.get(review).content.decode()
    assert "4 axes" in page and "15 fiches actions" in page and "23 signataires" in page
    assert (document_import.user, document_import.file_format) == (user, "PDF")
    assert Contract.objects.count() == 0  # still nothing saved before the review


def test_an_import_job_is_its_uploaders_only():
    user = UserFactory(can_create_contracts=True)
    path = DOCUMENTS["003"]["pdf"]
    logged_in(user).post(
        reverse("imports:upload"), {"file": SimpleUploadedFile(path.name, path.read_bytes())}
    )
    run_queued_jobs()
    job = Job.objects.get()
    for other in (UserFactory(can_create_contracts=True), UserFactory(is_superuser=True)):
        client = logged_in(other)
        assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
        assert job.label not in client.get(reverse("jobs:list")).content.decode()


def test_the_job_fails_in_french_when_the_right_was_withdrawn_meanwhile():
    user = UserFactory(can_create_contracts=True)
    path = DOCUMENTS["003"]["pdf"]
    logged_in(user).post(
        reverse("imports:upload"), {"file": SimpleUploadedFile(path.name, path.read_bytes())}
    )
    user.can_create_contracts = False
    user.save()
    run_queued_jobs()
    job = Job.objects.get()
    assert job.status == "failed" and "créer des contrats" in job.error
    assert not DocumentImport.objects.exists()


def test_small_word_files_are_still_read_in_the_request(settings):
    user = UserFactory(can_create_contracts=True)
    path = DOCUMENTS["004"]["docx"]
    response = logged_in(user).post(
        reverse("imports:upload"), {"file": SimpleUploadedFile(path.name, path.read_bytes())}
    )
    assert response["Location"] == reverse("imports:review", args=[DocumentImport.objects.get().pk])
    assert not Job.objects.exists()
    settings.OPENCLS_IMPORT_SYNC_MAX_BYTES = 10 * 1024  # a big Word file goes to a job too
    response = logged_in(user).post(
        reverse("imports:upload"), {"file": SimpleUploadedFile(path.name, path.read_bytes())}
    )
    assert response["Location"] == reverse("jobs:detail", args=[Job.objects.get().pk])
