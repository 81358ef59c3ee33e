"""A phone's upload of visits, and its download of a turf.

The upload is a JSON object `{"visits": [...]}` of at most MAX_VISITS visits and
MAX_BYTES bytes. Each visit:

    {"id": "<uuid the phone made>", "door": 123, "result": "contacted",
     "at": "2026-12-07T17:03:00Z", "answers": {"<question id>": <answer>},
     "attributes": {"language": "es"}, "note": "", "person": 45}

A batch is ALL OR NOTHING: every visit is checked first (a malformed body, an unknown
result, a door outside the canvasser's turf, an answer that is not one of the
question's choices, a visit id already used for another door or canvasser) and any
fault rejects the whole batch with a 4xx and writes nothing. The phone keeps every
visit until acknowledged, so nothing is lost; it sends each visit again until it is.
Idempotent: a visit id is unique per canvass, so a replay (the same batch sent again,
after a lost answer, on another start of the page) adds no row and changes nothing;
its id is acknowledged again.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from groundswell.canvass import answers as survey
from groundswell.canvass.actions import apply_effects
from groundswell.canvass.models import (
    Canvasser,
    DoNotKnock,
    Door,
    Question,
    Resident,
    Result,
    Visit,
)
from groundswell.people.models import Supporter

MAX_VISITS = 500
MAX_BYTES = 1_000_000
MAX_NOTE = 500
ATTRIBUTES = ("name", "phone", "language")
MAX_ATTRIBUTE = 300
FUTURE_SLACK = datetime.timedelta(hours=12)  # a phone's clock may be off


class Rejected(Exception):
    """The batch was refused; nothing was written."""

    def __init__(self, status: int, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.problems = problems or []


@dataclass(frozen=True)
class Receipt:
    acknowledged: list[str]
    new: int


def _parse(body: bytes) -> list[Any]:
    if len(body) > MAX_BYTES:
        raise Rejected(
            413,
            _("Too much at once: send at most %(count)s visits per upload.")
            % {"count": MAX_VISITS},
        )
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Rejected(400, _("The upload is not valid JSON.")) from exc
    visits = data.get("visits") if isinstance(data, dict) else None
    if not isinstance(visits, list):
        raise Rejected(400, _("The upload must be an object with a list of visits."))
    if len(visits) > MAX_VISITS:
        raise Rejected(
            413,
            _("Too much at once: send at most %(count)s visits per upload.")
            % {"count": MAX_VISITS},
        )
    return visits


class _Checker:
    def __init__(self, canvasser: Canvasser) -> None:
        self.canvasser = canvasser
        self.doors = set(Door.objects.filter(turf=canvasser.turf).values_list("pk", flat=True))
        self.residents = set(
            Resident.objects.filter(door__turf=canvasser.turf).values_list("door_id", "person_id")
        )
        self.questions = {
            str(q.pk): q for q in Question.objects.filter(canvass=canvasser.canvass_id)
        }
        self.now = timezone.now()

    def visit(self, index: int, raw: Any, problems: list[str]) -> Visit | None:
        def fault(message: str) -> None:
            problems.append(
                _("Visit %(number)s: %(problem)s") % {"number": index + 1, "problem": message}
            )

        if not isinstance(raw, dict):
            fault(_("not an object."))
            return None
        try:
            client_id = uuid.UUID(str(raw.get("id", "")))
        except ValueError:
            fault(_("its id is not a UUID."))
            return None
        door = raw.get("door")
        if not isinstance(door, int) or isinstance(door, bool) or door not in self.doors:
            fault(_("this door is not on your turf."))
            return None
        result = raw.get("result")
        if result not in Result.values:
            fault(_("unknown result."))
            return None
        at = parse_datetime(str(raw.get("at", "")))
        if at is None or at.tzinfo is None or at > self.now + FUTURE_SLACK:
            fault(_("the time of the visit is missing or wrong."))
            return None
        answers = raw.get("answers", {})
        if not isinstance(answers, dict):
            fault(_("the answers are not an object."))
            return None
        if not survey.fit(self.questions, answers):
            fault(_("an answer does not fit its question."))
            return None
        attributes = raw.get("attributes", {})
        if not isinstance(attributes, dict) or any(
            k not in ATTRIBUTES or not isinstance(v, str) or len(v) > MAX_ATTRIBUTE
            for k, v in attributes.items()
        ):
            fault(_("unknown household details."))
            return None
        note = raw.get("note", "")
        if not isinstance(note, str) or len(note) > MAX_NOTE:
            fault(_("the note is too long."))
            return None
        person = raw.get("person")
        if person is not None and not (
            isinstance(person, int) and (door, person) in self.residents
        ):
            fault(_("this person is not listed at this door."))
            return None
        return Visit(
            canvass_id=self.canvasser.canvass_id,
            door_id=door,
            canvasser=self.canvasser,
            person_id=person,
            client_id=client_id,
            result=result,
            answers={str(k): v for k, v in answers.items()},
            attributes={k: v.strip() for k, v in attributes.items() if v.strip()},
            note=note.strip(),
            visited_at=at,
        )


def record(canvasser: Canvasser, body: bytes) -> Receipt:
    """Check the whole batch, then store it in one transaction (see the module
    docstring). Rejected, with every problem found, if anything is wrong."""
    if canvasser.role != Canvasser.Role.CANVASSER or canvasser.turf is None:
        raise Rejected(403, _("This code does not record visits."))
    raw_visits = _parse(body)
    checker = _Checker(canvasser)
    problems: list[str] = []
    visits: dict[uuid.UUID, Visit] = {}
    for index, raw in enumerate(raw_visits):
        visit = checker.visit(index, raw, problems)
        if visit is None:
            continue
        earlier = visits.get(visit.client_id)
        if earlier is not None and earlier.door_id != visit.door_id:
            problems.append(
                _("Visit %(number)s: this id was used for another door.") % {"number": index + 1}
            )
        visits.setdefault(visit.client_id, visit)
    if problems:
        raise Rejected(400, _("Nothing was saved: some visits are not right."), problems)
    received = timezone.now()
    for visit in visits.values():
        visit.received_at = received
    with transaction.atomic():
        Visit.objects.bulk_create(visits.values(), ignore_conflicts=True)
        stored = list(
            Visit.objects.filter(canvass_id=canvasser.canvass_id, client_id__in=list(visits))
        )
        forged = [
            v
            for v in stored
            if v.door_id != visits[v.client_id].door_id or v.canvasser_id != canvasser.pk
        ]
        if forged:
            # Rolls the whole batch back: an id is one visit, of one door, by one canvasser.
            raise Rejected(
                409, _("Nothing was saved: a visit id was already used for another visit.")
            )
        apply_effects(stored)
    return Receipt(
        acknowledged=[str(v.client_id) for v in stored],
        new=sum(1 for v in stored if v.received_at == received),
    )


def turf_download(canvasser: Canvasser) -> dict[str, Any]:
    """Everything a phone needs for a shift, and nothing beyond the canvasser's turf:
    its doors in walking order (none on the do-not-knock list), who lives there (as the
    organization knows them), the script and the result codes."""
    turf = canvasser.turf
    canvass = canvasser.canvass
    if canvasser.role != Canvasser.Role.CANVASSER or turf is None:
        raise Rejected(403, _("This code does not record visits."))
    blocked = set(
        DoNotKnock.objects.filter(organization=canvass.organization_id).values_list(
            "building", "unit"
        )
    )
    doors = [
        d
        for d in Door.objects.filter(turf=turf).order_by("walk_order", "pk")
        if (d.building, d.unit) not in blocked and (d.building, "") not in blocked
    ]
    residents: dict[int, list[dict[str, Any]]] = {}
    rows = Resident.objects.filter(door__in=[d.pk for d in doors]).values_list(
        "door_id", "person_id"
    )
    names: Mapping[int, str] = {
        s.person_id: s.full_name
        for s in Supporter.objects.filter(
            organization=canvass.organization_id, person__in=[p for _, p in rows]
        )
    }
    for door_id, person_id in rows:
        if person_id in names:
            residents.setdefault(door_id, []).append({"id": person_id, "name": names[person_id]})
    return {
        "canvass": {"id": canvass.pk, "name": canvass.name},
        "turf": {"id": turf.pk, "name": turf.name},
        "canvasser": canvasser.name,
        "doors": [
            {
                "id": d.pk,
                "code": d.code,
                "address": d.address,
                "unit": d.unit,
                "people": residents.get(d.pk, []),
            }
            for d in doors
        ],
        "questions": [
            {"id": q.pk, "kind": q.kind, "text": q.text, "choices": q.choices}
            for q in Question.objects.filter(canvass=canvass)
        ],
        "results": [{"code": value, "label": str(label)} for value, label in Result.choices],
    }
