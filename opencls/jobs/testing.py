"""Running queued jobs inside a test, through django-tasks-db's own worker code.

The end-to-end test with a real `db_worker` process is opencls/jobs/tests/test_worker.py."""


def run_queued_jobs() -> int:
    """Runs every ready task on the test's database connection; returns how many ran."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    count = 0
    while True:
        # Claimed in a transaction, as the worker does (row locks on PostgreSQL).
        with exclusive_transaction():
            task_result = DBTaskResult.objects.ready().get_locked()
            if task_result is not None:
                task_result.claim(worker.worker_id)
        if task_result is None:
            return count
        worker.run_task(task_result)
        count += 1
