"""Periodic jobs run by the worker's clock.

Apps register jobs here (in their AppConfig.ready) so this low layer never imports
them. Every job must be safe to run in several workers at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import close_old_connections

from groundswell.core.incidents import Incident

logger = logging.getLogger(__name__)


@dataclass
class Job:
    name: str
    interval: Callable[[], float]
    func: Callable[[], object]
    next_run: float = field(default=0.0)
    trouble: Incident = field(init=False)

    def __post_init__(self) -> None:
        self.trouble = Incident(logger, f"Periodic job {self.name}")


_jobs: dict[str, Job] = {}


def register(name: str, interval: Callable[[], float], func: Callable[[], object]) -> None:
    """Run `func` every `interval()` seconds in each worker."""
    _jobs[name] = Job(name=name, interval=interval, func=func)


def jobs() -> list[Job]:
    return list(_jobs.values())


def run_due(
    now: float | None = None, *, force: bool = False, close_connections: bool = True
) -> list[str]:
    """Run the jobs that are due (or all with force); returns their names.

    A long-running clock closes stale database connections after each job; a caller
    inside a transaction (a command, a test) passes close_connections=False.
    """
    now = time.monotonic() if now is None else now
    ran = []
    for job in _jobs.values():
        if force or now >= job.next_run:
            try:
                job.func()
                job.trouble.recovered()
            except Exception as exc:
                # Logged when the trouble starts and when it ends, not at every round.
                job.trouble.failed(exc)
            finally:
                if close_connections:
                    close_old_connections()
            job.next_run = now + job.interval()
            ran.append(job.name)
    return ran


class Clock(threading.Thread):
    """Runs due periodic jobs until stopped; `on_round` hears of each finished round
    (the worker's heartbeat reports it)."""

    def __init__(self, tick: float = 0.2, on_round: Callable[[], object] | None = None) -> None:
        super().__init__(name="groundswell-clock", daemon=True)
        self.tick = tick
        self.on_round = on_round
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            run_due()
            if self.on_round:
                self.on_round()
            self.stopping.wait(self.tick)
        close_old_connections()

    def stop(self) -> None:
        self.stopping.set()
