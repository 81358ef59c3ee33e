"""Run the background work that is ready now, in this process (tests, commands)."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Worker

from groundswell.core import clock


def drain(*, periodic: bool = True, rounds: int = 3) -> None:
    """Run every ready task and then every periodic job, until nothing is left.

    Tasks may enqueue tasks and periodic jobs may enqueue tasks (a milestone email),
    so a few rounds settle everything a test or a command needs.
    """
    for _ in range(rounds):
        Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="drain",
            excluded_queue_names=[],
        ).run()
        if periodic:
            clock.run_due(force=True)
