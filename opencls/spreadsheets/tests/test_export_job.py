"""The plan's exports as background jobs (issue 13): started by the page's buttons, with the same
right as the synchronous download, and downloadable by their requester only."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from opencls.contracts.models import ContractRole
from opencls.jobs.models import Job
from opencls.jobs.registry import KINDS
from opencls.jobs.testing import run_queued_jobs
from opencls.spreadsheets.jobs import PLAN_EXPORT
from opencls.spreadsheets.tests.factories import coordinator_of, rich_plan
from opencls.testing.factories import ContractFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db
R = ContractRole.Role


@pytest.fixture
def contract():
    return rich_plan(actions=2)


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_kind_needs_the_right_of_the_synchronous_download():
    assert KINDS[PLAN_EXPORT].permission == "contract.export" and KINDS[PLAN_EXPORT].requester_only


@pytest.mark.parametrize("file_format, magic", [("xlsx", b"PK"), ("ods", b"PK"), ("tet", b"PK")])
def test_a_button_starts_the_export_job_whose_page_offers_the_file(contract, file_format, magic):
    member = user_with_role(contract, R.MEMBER)
    client = logged_in(member)
    home = client.get(reverse("spreadsheets:home", args=[contract.pk])).content.decode()
    url = reverse("spreadsheets:export", args=[contract.pk, file_format])
    assert f'<form method="post" action="{url}">' in home
    response = client.post(url)
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.requested_by, job.contract, job.status) == (PLAN_EXPORT, member, contract, "queued")
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == "done" and job.result_filename.startswith(f"plan-{contract.pk}-")
    page = client.get(response["Location"]).content.decode()
    assert f"Télécharger {job.result_filename}" in page
    download = client.get(reverse("jobs:download", args=[job.pk]))
    content = b"".join(download.streaming_content)
    assert content[:2] == magic
    if file_format == "xlsx":
        assert "Plan" in load_workbook(io.BytesIO(content)).sheetnames


def test_the_export_is_its_requesters_only(contract):
    member = user_with_role(contract, R.MEMBER)
    logged_in(member).post(reverse("spreadsheets:export", args=[contract.pk, "xlsx"]))
    run_queued_jobs()
    job = Job.objects.get()
    others = [
        coordinator_of(contract),  # even the contract's coordinator
        user_with_role(contract, R.MEMBER),
        user_with_role(ContractFactory(), R.COORDINATOR),
        UserFactory(is_superuser=True),
    ]
    for other in others:
        client = logged_in(other)
        for name in ("jobs:detail", "jobs:download"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404, (other, name)
    assert logged_in(member).get(reverse("jobs:download", args=[job.pk])).status_code == 200


def test_without_the_export_right_no_job_is_started(contract):
    outsider = UserFactory()
    response = logged_in(outsider).post(reverse("spreadsheets:export", args=[contract.pk, "ods"]))
    assert response.status_code == 404 and not Job.objects.exists()
    unknown = logged_in(coordinator_of(contract)).post(
        reverse("spreadsheets:export", args=[contract.pk, "csv"])
    )
    assert unknown.status_code == 302 and not Job.objects.exists()


def test_a_big_plan_is_not_written_within_the_request(contract, settings):
    client = logged_in(coordinator_of(contract))
    url = reverse("spreadsheets:export", args=[contract.pk, "xlsx"])
    assert client.get(url)["Content-Disposition"].startswith("attachment")
    settings.OPENCLS_SYNC_EXPORT_MAX_ACTIONS = 1
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("spreadsheets:home", args=[contract.pk])
    assert "se prépare en arrière-plan" in response.content.decode() and not Job.objects.exists()
