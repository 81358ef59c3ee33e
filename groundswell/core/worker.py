"""The background worker: queued tasks, the clock of periodic jobs, the outbox of emails
and a heartbeat, each in a thread of its own, none of which gives up.

    python manage.py worker

- Tasks (the django.tasks API on django-tasks-db's table) are claimed one at a time in
  a short transaction and run outside it. A task that fails because the database is
  briefly away (locked, restarting, unreachable) goes back in line after a growing
  delay instead of failing; one that raises anything else is recorded as failed.
- The clock runs the periodic jobs (core/clock.py); the outbox thread sends due emails
  (core/outbox.py); the heart writes the worker's heartbeat (core/liveness.py), which
  /healthz and the other workers read.
- Trouble (a locked or unreachable database, a mail server or Redis down) is waited
  out with a growing pause and logged once when it starts and once when it ends.
- SIGTERM or SIGINT: the task in hand finishes, the email in hand is sent, then the
  process exits; a second signal exits at once. Work claimed by a worker that dies
  (kill -9) is taken back by the others (or by its successor) once it is found lost.
"""

from __future__ import annotations

import datetime
import logging
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone
from django_tasks.signals import task_finished, task_started
from django_tasks_db.models import DBTaskResult

from groundswell.core import clock, liveness, outbox
from groundswell.core.incidents import Backoff, Incident, is_transient_database_error

logger = logging.getLogger(__name__)

BACKEND = "default"


# --- Tasks -------------------------------------------------------------------------------


def claim_task(worker_id: str, queues: list[str] | None = None) -> DBTaskResult[Any, Any] | None:
    """Take the next ready task for this worker (one short transaction)."""
    tasks = DBTaskResult.objects.ready().filter(backend_name=BACKEND)
    if queues and "*" not in queues:
        tasks = tasks.filter(queue_name__in=queues)
    if not tasks.exists():
        return None  # a read: an idle worker never takes SQLite's write lock
    with transaction.atomic():
        task_result = tasks.get_locked()
        if task_result is not None:
            task_result.claim(worker_id)
    return task_result


def _persist(write: Callable[[], object], what: str, stopping: Callable[[], bool]) -> None:
    """Do a write that must not be lost (a task's outcome), waiting out a database
    that is briefly away. Given up only when the worker is forced to stop: the task is
    then still claimed, and runs again once the worker is found lost."""
    backoff = Backoff(first=0.2, limit=10.0)
    trouble = Incident(logger, what)
    while True:
        try:
            write()
            trouble.recovered()
            return
        except Exception as exc:
            if not is_transient_database_error(exc) or (stopping() and trouble.failures > 10):
                raise
            trouble.failed(exc)
            close_old_connections()
            time.sleep(backoff.next())


def _requeue(task_result: DBTaskResult[Any, Any], delay: float) -> None:
    DBTaskResult.objects.filter(id=task_result.id, status="RUNNING").update(
        status="READY",
        started_at=None,
        run_after=timezone.now() + datetime.timedelta(seconds=delay),
    )


def run_task(
    task_result: DBTaskResult[Any, Any],
    *,
    stopping: Callable[[], bool] = lambda: False,
    retry_delay: float = 5.0,
) -> str:
    """Run one claimed task and record how it ended: "successful", "failed", or
    "requeued" when the database was away (it runs again after `retry_delay`)."""
    try:
        task = task_result.task
        backend = type(task.get_backend())
        task_started.send(sender=backend, task_result=task_result.task_result)
        value = task.call(*task_result.task_result.args, **task_result.task_result.kwargs)
    except Exception as exc:
        if is_transient_database_error(exc):
            logger.warning(
                "Task %s met a passing database error (%s); it runs again in %.0f s",
                task_result.task_path,
                exc,
                retry_delay,
            )
            close_old_connections()
            _persist(
                lambda: _requeue(task_result, retry_delay),
                f"Putting task {task_result.id} back in line",
                stopping,
            )
            return "requeued"
        logger.exception("Task %s (%s) failed", task_result.id, task_result.task_path)
        error = exc
        _persist(
            lambda: task_result.set_failed(error),
            f"Recording task {task_result.id} as failed",
            stopping,
        )
        outcome = "failed"
    else:
        _persist(
            lambda: task_result.set_successful(value),
            f"Recording task {task_result.id} as done",
            stopping,
        )
        outcome = "successful"
    try:
        backend = type(task_result.task.get_backend())
        task_finished.send(sender=backend, task_result=task_result.task_result)
    except Exception:
        logger.exception("A task_finished receiver failed")
    return outcome


# --- Threads -----------------------------------------------------------------------------


class _Loop(threading.Thread):
    """Calls `step` until stopped, riding out any trouble with a growing pause.
    `step` returns True when it found work (then it is called again at once)."""

    def __init__(self, name: str, step: Callable[[], bool], idle: Callable[[], float]) -> None:
        super().__init__(name=f"groundswell-{name}", daemon=True)
        self.step = step
        self.idle = idle
        self.stopping = threading.Event()
        self.trouble = Incident(logger, name.capitalize())
        self.backoff = Backoff()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                busy = self.step()
                self.trouble.recovered()
                self.backoff.reset()
            except Exception as exc:
                self.trouble.failed(exc)
                close_old_connections()
                self.stopping.wait(self.backoff.next())
                continue
            finally:
                close_old_connections()
            if not busy:
                self.stopping.wait(self.idle())
        close_old_connections()


class Worker:
    """One worker process: tasks in the calling thread, the rest in threads."""

    def __init__(
        self,
        *,
        worker_id: str | None = None,
        queues: list[str] | None = None,
        interval: float = 0.2,
        run_clock: bool = True,
        send_email: bool = True,
    ) -> None:
        self.worker_id = worker_id or liveness.new_worker_id()
        self.queues = queues or ["*"]
        self.interval = interval
        self.stopping = threading.Event()
        self.forced = False
        self.heart = liveness.Heart(self.worker_id, runs_clock=run_clock)
        self.clock = clock.Clock(on_round=self._clock_round) if run_clock else None
        # Several SMTP connections at once: a mail server takes its time per message.
        self.mail = [
            _Loop(f"sending email ({n})", self._sender(f"{self.worker_id}#{n}"), self._email_wait)
            for n in range(settings.EMAIL_CONNECTIONS if send_email else 0)
        ]
        self.trouble = Incident(logger, "Running tasks")
        self.backoff = Backoff()

    # Signals ---------------------------------------------------------------------------

    def configure_signals(self) -> None:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._on_signal)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self.stopping.is_set():
            logger.warning("Second %s: stopping now", signal.strsignal(signum))
            self.forced = True
            raise SystemExit(1)
        logger.warning(
            "%s: stopping after the work in hand (again to stop at once)",
            signal.strsignal(signum),
        )
        self.stop()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.mail:
            thread.stopping.set()
        if self.clock:
            self.clock.stop()

    # Threads' work ---------------------------------------------------------------------

    def _clock_round(self) -> None:
        self.heart.clock_at = timezone.now()

    @staticmethod
    def _email_wait() -> float:
        return float(settings.EMAIL_INTERVAL)

    def _sender(self, claimer: str) -> Callable[[], bool]:
        def send() -> bool:
            return outbox.send_due(claimer, stopping=self.stopping.is_set) > 0

        return send

    def _reclaim_at_start(self) -> None:
        try:
            liveness.reclaim()
        except Exception as exc:
            self.trouble.failed(exc)

    # The main loop ---------------------------------------------------------------------

    def run(self) -> None:
        logger.info("Worker %s started", self.worker_id)
        # A sending thread that has the server's "250 OK" should mark its email sent at
        # once: hand the interpreter over more often than every 5 ms (Python's default),
        # so it does not wait behind a thread rendering the next message.
        sys.setswitchinterval(0.001)
        self.heart.start()
        self._reclaim_at_start()
        for thread in (self.clock, *self.mail):
            if thread:
                thread.start()
        try:
            while not self.stopping.is_set():
                self._step()
        finally:
            for thread in (*self.mail, self.clock):
                if thread:
                    thread.join(timeout=60)
            try:
                outbox.release_worker(self.worker_id)
            except Exception as exc:
                logger.warning("Could not give back claimed emails: %s", exc)
            self.heart.stop()
            close_old_connections()
            logger.info("Worker %s stopped", self.worker_id)

    def _step(self) -> None:
        try:
            close_old_connections()
            task_result = claim_task(self.worker_id, self.queues)
        except Exception as exc:
            self.heart.incident_text = str(exc)
            self.trouble.failed(exc)
            close_old_connections()
            self.stopping.wait(self.backoff.next())
            return
        self.trouble.recovered()
        self.heart.incident_text = ""
        self.backoff.reset()
        if task_result is None:
            self.stopping.wait(self.interval)
            return
        self.heart.doing = task_result.task_path
        try:
            run_task(task_result, stopping=lambda: self.forced)
        except Exception as exc:
            # The outcome could not be recorded: the task stays claimed by this worker,
            # so it must be put back by hand once the database answers.
            self.trouble.failed(exc)
            self._give_back(task_result)
        finally:
            self.heart.doing = ""

    def _give_back(self, task_result: DBTaskResult[Any, Any]) -> None:
        try:
            _persist(
                lambda: _requeue(task_result, 0),
                f"Putting task {task_result.id} back in line",
                lambda: self.forced,
            )
        except Exception:
            logger.exception("Task %s stays claimed until this worker stops", task_result.id)


# --- In-process draining (tests, commands) -----------------------------------------------


def drain(*, periodic: bool = True, rounds: int = 3) -> int:
    """Run every ready task, every periodic job and send every due email, in this
    process, until nothing is left. Returns how many tasks ran.

    Tasks may queue tasks and emails, periodic jobs may queue tasks and emails, so a few
    rounds settle everything. It never closes the database connection, so it runs inside
    a test's transaction; it refuses to run inside a transaction of the caller's own (it
    sends email, and no transaction may stay open across network I/O).
    """
    ran = 0
    for _ in range(rounds):
        while True:
            task_result = claim_task("drain")
            if task_result is None:
                break
            run_task(task_result)
            ran += 1
        if periodic:
            clock.run_due(force=True, close_connections=False)
        outbox.send_due("drain")
    return ran
