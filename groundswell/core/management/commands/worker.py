"""The background worker: runs queued tasks and the periodic clock.

    python manage.py worker

Stops gracefully on SIGTERM or SIGINT: the task in progress finishes, the clock's
job in progress finishes, then the process exits.
"""

from __future__ import annotations

import os
import socket
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django_tasks_db.management.commands.db_worker import Worker

from groundswell.core.clock import Clock


class Command(BaseCommand):
    help = "Run queued background tasks (emails, imports) and periodic jobs (counts)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=0.2, help="Seconds to sleep when no task is waiting."
        )
        parser.add_argument(
            "--no-clock",
            action="store_true",
            help="Only run tasks; leave periodic jobs to other workers.",
        )
        parser.add_argument("--queue", default="*", help="Queue names, comma-separated.")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = Worker(
            queue_names=options["queue"].split(","),
            interval=options["interval"],
            batch=False,
            backend_name="default",
            startup_delay=True,
            max_tasks=None,
            worker_id=f"{socket.gethostname()}-{os.getpid()}"[:64],
            excluded_queue_names=[],
        )
        clock = None if options["no_clock"] else Clock()
        worker.configure_signals()
        if clock:
            clock.start()
        self.stdout.write("Worker started; SIGTERM stops it after the current task.")
        try:
            worker.run()
        finally:
            if clock:
                clock.stop()
                clock.join(timeout=30)
            self.stdout.write("Worker stopped.")
