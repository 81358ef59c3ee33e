"""/healthz says honestly whether the platform works: the database takes writes, a
worker beats and runs the clock, and no work waits past its time. /healthz/app, for load
balancers, looks at this app server and its database only."""

from __future__ import annotations

import datetime
import os
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from groundswell.core import liveness
from groundswell.core.models import OutboundEmail, WorkerBeat
from groundswell.petitions import actions
from groundswell.petitions.models import Petition

pytestmark = pytest.mark.django_db


def beating(*, seconds_ago: float = 1.0, pid: int | None = None, clock: bool = True) -> WorkerBeat:
    at = timezone.now() - datetime.timedelta(seconds=seconds_ago)
    return WorkerBeat.objects.create(
        worker_id=f"w-{WorkerBeat.objects.count()}",
        host=liveness.HOST,
        pid=pid or os.getpid(),
        started_at=at,
        beat_at=at,
        clock_at=at if clock else None,
    )


def a_dead_pid() -> int:
    pid = 2**22 - 7
    while not liveness.process_gone(pid):
        pid -= 1
    return pid


def test_it_is_ok_with_a_live_worker_and_nothing_waiting(client: Client) -> None:
    beating()
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok" and body["problems"] == []
    assert body["database"]["writable"] is True
    assert body["workers"]["alive"] == 1
    assert body["clock"]["status"] == "ok"
    assert body["queue"]["oldest_due_seconds"] is None
    assert "no-cache" in response["Cache-Control"]


def test_no_worker_is_an_error(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["workers"]["alive"] == 0
    assert "No worker is running" in response.json()["problems"][0]


def test_a_worker_that_stopped_beating_is_lost(client: Client, settings: Any) -> None:
    beating(seconds_ago=settings.WORKER_LOST_AFTER + 5)
    body = client.get("/healthz").json()
    assert body["status"] == "error"
    assert body["workers"] == {**body["workers"], "alive": 0, "lost": 1}


def test_a_worker_whose_process_is_gone_is_lost_at_once(client: Client) -> None:
    beating(pid=a_dead_pid())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["workers"]["lost"] == 1


def test_a_worker_without_a_clock_is_an_error(client: Client) -> None:
    beating(clock=False)
    body = client.get("/healthz").json()
    assert body["status"] == "error"
    assert "clock" in body["problems"][0]


def test_work_due_too_long_is_a_stuck_queue(
    client: Client, petition: Petition, settings: Any
) -> None:
    beating()
    actions.post_update(petition, author=None, title="T", body="B")  # a task, due now
    assert client.get("/healthz").status_code == 200
    DBTaskResult.objects.update(
        run_after=timezone.now() - datetime.timedelta(seconds=settings.HEALTH_MAX_DUE_SECONDS + 1)
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "stuck" in response.json()["problems"][0]


def test_emails_due_too_long_are_a_stuck_queue(
    client: Client, petition: Petition, settings: Any
) -> None:
    beating()
    from tests.conftest import SIGNER

    actions.record_signature(petition, **SIGNER, email_normalized=SIGNER["email"])
    body = client.get("/healthz").json()
    assert body["queue"]["oldest_due_seconds_by_kind"]["confirmations"] is not None
    from groundswell.petitions import emails

    emails.queue_confirmations()
    OutboundEmail.objects.update(
        due_at=timezone.now() - datetime.timedelta(seconds=settings.HEALTH_MAX_DUE_SECONDS + 1)
    )
    assert client.get("/healthz").status_code == 503


def test_the_app_check_needs_only_the_database(client: Client) -> None:
    response = client.get("/healthz/app")
    assert response.status_code == 200
    assert response.json()["database"]["writable"] is True


def test_redis_down_is_degraded_not_an_error(client: Client, settings: Any) -> None:
    from tests.smtp import free_port

    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    beating()
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["cache"]["status"] == "error"
    assert "Redis" in body["problems"][0]


def test_status_prints_the_same(capsys: Any) -> None:
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="No worker is running"):
        call_command("status")
    beating()
    call_command("status")
    out = capsys.readouterr().out
    assert "Status:    ok" in out and "1 alive" in out
