"""Which workers are alive, and taking back the work of those that died.

Each worker process keeps a WorkerBeat row fresh from a thread of its own (`Heart`).
A worker that stops beating for WORKER_LOST_AFTER seconds is lost, and so is one on
this host whose process is gone (no need to wait then). `reclaim()` — run by every
worker's clock and when a worker starts — marks lost workers and puts what they had
claimed back in line: their running tasks become ready again and their claimed emails
queued again. Every task and every email is safe to run again (see core/outbox.py).
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import close_old_connections
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from groundswell.core.incidents import Incident
from groundswell.core.models import OutboundEmail, WorkerBeat
from groundswell.core.outbox import IN_HAND, WORKER_LOST, claimer_worker, take_back

logger = logging.getLogger(__name__)

HOST = socket.gethostname()[:255]


def new_worker_id() -> str:
    """Unique across hosts and restarts (a pid alone repeats in containers)."""
    return f"{HOST[:40]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def lost_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.WORKER_LOST_AFTER)


def process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


def alive(now: datetime.datetime | None = None) -> set[str]:
    """Ids of the workers that beat recently and have not stopped."""
    now = now or timezone.now()
    return set(
        WorkerBeat.objects.filter(stopped_at__isnull=True, beat_at__gte=now - lost_after())
        .exclude(lost=True)
        .values_list("worker_id", flat=True)
    )


@dataclass(frozen=True)
class Reclaimed:
    workers: int
    tasks: int
    emails: int


def reclaim(now: datetime.datetime | None = None) -> Reclaimed:
    """Mark workers that died as lost and put their claimed work back in line."""
    now = now or timezone.now()
    silent = WorkerBeat.objects.filter(stopped_at__isnull=True).filter(
        Q(beat_at__lt=now - lost_after()) | Q(host=HOST)
    )
    dead = [
        beat.pk
        for beat in silent.only("pk", "host", "pid", "beat_at")
        if beat.beat_at < now - lost_after() or (beat.host == HOST and process_gone(beat.pid))
    ]
    workers = 0
    if dead:
        workers = WorkerBeat.objects.filter(pk__in=dead, stopped_at__isnull=True).update(
            stopped_at=now, lost=True, doing=""
        )
    living = alive(now)
    # A claim by nobody alive is taken back when its claimer is known to have stopped,
    # or when it is older than the silence allowed (a claimer with no heartbeat at all,
    # such as an in-process drain, or one whose row is gone).
    cutoff = now - lost_after()
    running = list(
        DBTaskResult.objects.filter(status="RUNNING").values_list("id", "worker_ids", "started_at")
    )
    # Emails are claimed by a worker's sending threads, as "<worker id>#<thread>".
    email_claimers = set(
        OutboundEmail.objects.filter(state__in=IN_HAND)
        .values_list("claimed_by", flat=True)
        .distinct()
    )
    claimers = {ids[-1] for _id, ids, _at in running if ids} | {
        claimer_worker(c) for c in email_claimers
    }
    stopped = set(
        WorkerBeat.objects.filter(
            worker_id__in=claimers - living, stopped_at__isnull=False
        ).values_list("worker_id", flat=True)
    )
    tasks = 0
    for task_id, worker_ids, started_at in running:
        claimer = worker_ids[-1] if worker_ids else ""
        if claimer in living or (claimer not in stopped and started_at and started_at > cutoff):
            continue
        tasks += DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
            status="READY", started_at=None
        )
        logger.warning("Task %s of lost worker %s is ready to run again", task_id, claimer)
    emails = 0
    for claimer in email_claimers:
        worker = claimer_worker(claimer)
        if worker in living:
            continue
        held = OutboundEmail.objects.filter(claimed_by=claimer)
        if worker not in stopped:
            held = held.filter(claimed_at__lt=cutoff)
        emails += take_back(held, WORKER_LOST)
    if workers or tasks or emails:
        logger.warning(
            "Took back the work of %d lost worker(s): %d task(s), %d email(s)",
            workers,
            tasks,
            emails,
        )
    return Reclaimed(workers, tasks, emails)


class Heart(threading.Thread):
    """Writes this worker's heartbeat every WORKER_BEAT_SECONDS until stopped.

    `doing` and `clock_at` are set by the worker's other threads and written with the
    next beat. A failing database is ridden out (logged once, beat again later).
    """

    def __init__(self, worker_id: str, *, runs_clock: bool) -> None:
        super().__init__(name="groundswell-heart", daemon=True)
        self.worker_id = worker_id
        self.runs_clock = runs_clock
        self.doing = ""
        self.incident_text = ""
        self.clock_at: datetime.datetime | None = None
        self.stopping = threading.Event()
        self.trouble = Incident(logger, "Writing the worker's heartbeat")

    def beat(self) -> None:
        now = timezone.now()
        fields = {
            "beat_at": now,
            "doing": self.doing[:200],
            "incident": self.incident_text[:300],
            "clock_at": self.clock_at,
        }
        updated = WorkerBeat.objects.filter(worker_id=self.worker_id).update(**fields)
        if not updated:
            WorkerBeat.objects.create(
                worker_id=self.worker_id, host=HOST, pid=os.getpid(), started_at=now, **fields
            )

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                self.beat()
                self.trouble.recovered()
            except Exception as exc:
                self.trouble.failed(exc)
            finally:
                close_old_connections()
            self.stopping.wait(settings.WORKER_BEAT_SECONDS)

    def stop(self) -> None:
        """Say goodbye: a clean exit leaves nothing for the others to take back."""
        self.stopping.set()
        try:
            WorkerBeat.objects.filter(worker_id=self.worker_id).update(
                stopped_at=timezone.now(), doing=""
            )
        except Exception as exc:
            logger.warning("Could not record the worker's stop: %s", exc)
