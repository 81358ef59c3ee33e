"""Import matters (ordinances, resolutions, orders) with their sponsors, referrals,
actions and roll calls, from Open Civic Data bill JSON or Chicago City Clerk eLMS
matter JSON.

    python manage.py import_matters FILE.json [--format auto|ocd|elms]
    python manage.py import_matters "https://api.chicityclerkelms.chicago.gov/matter/…"

The shapes are described in groundswell/legislation/importers/ocd.py and elms.py;
"auto" (the default) tells them apart. Sponsors and voters are matched to decision
makers on record by OCD id, by name, or by the ward they held. Whip boards that follow
an imported matter count its co-sponsors and votes. A bad file is refused with every
problem found and nothing changes (exit status 1). The same file again changes
nothing; a changed file updates the matters in place and keeps each change.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from groundswell.legislation import actions
from groundswell.legislation.importers.matters import FORMATS
from groundswell.legislation.management.summary import summary


class Command(BaseCommand):
    help = "Import matters from OCD bill JSON or Chicago eLMS matter JSON (file or URL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="A JSON file, or an http(s) URL.")
        parser.add_argument(
            "--format", choices=FORMATS, default="auto", help="ocd, elms, or auto (default)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = actions.import_matters(options["source"], format=options["format"])
        except actions.LegislationFileError as exc:
            problems = "\n".join(f"  - {problem}" for problem in exc.problems)
            raise CommandError(
                f"{options['source']} was not imported; nothing changed.\n{problems}"
            ) from None
        self.stdout.write(summary(result))
        if result.stance_changes:
            self.stdout.write(f"Whip boards: {result.stance_changes} stance changes recorded.")
