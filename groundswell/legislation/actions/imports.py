"""Imports: people, offices and terms from Popolo/OCD JSON (here); matters from OCD
bills or eLMS matters (actions.matter_imports). `manage.py import_people` and
`import_matters` call these.

Each import reads its whole source first (a URL outside any transaction), checks all of
it (LegislationFileError lists every problem, and nothing is written), then writes in
one transaction. Records are found again by the source's ids (OCD ids, the eLMS
matterId; a record made by hand is adopted by its name or record number the first
time), so importing the same file twice changes nothing, and a changed file updates
the records in place, each change kept in the record's history (source "import").
What a file leaves out (an email, a phone) is left as it is.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from django.db import transaction

from groundswell.accounts.models import User
from groundswell.legislation.actions.records import (
    differences,
    save_body,
    save_decision_maker,
    save_office,
    save_term,
    ward_map,
)
from groundswell.legislation.importers import popolo
from groundswell.legislation.importers.source import LegislationFileError, parse_json, read
from groundswell.legislation.models import (
    Body,
    DecisionMaker,
    Office,
    RevisionSource,
    Term,
)

__all__ = ["Imported", "LegislationFileError", "Source", "import_people"]

Source = str | Path | BinaryIO


@dataclass
class Imported:
    """What an import did, by kind of record ("decision makers", "matters", …)."""

    source: str = ""
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    stance_changes: int = 0

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def count(self, kind: str, *, created: bool, changed: bool) -> None:
        target = self.created if created else self.updated if changed else self.unchanged
        target[kind] += 1


# --- People, offices, terms --------------------------------------------------------------


def _ocd_ids(model: type[Body] | type[Office] | type[DecisionMaker]) -> set[str]:
    """The Open Civic Data ids the records of `model` carry (those that have one)."""
    return {ocd_id for ocd_id in model.objects.values_list("ocd_id", flat=True) if ocd_id}


def import_people(source: Source, *, by: User | None = None) -> Imported:
    """Import a Popolo / OCD people file (a path, an open binary file or an http(s)
    URL). See groundswell.legislation.importers.popolo for the shape."""
    label, data = read(source)
    document = parse_json(data)
    parsed = popolo.read_people(
        document,
        known_bodies=_ocd_ids(Body),
        known_offices=_ocd_ids(Office),
        known_people=_ocd_ids(DecisionMaker),
    )
    result = Imported(source=label)
    with transaction.atomic():
        bodies = _import_bodies(parsed.bodies, result)
        offices = _import_offices(parsed.offices, bodies, result)
        people = _import_persons(parsed.persons, result, by)
        _import_terms(parsed.terms, bodies, offices, people, result, by)
    return result


def _body_for(key: str, known: dict[str, Body]) -> Body:
    body = known.get(key) or Body.objects.filter(ocd_id=key).first()
    if body is None:
        raise LegislationFileError([f"The organization {key} is unknown."])
    return body


def _import_bodies(records: list[popolo.BodyRecord], result: Imported) -> dict[str, Body]:
    done: dict[str, Body] = {}
    waiting = list(records)
    in_file = {record.key for record in records}
    while waiting:
        ready = [
            r
            for r in waiting
            if not r.parent_key or r.parent_key not in in_file or r.parent_key in done
        ]
        if not ready:
            raise LegislationFileError(
                [f"The organizations {', '.join(r.key for r in waiting)} are each other's parents."]
            )
        for record in ready:
            waiting.remove(record)
            parent = _body_for(record.parent_key, done) if record.parent_key else None
            body = (
                Body.objects.filter(ocd_id=record.key).first()
                or Body.objects.filter(ocd_id=None, name__iexact=record.name).first()
            )
            fields = {
                "name": record.name,
                "classification": record.classification,
                "parent": parent,
                "ocd_id": record.key,
            }
            changed = body is None or bool(differences(body, fields))
            result.count("bodies", created=body is None, changed=changed)
            done[record.key] = save_body(
                body,
                name=record.name,
                classification=record.classification,
                parent=parent,
                seats=body.seats if body else None,
                ocd_id=record.key,
            )
    return done


def _import_offices(
    records: list[popolo.OfficeRecord], bodies: dict[str, Body], result: Imported
) -> dict[str, Office]:
    wards = ward_map()
    done: dict[str, Office] = {}
    for record in records:
        body = _body_for(record.body_key, bodies)
        office = (
            Office.objects.filter(ocd_id=record.key).first()
            or Office.objects.filter(ocd_id=None, body=body, label=record.label).first()
        )
        district = wards.get(record.division_id)
        fields: dict[str, Any] = {
            "body": body,
            "label": record.label,
            "role": record.role,
            "division_id": record.division_id,
            "number": record.number,
            "ocd_id": record.key,
        }
        if district is not None:
            fields["district"] = district
        changed = office is None or bool(differences(office, fields))
        result.count("offices", created=office is None, changed=changed)
        done[record.key] = save_office(
            office,
            body=body,
            label=record.label,
            role=record.role,
            division_id=record.division_id,
            number=record.number,
            ocd_id=record.key,
            wards=wards,
        )
    return done


def _import_persons(
    records: list[popolo.PersonRecord], result: Imported, by: User | None
) -> dict[str, DecisionMaker]:
    done: dict[str, DecisionMaker] = {}
    for record in records:
        person = DecisionMaker.objects.filter(ocd_id=record.key).first()
        if person is None:
            namesakes = list(
                DecisionMaker.objects.filter(ocd_id=None, name__iexact=record.name)[:2]
            )
            person = namesakes[0] if len(namesakes) == 1 else None
        given = {
            name: getattr(record, name)
            for name in (
                "name",
                "sort_name",
                "photo_url",
                "phone",
                "email",
                "office_address",
                "website",
            )
            if getattr(record, name)
        }
        if person is None:
            result.count("decision makers", created=True, changed=True)
            done[record.key] = save_decision_maker(
                None, by=by, source=RevisionSource.IMPORT, ocd_id=record.key, **given
            )
            continue
        changed = bool(differences(person, {**given, "ocd_id": record.key}))
        result.count("decision makers", created=False, changed=changed)
        done[record.key] = (
            save_decision_maker(
                person, by=by, source=RevisionSource.IMPORT, ocd_id=record.key, **given
            )
            if changed
            else person
        )
    return done


def _import_terms(
    records: list[popolo.TermRecord],
    bodies: dict[str, Body],
    offices: dict[str, Office],
    people: dict[str, DecisionMaker],
    result: Imported,
    by: User | None,
) -> None:
    for record in records:
        body = _body_for(record.body_key, bodies)
        person = people.get(record.person_key) or DecisionMaker.objects.get(
            ocd_id=record.person_key
        )
        office = None
        if record.office_key:
            office = offices.get(record.office_key) or Office.objects.get(ocd_id=record.office_key)
        term = Term.objects.filter(ocd_id=record.key).first() if record.key else None
        if term is None:
            term = (
                Term.objects.filter(
                    decision_maker=person,
                    body=body,
                    office=office,
                    role=record.role,
                    start_date=record.start_date,
                )
                .filter(ocd_id=None)
                .first()
            )
        fields = {
            "decision_maker": person,
            "body": body,
            "office": office,
            "role": record.role,
            "start_date": record.start_date,
            "end_date": record.end_date,
            "ocd_id": record.key or None,
        }
        changed = term is None or bool(differences(term, fields))
        result.count("terms", created=term is None, changed=changed)
        if changed:
            save_term(
                term,
                decision_maker=person,
                body=body,
                office=office,
                role=record.role,
                start_date=record.start_date,
                end_date=record.end_date,
                ocd_id=record.key,
                by=by,
                source=RevisionSource.IMPORT,
            )
