"""Import Illinois State Board of Elections bulk files for the tracked decision makers.

    python manage.py research_import_isbe --committees Committees.txt \\
        --candidates Candidates.txt --links CmteCandidateLinks.txt --receipts Receipts.txt

Committees first (they decide which receipts are kept), then receipts, then the donor
proposals for the review queue. Each step may run alone; running again is safe.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from groundswell.research.actions import ResearchRefused, donors, finance


class Command(BaseCommand):
    help = "Import ISBE campaign-finance bulk files for the tracked decision makers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--committees")
        parser.add_argument("--candidates")
        parser.add_argument("--links")
        parser.add_argument("--receipts")
        parser.add_argument("--no-proposals", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        tables = [options["committees"], options["candidates"], options["links"]]
        try:
            if any(tables):
                if not all(tables):
                    raise CommandError("--committees, --candidates and --links go together.")
                kept = finance.import_committees(*tables)
                self.stdout.write(f"Committees of tracked decision makers: {kept}")
            if options["receipts"]:
                result = finance.import_receipts(options["receipts"])
                self.stdout.write(
                    f"Receipts read {result.read}, stored {result.stored}, other committees "
                    f"{result.skipped}, repeated {result.duplicates}, archived (amended) "
                    f"{result.archived}, new donors {result.donors_created}, "
                    f"errors {len(result.errors)}"
                )
                for line, message in result.errors[:50]:
                    self.stderr.write(f"  line {line}: {message}")
        except (ResearchRefused, OSError) as error:
            raise CommandError(str(error)) from error
        if not options["no_proposals"]:
            self.stdout.write(f"New donor proposals to review: {donors.propose_matches()}")
