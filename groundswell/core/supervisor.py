"""Keep a few programs running: start them, start again any that exits, stop them all
on SIGTERM or SIGINT. What `manage.py up` (and so `make demo`) runs the app server and
the worker under, as systemd's Restart=always does in production (docs/operators.md).

A program that keeps exiting is started again after a growing pause (1 s, doubling to
30 s); one that ran for a minute starts over at 1 s.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import FrameType

logger = logging.getLogger(__name__)

FIRST_PAUSE, LONGEST_PAUSE = 1.0, 30.0
STEADY_AFTER = 60.0  # seconds of running that count as a good start
STOP_GRACE = 30.0  # seconds the programs get to finish, on stop, before SIGKILL


@dataclass
class Program:
    name: str
    argv: Sequence[str]
    env: dict[str, str] | None = None
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    pause: float = 0.0
    restart_at: float | None = None
    restarts: int = field(default=0)

    def start(self) -> None:
        # A session of its own: stopping it reaches its children too (granian's workers).
        # Our own commands (manage.py serve, worker), never input from outside.
        self.process = subprocess.Popen(  # noqa: S603
            list(self.argv), env=self.env, start_new_session=True
        )
        self.started_at = time.monotonic()
        self.restart_at = None
        logger.warning("Started %s (pid %d)", self.name, self.process.pid)

    def signal(self, signum: int) -> None:
        if self.process and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signum)


class Supervisor:
    def __init__(self, programs: list[Program], *, tick: float = 0.2) -> None:
        self.programs = programs
        self.tick = tick
        self.stopping = False

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def run(self) -> int:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._on_signal)
        for program in self.programs:
            program.start()
        while not self.stopping:
            self._watch(time.monotonic())
            time.sleep(self.tick)
        return self.stop()

    def _watch(self, now: float) -> None:
        for program in self.programs:
            process = program.process
            if program.restart_at is not None:
                if now >= program.restart_at:
                    program.restarts += 1
                    program.start()
                continue
            if process is None or process.poll() is None:
                continue
            ran = now - program.started_at
            program.pause = (
                FIRST_PAUSE
                if ran >= STEADY_AFTER
                else min(LONGEST_PAUSE, max(FIRST_PAUSE, program.pause * 2))
            )
            program.restart_at = now + program.pause
            logger.error(
                "%s exited with status %s after %.0f s; starting it again in %.0f s",
                program.name,
                process.returncode,
                ran,
                program.pause,
            )

    def stop(self) -> int:
        """SIGTERM to every program, SIGKILL to any still running after STOP_GRACE."""
        for program in self.programs:
            program.signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE
        for program in self.programs:
            if program.process is None:
                continue
            try:
                program.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                logger.error("%s did not stop in %.0f s; killing it", program.name, STOP_GRACE)
                program.signal(signal.SIGKILL)
                program.process.wait()
        return 0
