"""The background worker: runs queued tasks, the periodic clock and the email outbox.

    python manage.py worker

See groundswell/core/worker.py. SIGTERM or SIGINT stops it after the work in hand.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from groundswell.core.worker import Worker


class Command(BaseCommand):
    help = "Run queued background tasks, periodic jobs (counts) and the email outbox."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=0.2, help="Seconds to sleep when no task is waiting."
        )
        parser.add_argument(
            "--no-clock",
            action="store_true",
            help="Only run tasks and send email; leave periodic jobs to other workers.",
        )
        parser.add_argument(
            "--no-email",
            action="store_true",
            help="Leave sending email to other workers.",
        )
        parser.add_argument("--queue", default="*", help="Queue names, comma-separated.")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = Worker(
            queues=options["queue"].split(","),
            interval=options["interval"],
            run_clock=not options["no_clock"],
            send_email=not options["no_email"],
        )
        worker.configure_signals()
        self.stdout.write(
            f"Worker {worker.worker_id} started; SIGTERM stops it after the work in hand."
        )
        self.stdout.flush()
        try:
            worker.run()
        finally:
            self.stdout.write("Worker stopped.")
