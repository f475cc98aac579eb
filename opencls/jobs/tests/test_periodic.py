import io

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from opencls.jobs.testing import run_queued_jobs

pytestmark = pytest.mark.django_db


def test_run_periodic_queues_the_installed_commands_for_the_workers(settings):
    settings.OPENCLS_PERIODIC_COMMANDS = ["check", "prune_db_task_results", "commande_absente"]
    out, err = io.StringIO(), io.StringIO()
    call_command("run_periodic", stdout=out, stderr=err)
    assert (
        "Mise en file : check" in out.getvalue() and "Mise en file : prune_db_task_results" in out.getvalue()
    )
    assert "Commande périodique absente, ignorée : commande_absente" in err.getvalue()
    queued = DBTaskResult.objects.ready()
    assert sorted(task.args_kwargs["args"][0] for task in queued) == ["check", "prune_db_task_results"]
    assert run_queued_jobs() == 2
    assert DBTaskResult.objects.successful().count() == 2


def test_run_periodic_now_runs_them_here(settings):
    settings.OPENCLS_PERIODIC_COMMANDS = ["check"]
    out = io.StringIO()
    call_command("run_periodic", "--now", stdout=out)
    assert "Exécutée : check" in out.getvalue() and not DBTaskResult.objects.exists()
