"""What /healthz and `manage.py status` report: can the database take a write, are the
workers and their clock alive, is work waiting past its time, does Redis answer.

The status is "ok", "degraded" (working, with a part down that has a fallback: Redis)
or "error" (something is stopped: the database refuses writes, no worker has beaten for
WORKER_LOST_AFTER seconds, the clock has not run for as long, or work has been due for
HEALTH_MAX_DUE_SECONDS). Apps with work that waits outside the task queue and the
outbox (confirmations waiting on their signatures) register how old their oldest is.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from groundswell.core import outbox
from groundswell.core.incidents import describe
from groundswell.core.liveness import HOST, process_gone
from groundswell.core.models import HealthProbe, WorkerBeat

OK, DEGRADED, ERROR = "ok", "degraded", "error"
DATABASE_TIMEOUT = 2.0  # seconds a health check waits for the database's write lock

_backlogs: dict[str, Callable[[], datetime.datetime | None]] = {}


def register_backlog(name: str, oldest_due: Callable[[], datetime.datetime | None]) -> None:
    """Work that waits elsewhere: `oldest_due()` says since when its oldest is due."""
    _backlogs[name] = oldest_due


def _seconds_since(moment: datetime.datetime | None, now: datetime.datetime) -> float | None:
    return None if moment is None else round(max(0.0, (now - moment).total_seconds()), 1)


# --- The parts -----------------------------------------------------------------------------


def database(timeout: float = DATABASE_TIMEOUT) -> dict[str, Any]:
    """Write the probe row, waiting at most `timeout` for a lock."""
    started = time.monotonic()
    try:
        with _short_waits(timeout), transaction.atomic():
            HealthProbe.objects.update_or_create(pk=1, defaults={"written_at": timezone.now()})
    except Exception as exc:
        return {"status": ERROR, "writable": False, "error": describe(exc)}
    return {"status": OK, "writable": True, "seconds": round(time.monotonic() - started, 3)}


class _short_waits:
    """Wait at most `timeout` for locks (SQLite's busy timeout, PostgreSQL's
    lock_timeout and statement_timeout), for this connection, within this block."""

    def __init__(self, timeout: float) -> None:
        self.ms = max(1, int(timeout * 1000))

    def __enter__(self) -> None:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"PRAGMA busy_timeout = {self.ms}")
            else:
                cursor.execute(f"SET lock_timeout = {self.ms}")
                cursor.execute(f"SET statement_timeout = {self.ms}")

    def __exit__(self, *exc: object) -> None:
        try:
            with connection.cursor() as cursor:
                if connection.vendor == "sqlite":
                    default = int(settings.DATABASE_LOCK_TIMEOUT * 1000)
                    cursor.execute(f"PRAGMA busy_timeout = {default}")
                else:
                    cursor.execute("RESET lock_timeout")
                    cursor.execute("RESET statement_timeout")
        except Exception:
            connection.close()  # a broken connection is replaced at the next use


def workers(now: datetime.datetime) -> dict[str, Any]:
    silence = datetime.timedelta(seconds=settings.WORKER_LOST_AFTER)
    beats = list(
        WorkerBeat.objects.filter(stopped_at__isnull=True).values(
            "worker_id", "host", "pid", "beat_at", "clock_at", "doing", "incident"
        )
    )
    alive, lost = [], 0
    for beat in beats:
        gone = beat["host"] == HOST and process_gone(beat["pid"])
        if beat["beat_at"] >= now - silence and not gone:
            alive.append(beat)
        else:
            lost += 1
    lost += WorkerBeat.objects.filter(
        lost=True, stopped_at__gte=now - datetime.timedelta(hours=1)
    ).count()
    last_beat = max((b["beat_at"] for b in beats), default=None)
    clocks = [b["clock_at"] for b in alive if b["clock_at"]]
    report = {
        "status": OK if alive else ERROR,
        "alive": len(alive),
        "lost": lost,
        "last_beat_seconds": _seconds_since(last_beat, now),
        "troubles": [b["incident"] for b in alive if b["incident"]],
    }
    clock_at = max(clocks, default=None)
    clock = {
        "status": OK if clock_at and clock_at >= now - silence else ERROR,
        "last_round_seconds": _seconds_since(clock_at, now),
    }
    return {"workers": report, "clock": clock}


def queue(now: datetime.datetime) -> dict[str, Any]:
    tasks_due = DBTaskResult.objects.ready().filter(run_after__lte=now)
    oldest = {
        "tasks": tasks_due.order_by("run_after").values_list("run_after", flat=True).first(),
        "emails": outbox.oldest_due(),
    }
    for name, oldest_due in _backlogs.items():
        oldest[name] = oldest_due()
    ages = {name: _seconds_since(moment, now) for name, moment in oldest.items()}
    known = [age for age in ages.values() if age is not None]
    worst = max(known, default=None)
    return {
        "status": ERROR if worst is not None and worst > settings.HEALTH_MAX_DUE_SECONDS else OK,
        "oldest_due_seconds": worst,
        "oldest_due_seconds_by_kind": ages,
        "tasks_due": tasks_due.count(),
        "tasks_running": DBTaskResult.objects.running().count(),
        "emails": outbox.counts_by_state(),
    }


def cache() -> dict[str, Any]:
    if not settings.REDIS_URL:
        return {"status": "off"}
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=0.5, socket_connect_timeout=0.5
        )
        client.ping()
    except (redis.RedisError, OSError) as exc:
        return {"status": ERROR, "error": describe(exc)}
    return {"status": OK}


# --- The whole -----------------------------------------------------------------------------


def app_report() -> dict[str, Any]:
    """This app server and its database: what a load balancer needs to know."""
    db = database()
    return {"status": OK if db["status"] == OK else ERROR, "database": db}


def report() -> dict[str, Any]:
    """Everything, with a list of the problems in words an operator can act on."""
    now = timezone.now()
    db = database()
    result: dict[str, Any] = {"status": OK, "problems": [], "database": db, "cache": cache()}
    problems: list[str] = result["problems"]
    if db["status"] != OK:
        problems.append(_("The database does not take writes: %(error)s") % db)
    else:
        try:
            result.update(workers(now))
            result["queue"] = queue(now)
        except Exception as exc:
            problems.append(
                _("The database could not be read: %(error)s") % {"error": describe(exc)}
            )
    if result.get("workers", {}).get("status") == ERROR:
        problems.append(
            _("No worker is running: nothing is being sent or counted.")
            + " "
            + (
                _("The last heartbeat was %(seconds)d seconds ago.")
                % {"seconds": result["workers"]["last_beat_seconds"]}
                if result["workers"]["last_beat_seconds"] is not None
                else _("No worker has ever reported.")
            )
        )
    elif result.get("clock", {}).get("status") == ERROR:
        problems.append(
            _("No worker runs the clock: counts and confirmation emails are not moving.")
        )
    if result.get("queue", {}).get("status") == ERROR:
        problems.append(
            _("Work has waited %(seconds)d seconds past its time: the queue is stuck.")
            % {"seconds": result["queue"]["oldest_due_seconds"]}
        )
    if result["cache"]["status"] == ERROR:
        problems.append(
            _("Redis does not answer: rate limits use the database meanwhile. %(error)s")
            % result["cache"]
        )
    if problems:
        stopped = (
            db["status"] != OK
            or "queue" not in result
            or ERROR
            in (result["workers"]["status"], result["clock"]["status"], result["queue"]["status"])
        )
        result["status"] = ERROR if stopped else DEGRADED
    return result
