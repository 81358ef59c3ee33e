"""Import decision makers, offices and terms from Popolo / Open Civic Data JSON.

    python manage.py import_people FILE.json
    python manage.py import_people https://example.org/chicago-people.json

The file holds "organizations", "posts", "persons" and "memberships" lists (see
groundswell/legislation/importers/popolo.py). Offices for a ward are linked to that
ward of the ward map in force. A bad file is refused with every problem found and
nothing changes (exit status 1). The same file again changes nothing; a changed file
updates the records in place and keeps each change in their history.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from groundswell.legislation import actions
from groundswell.legislation.management.summary import summary


class Command(BaseCommand):
    help = "Import decision makers, offices and terms from Popolo / OCD JSON (file or URL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="A JSON file, or an http(s) URL.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = actions.import_people(options["source"])
        except actions.LegislationFileError as exc:
            problems = "\n".join(f"  - {problem}" for problem in exc.problems)
            raise CommandError(
                f"{options['source']} was not imported; nothing changed.\n{problems}"
            ) from None
        self.stdout.write(summary(result))
