import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from opencls.contracts.models import ContractRole
from opencls.jobs.models import Job
from opencls.jobs.services import execute, progress, start_job
from opencls.jobs.testing import run_queued_jobs
from opencls.testing.factories import ContractFactory, user_with_role

pytestmark = pytest.mark.django_db


def start_file_job(user, contract, text="bonjour"):
    return start_job("tests.file", user, contract, label="Export de test", text=text)


def test_a_job_runs_in_the_worker_and_keeps_its_file(test_kinds, member, contract):
    job = start_file_job(member, contract)
    assert job.status == "queued" and job.task_id and job.params == {"text": "bonjour"}
    assert run_queued_jobs() == 1
    job.refresh_from_db()
    assert job.status == "done" and job.progress == 100 and job.started_at and job.finished_at
    assert job.result_filename == "resultat.txt" and job.result.read() == b"bonjour"
    # States are in the history (the contract's audit trail), progress steps are not.
    assert [h.status for h in job.history.order_by("history_id")] == ["queued", "running", "done"]


def test_the_task_and_the_job_are_written_together(test_kinds, member, contract):
    from django_tasks_db.models import DBTaskResult

    with pytest.raises(ValueError):
        start_job("tests.unknown", member, contract, label="?")
    assert not Job.objects.exists() and not DBTaskResult.objects.exists()
    job = start_file_job(member, contract)
    assert str(DBTaskResult.objects.get().id) == job.task_id


def test_a_job_is_never_run_twice(test_kinds, member, contract):
    job = start_file_job(member, contract)
    execute(job.pk)
    Job.objects.filter(pk=job.pk).update(result_filename="inchangé")
    execute(job.pk)
    assert Job.objects.get(pk=job.pk).result_filename == "inchangé"


def test_starting_needs_the_kinds_right_on_the_contract(test_kinds, contract, stranger):
    with pytest.raises(PermissionDenied):
        start_file_job(stranger, contract)
    assert not Job.objects.exists()


def test_rights_lost_before_the_run_fail_the_job_in_french(test_kinds, member, contract):
    job = start_file_job(member, contract)
    ContractRole.objects.filter(user=member).delete()
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == "failed" and job.error == "Vous n'avez plus les droits nécessaires sur ce contrat."
    assert not job.result


def test_failures_show_a_french_error_and_log_the_unexpected_ones(test_kinds, member, contract, caplog):
    explained = start_job("tests.failing", member, contract, label="Échec expliqué", french=True)
    unexpected = start_job("tests.failing", member, contract, label="Échec imprévu", french=False)
    with caplog.at_level(logging.ERROR, logger="opencls.jobs"):
        run_queued_jobs()
    explained.refresh_from_db()
    unexpected.refresh_from_db()
    assert explained.status == "failed" and explained.error == "Le fichier demandé est trop volumineux."
    assert unexpected.status == "failed" and "erreur inattendue" in unexpected.error
    assert "secret internal detail" not in unexpected.error
    assert [r.job_id for r in caplog.records] == [unexpected.pk]


def test_progress_is_bounded_and_leaves_no_history(test_kinds, member, contract):
    job = start_file_job(member, contract)
    progress(job, 140, "x" * 400)
    job.refresh_from_db()
    assert job.progress == 100 and len(job.message) == 300
    progress(job, -5)
    assert Job.objects.get(pk=job.pk).progress == 0
    assert job.history.count() == 1


def test_job_page_polls_until_done_then_offers_the_download(test_kinds, client, member, contract):
    job = start_file_job(member, contract)
    client.force_login(member)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "<progress" in page and 'hx-trigger="every 1s"' in page and "Export de test" in page
    run_queued_jobs()
    fragment = client.get(reverse("jobs:detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment and "Télécharger resultat.txt" in fragment
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert b"".join(download.streaming_content) == b"bonjour"
    assert download["Content-Disposition"] == 'attachment; filename="resultat.txt"'


def test_failed_job_page_shows_the_error_and_no_download(test_kinds, client, member, contract):
    job = start_job("tests.failing", member, contract, label="Échec", french=True)
    run_queued_jobs()
    client.force_login(member)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "La tâche a échoué" in page and "trop volumineux" in page
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


@pytest.mark.parametrize(
    "who, sees",
    [
        ("requester", True),
        ("coordinator", True),
        ("ars_reader", False),
        ("other_member", False),
        ("stranger", False),
        ("other_coordinator", False),
        ("anonymous", False),
    ],
)
def test_who_sees_a_job_and_its_result(
    test_kinds, client, member, coordinator, ars_reader, stranger, contract, who, sees
):
    job = start_file_job(member, contract)
    run_queued_jobs()
    users = {
        "requester": member,
        "coordinator": coordinator,
        "ars_reader": ars_reader,
        "other_member": user_with_role(contract, ContractRole.Role.MEMBER),
        "stranger": stranger,
        "other_coordinator": user_with_role(ContractFactory(), ContractRole.Role.COORDINATOR),
        "anonymous": None,
    }
    if users[who]:
        client.force_login(users[who])
    for name in ("jobs:detail", "jobs:download"):
        response = client.get(reverse(name, args=[job.pk]))
        if who == "anonymous":
            assert response.status_code == 302 and "/comptes/" in response["Location"]
        else:
            assert response.status_code == (200 if sees else 404), (name, who)


def test_a_job_without_a_right_any_more_keeps_its_page_but_not_its_file(test_kinds, client, member, contract):
    job = start_file_job(member, contract)
    run_queued_jobs()
    ContractRole.objects.filter(user=member).delete()
    client.force_login(member)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 200
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("count", [1, 6])
def test_my_jobs_list_shows_only_mine_in_constant_queries(
    test_kinds, client, member, coordinator, contract, django_assert_num_queries, count
):
    for index in range(count):
        start_file_job(member, contract, text=str(index))
    start_job("tests.file", coordinator, contract, label="Tâche de la coordination", text="x")
    client.force_login(member)
    # session, user, jobs with their contracts
    with django_assert_num_queries(3):
        page = client.get(reverse("jobs:list")).content.decode()
    assert page.count("Export de test") == count and "Tâche de la coordination" not in page
    assert "En attente" in page


def test_the_contracts_history_shows_its_jobs(test_kinds, client, member, coordinator, contract):
    start_file_job(member, contract)
    run_queued_jobs()
    client.force_login(coordinator)
    page = client.get(reverse("core:contract_history", args=[contract.pk])).content.decode()
    assert "Export de test — Terminée" in page and "Tâches de fond" in page
