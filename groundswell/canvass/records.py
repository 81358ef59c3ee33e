"""Canvassing's part in a person's record (people.registry).

A visit that names the person who answered shows on their timeline, to the
organization that ran the canvass only, and only while the person is one of its
supporters (the people app's rule for what an organization sees). Survey answers are
in the entry. The visit stays in the log when they ask to be erased; it loses the link
to them, its note and the household details, and their name leaves the door.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from groundswell.canvass.models import Conflict, Door, Question, Resident, Visit
from groundswell.organizations.models import Organization
from groundswell.people.models import Person, Supporter
from groundswell.people.registry import Entry

ACTION_PREFIX = "canvass:"


def _summary(visit: Visit, questions: dict[str, Question]) -> str:
    parts = [f"{visit.canvass.name}: {visit.get_result_display()}"]
    for key, value in visit.answers.items():
        question = questions.get(key)
        if question is not None:
            shown = ", ".join(value) if isinstance(value, list) else str(value)
            parts.append(f"{question.text} {shown}")
    return " · ".join(parts)[:300]


def _erase(visits: QuerySet[Visit], person: Person) -> int:
    touched = visits.update(person=None, note="", attributes={})
    residents = Resident.objects.filter(person=person)
    return touched + _forget_households(residents) + residents.delete()[0]


def _forget_households(residents: QuerySet[Resident]) -> int:
    """What canvassers reported of the households the person lives in (a name, a phone,
    a language, notes, and the conflicts between reports) goes with them; the visits
    stay, with their results and answers, for the counts."""
    doors = Door.objects.filter(pk__in=list(residents.values_list("door_id", flat=True)))
    Conflict.objects.filter(door__in=doors).delete()
    Visit.objects.filter(door__in=doors).update(attributes={}, note="")
    return doors.exclude(attributes={}).update(attributes={})


class CanvassRecords:
    name = "canvass"

    def timeline(self, person: Person, organization: Organization) -> Iterable[Entry]:
        if not Supporter.objects.filter(person=person, organization=organization).exists():
            return
        visits = Visit.objects.filter(
            person=person, canvass__organization=organization
        ).select_related("canvass")
        questions = {
            str(q.pk): q for q in Question.objects.filter(canvass__organization=organization)
        }
        for visit in visits:
            yield Entry(
                at=visit.visited_at,
                kind="canvass_visit",
                label=_("Canvassed at the door"),
                summary=_summary(visit, questions),
                source=f"{ACTION_PREFIX}{visit.canvass.slug}",
                url=reverse("canvass_manage:detail", args=[organization.slug, visit.canvass.slug]),
            )

    def export(self, person: Person) -> dict[str, Any]:
        return {
            "items": [
                {
                    "canvass": v.canvass.name,
                    "result": v.result,
                    "answers": v.answers,
                    "note": v.note,
                    "visited_at": v.visited_at.isoformat(),
                }
                for v in Visit.objects.filter(person=person).select_related("canvass")
            ]
        }

    def erase(self, person: Person) -> int:
        return _erase(Visit.objects.filter(person=person), person)

    def forget(self, person: Person, organization: Organization) -> int:
        visits = Visit.objects.filter(person=person, canvass__organization=organization)
        touched = visits.update(person=None, note="", attributes={})
        residents = Resident.objects.filter(person=person, door__canvass__organization=organization)
        return touched + _forget_households(residents) + residents.delete()[0]

    def actions(self, organization: Organization) -> list[tuple[str, str]]:
        from groundswell.canvass.models import Canvass

        return [
            (f"{ACTION_PREFIX}{pk}", _("Talked to at the door: %(name)s") % {"name": name})
            for pk, name in Canvass.objects.filter(organization=organization).values_list(
                "pk", "name"
            )
        ]

    def people_who(self, key: str, organization: Organization) -> QuerySet[Any]:
        visits = Visit.objects.filter(person__isnull=False, result="contacted")
        number = key.removeprefix(ACTION_PREFIX)
        if not key.startswith(ACTION_PREFIX) or not number.isdigit():
            return visits.none().values("person_id")
        return visits.filter(canvass_id=int(number), canvass__organization=organization).values(
            "person_id"
        )
