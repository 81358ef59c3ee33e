"""The production app server: granian serving groundswell.wsgi, configured from the
environment like everything else.

granian parses HTTP in Rust and runs the Django application in a few Python threads
per process. Measured with `make bench-intake` on two cores, it answered the same
signing surge with lower latency than gunicorn's threaded worker, and with the reader
cache several times the readers of the petition page and count.json (see
docs/benchmarks.md).

The command replaces itself with granian (exec), so the supervisor's signals go
straight to granian: SIGTERM or SIGINT stops gracefully, SIGHUP reloads the workers.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from groundswell.env import env_bool, env_int, env_str

APPLICATION = "groundswell.wsgi:application"


def granian_argv() -> list[str]:
    """granian's command line from WEB_BIND, WEB_CONCURRENCY, WEB_THREADS, WEB_BACKLOG and
    WEB_ACCESS_LOG (see the README's configuration table)."""
    bind = env_str("WEB_BIND") or f"127.0.0.1:{env_str('PORT') or '8000'}"
    host, sep, port = bind.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise ImproperlyConfigured(f"WEB_BIND must be host:port, e.g. 0.0.0.0:8000, not {bind!r}")
    argv = [
        _granian(),
        "--interface",
        "wsgi",
        "--host",
        host.strip("[]"),  # [::]:8000
        "--port",
        port,
        "--workers",
        str(env_int("WEB_CONCURRENCY", usable_cores(), minimum=1)),
        "--blocking-threads",
        str(env_int("WEB_THREADS", 4, minimum=1)),
        "--backlog",
        str(env_int("WEB_BACKLOG", 1024, minimum=128)),
        "--no-ws",
        # A process that dies (out of memory, a crash in a C library) is replaced.
        "--respawn-failed-workers",
        # A graceful stop lets the requests in hand finish for up to 20 s.
        "--workers-kill-timeout",
        "20",
    ]
    if env_bool("WEB_ACCESS_LOG"):
        argv.append("--access-log")
    return [*argv, APPLICATION]


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, as a container or taskset
    limits it), the default number of app server processes: one per core, as granian
    advises; more only queue for the same cores."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _granian() -> str:
    beside = Path(sys.executable).parent / "granian"
    found = str(beside) if beside.exists() else shutil.which("granian")
    if not found:
        raise CommandError("granian is not installed: run make install")
    return found


class Command(BaseCommand):
    help = "Run the production app server (granian) on WEB_BIND; see the README."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--print", action="store_true", help="print the granian command instead of running it"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        argv = granian_argv()
        if options["print"]:
            self.stdout.write(" ".join(argv))
            return
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(argv[0], argv)  # noqa: S606 (our own argument list, no shell)
