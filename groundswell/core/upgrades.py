"""Helpers for data migrations that carry queued work across a change of design.

Emails were once tasks of their own (one task per email, run by the worker); they are
now rows of the outbox (core.outbox). An installation upgraded while such tasks wait
must not lose them: each app's migration names its old task paths and what each
becomes, and `tasks_to_outbox` turns the waiting tasks into outbox rows (or renames
the task path of a task that only moved).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

# What a waiting old task becomes: a list of (kind, key, args) outbox rows.
Convert = Callable[[Any, list[Any]], list[tuple[str, str, dict[str, Any]]]]

WAITING = ("READY", "RUNNING")


def notice_recipients(apps: Any, organization_id: int) -> list[str]:
    """Where an organization's notices go (Organization.notice_recipients, as data)."""
    organization = apps.get_model("organizations", "Organization").objects.get(pk=organization_id)
    if organization.email:
        return [organization.email]
    membership = apps.get_model("organizations", "Membership")
    return list(
        membership.objects.filter(organization=organization, role="owner").values_list(
            "user__email", flat=True
        )
    )


def one(kind: str) -> Convert:
    """The old task's arguments (without `attempt`) become one email of `kind`, built by
    an outbox.Email from those arguments."""

    def convert(apps: Any, args: list[Any]) -> list[tuple[str, str, dict[str, Any]]]:
        return [(kind, f"{kind}:{uuid.uuid4().hex}", {"args": args})]

    return convert


def tasks_to_outbox(
    apps: Any,
    converts: dict[str, Convert],
    moves: dict[str, str] | None = None,
) -> None:
    """Turn waiting tasks with these paths into outbox rows (`converts`), and point
    waiting tasks whose function moved to its new path (`moves`)."""
    task_result = apps.get_model("django_tasks_database", "DBTaskResult")
    outbound = apps.get_model("core", "OutboundEmail")
    from django.utils import timezone

    for old, new in (moves or {}).items():
        for task in task_result.objects.filter(task_path=old, status__in=WAITING):
            task.task_path = new
            task.status = "READY"
            task.started_at = None
            # The old email tasks took an `attempt`; the moved ones take none.
            task.args_kwargs = {"args": task.args_kwargs.get("args", []), "kwargs": {}}
            task.save(update_fields=["task_path", "status", "started_at", "args_kwargs"])
    waiting = task_result.objects.filter(task_path__in=list(converts), status__in=WAITING)
    for task in waiting:
        args = list(task.args_kwargs.get("args", []))
        for kind, key, data in converts[task.task_path](apps, args):
            outbound.objects.get_or_create(
                key=key[:200],
                defaults={"kind": kind, "args": data, "due_at": timezone.now(), "state": "queued"},
            )
        task.delete()
