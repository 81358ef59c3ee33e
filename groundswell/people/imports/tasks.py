"""Background work for people: CSV imports. Each task is safe to run again."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import(job_id: int, start: int = 0) -> None:
    """Import a share of an organizer's CSV file from data row `start`, then queue the
    rest. Progress is committed with each batch, so a rerun resumes (import_actions)."""
    from groundswell.people.imports import actions as import_actions

    following = import_actions.run_import(job_id, start)
    if following is not None:
        run_import.enqueue(job_id, following)
