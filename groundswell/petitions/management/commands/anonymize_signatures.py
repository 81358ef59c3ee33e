"""Erase signers' personal details on petitions closed longer ago than the retention time.

    python manage.py anonymize_signatures [--dry-run]

The worker does this once a day on its own; run it by hand after lowering
SIGNATURE_RETENTION_MONTHS, or with --dry-run to see how many signatures are due.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from groundswell.petitions import anonymize


class Command(BaseCommand):
    help = "Erase personal fields of signatures on petitions closed long ago (counts stay)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only print how many signatures would be anonymized.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        months = settings.SIGNATURE_RETENTION_MONTHS
        if options["dry_run"]:
            due = anonymize.due().count()
            self.stdout.write(
                f"{due} signatures on petitions closed more than {months} months ago "
                "would be anonymized (dry run: nothing changed)."
            )
            return
        done = anonymize.anonymize_closed()
        self.stdout.write(
            f"{done} signatures on petitions closed more than {months} months ago anonymized."
        )
