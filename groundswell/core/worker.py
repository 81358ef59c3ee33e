"""Run the background work that is ready now, in this process (tests, commands)."""

from __future__ import annotations

from django.db import transaction
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from groundswell.core import clock


def drain(*, periodic: bool = True, rounds: int = 3) -> int:
    """Run every ready task and then every periodic job, until nothing is left.

    Tasks may queue tasks and periodic jobs may queue tasks (a milestone email), so a
    few rounds settle everything. Unlike the worker process it never closes the
    database connection, so it can run inside a caller's transaction. Returns how
    many tasks ran.
    """
    runner = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="drain",
        excluded_queue_names=[],
    )
    ran = 0
    for _ in range(rounds):
        while True:
            with transaction.atomic():
                task_result = DBTaskResult.objects.ready().get_locked()
                if task_result is not None:
                    task_result.claim(runner.worker_id)
            if task_result is None:
                break
            runner.run_task(task_result)
            ran += 1
        if periodic:
            clock.run_due(force=True, close_connections=False)
    return ran
