"""What /healthz reports, for an operator at a terminal.

python manage.py status          (exit status 0 ok or degraded, 1 error)
python manage.py status --json
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from groundswell.core import health


def _age(seconds: float | None) -> str:
    return "never" if seconds is None else f"{seconds:.0f} s ago"


class Command(BaseCommand):
    help = "Show the health of the database, the workers, their clock, the queue and Redis."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = health.report()
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False, default=str))
        else:
            self._print(report)
        if report["status"] == health.ERROR:
            raise CommandError("unhealthy: " + "; ".join(report["problems"]))

    def _print(self, report: dict[str, Any]) -> None:
        out = self.stdout.write
        out(f"Status:    {report['status']}")
        db = report["database"]
        out(f"Database:  {db['status']}" + (f" ({db['error']})" if "error" in db else ""))
        out(f"Redis:     {report['cache']['status']}")
        if "workers" in report:
            w, c = report["workers"], report["clock"]
            out(
                f"Workers:   {w['alive']} alive, {w['lost']} lost in the last hour, "
                f"last heartbeat {_age(w['last_beat_seconds'])}"
            )
            out(f"Clock:     {c['status']}, last round {_age(c['last_round_seconds'])}")
        if "queue" in report:
            q = report["queue"]
            oldest = q["oldest_due_seconds"]
            out(
                f"Queue:     {q['status']}, {q['tasks_due']} task(s) due, "
                f"{q['tasks_running']} running, oldest due "
                + ("none" if oldest is None else f"{oldest:.0f} s")
            )
            emails = ", ".join(f"{n} {state}" for state, n in sorted(q["emails"].items()))
            out(f"Emails:    {emails or 'none'}")
        for problem in report["problems"]:
            out(self.style.WARNING(f"Problem:   {problem}"))
