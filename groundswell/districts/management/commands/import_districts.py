"""Import a district map (wards, precincts) from a GeoJSON FeatureCollection.

    python manage.py import_districts FILE.geojson --set chicago-wards-2023 \
        [--name "Chicago wards (2023-)"] [--kind ward] [--valid-from 2023-05-15] [--valid-to …]

Every feature needs a Polygon or MultiPolygon in WGS84 longitude/latitude and an Open
Civic Data division id (property `division_id`, or --id-property). A bad file is
refused with every problem found, and nothing changes (exit status 1). The same file
again changes nothing; a changed file becomes a new version of the map, and the old
version is kept. Running app servers see the new map within seconds.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from groundswell.districts import actions
from groundswell.districts.models import Kind


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date such as 2023-05-15") from None


class Command(BaseCommand):
    help = "Import a district map (wards, precincts) from a GeoJSON FeatureCollection."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The GeoJSON file (WGS84 longitude/latitude).")
        parser.add_argument(
            "--set", required=True, dest="set_slug", help="The map's slug, e.g. chicago-wards-2023."
        )
        parser.add_argument(
            "--name", default="", help="The map's name, e.g. 'Chicago wards (2023–)'."
        )
        parser.add_argument("--kind", choices=Kind.values, help="ward (default) or precinct.")
        parser.add_argument("--valid-from", type=_date, help="First day the map is in force.")
        parser.add_argument("--valid-to", type=_date, help="First day it is no longer in force.")
        parser.add_argument(
            "--id-property", default="division_id", help="The property holding the OCD id."
        )
        parser.add_argument(
            "--name-property", default="name", help="The property holding a district's name."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = actions.import_districts(
                options["file"],
                options["set_slug"],
                name=options["name"],
                kind=options["kind"],
                valid_from=options["valid_from"],
                valid_to=options["valid_to"],
                id_property=options["id_property"],
                name_property=options["name_property"],
            )
        except actions.DistrictFileError as exc:
            problems = "\n".join(f"  - {problem}" for problem in exc.problems)
            raise CommandError(
                f"{options['file']} was not imported; nothing changed.\n{problems}"
            ) from None
        district_set = result.district_set
        what = (
            f"{district_set.slug} version {district_set.version} ({result.districts} "
            f"{district_set.kind}s"
        )
        if district_set.valid_from:
            what += f", in force from {district_set.valid_from.isoformat()}"
        what += ")"
        if result.created:
            replaced = " (the previous version is kept)" if district_set.version > 1 else ""
            self.stdout.write(self.style.SUCCESS(f"Imported {what}{replaced}."))
        elif result.updated:
            self.stdout.write(f"{what}: same districts; name or dates updated.")
        else:
            self.stdout.write(f"{what} is already up to date: nothing changed.")
