"""Background work of the research desk: complaint file imports. Safe to run again."""

from __future__ import annotations

from django_tasks import task


@task()
def run_complaint_import(job_id: int) -> None:
    """Import a share of a complaint file from its last committed row, then queue the
    rest (actions.complaint_imports)."""
    from groundswell.research.actions import complaint_imports

    if complaint_imports.run_import(job_id):
        run_complaint_import.enqueue(job_id)
