"""The app server and the worker together, each started again if it exits.

    python manage.py up

What `make demo` runs; see groundswell/core/supervisor.py. In production, run
`manage.py serve` and `manage.py worker` under systemd instead (docs/operators.md).
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from groundswell.core.supervisor import Program, Supervisor


class Command(BaseCommand):
    help = "Run the app server and the worker, restarting either if it exits."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--workers", type=int, default=1, help="How many worker processes to run."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        programs = [Program("app server", [*manage, "serve"])]
        programs += [
            Program(f"worker {n + 1}", [*manage, "worker"]) for n in range(options["workers"])
        ]
        raise SystemExit(Supervisor(programs).run())
