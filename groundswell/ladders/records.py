"""Ladders' part in the people app's record of a person (people.registry).

The person's copy of their data lists the follow-ups they are or were on; erasure
removes their enrollments (so no later step tags, lists or writes to them), and an
organization forgetting them removes its own. Ladders offer no action to search by.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from groundswell.ladders.models import Enrollment
from groundswell.organizations.models import Organization
from groundswell.people.models import Person
from groundswell.people.registry import Entry


class LadderRecords:
    name = "ladders"

    def timeline(self, person: Person, organization: Organization) -> Iterable[Entry]:
        return []

    def export(self, person: Person) -> dict[str, Any]:
        rows = Enrollment.objects.filter(person=person).select_related("ladder__organization")
        return {
            "follow_ups": [
                {
                    "organization": row.ladder.organization.name,
                    "follow_up": row.ladder.name,
                    "state": row.state,
                    "enrolled_at": row.created_at.isoformat(),
                }
                for row in rows
            ]
        }

    def erase(self, person: Person) -> int:
        deleted, _ = Enrollment.objects.filter(person=person).delete()
        return deleted

    def forget(self, person: Person, organization: Organization) -> int:
        deleted, _ = Enrollment.objects.filter(
            person=person, ladder__organization=organization
        ).delete()
        return deleted

    def actions(self, organization: Organization) -> list[tuple[str, str]]:
        return []

    def people_who(self, key: str, organization: Organization) -> QuerySet[Any]:
        return Enrollment.objects.none().values("person_id")
