"""Importing matters: OCD bills or Chicago eLMS matters, with their sponsors,
referrals, actions and roll calls (see actions.imports for what every import does:
read all, check all, then write in one transaction, found again by the source's ids).

Sponsors and voters are matched to decision makers on record (_People); bodies a file
names are found or made (_Bodies). Each part of a matter is compared with what is on
record and written only where it differs, so the same file again writes nothing, and
whatever changed is kept in the matter's history.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from groundswell.accounts.models import User
from groundswell.legislation.actions.imports import Imported, Source
from groundswell.legislation.actions.matters import matter_slug
from groundswell.legislation.actions.records import as_text, differences, note_revision, save_body
from groundswell.legislation.actions.whip import apply_matter_events
from groundswell.legislation.importers.common import name_key
from groundswell.legislation.importers.matters import MatterRecord, read_matters
from groundswell.legislation.importers.source import parse_json, read
from groundswell.legislation.models import (
    Body,
    Classification,
    DecisionMaker,
    Matter,
    MatterAction,
    Referral,
    RevisionSource,
    RollCall,
    Sponsorship,
    Term,
    Vote,
)

__all__ = ["import_matters"]


def import_matters(source: Source, *, format: str = "auto", by: User | None = None) -> Imported:
    """Import OCD bills or eLMS matters (a path, an open binary file or an http(s) URL),
    with their sponsors, referrals, actions and roll calls; whip boards that follow an
    imported matter take its co-sponsorships and votes. See groundswell.legislation.
    importers.ocd and .elms for the shapes."""
    label, data = read(source)
    records = read_matters(parse_json(data), format)
    result = Imported(source=label)
    with transaction.atomic():
        people = _People()
        bodies = _Bodies(result)
        for record in records:
            matter = _import_matter(record, people, bodies, result, by)
            result.stance_changes += apply_matter_events(matter)
    return result


class _People:
    """Finds the decision maker a file means: by OCD id, by name (either order, accents
    and case aside, when only one person has it), or by the ward they held that day."""

    def __init__(self) -> None:
        self.by_id: dict[str, DecisionMaker] = {}
        self.by_name: dict[str, list[DecisionMaker]] = {}
        for person in DecisionMaker.objects.all():
            if person.ocd_id:
                self.by_id[person.ocd_id] = person
            for name in {name_key(person.name), name_key(person.sort_name)} - {""}:
                self.by_name.setdefault(name, []).append(person)
        self.seats = list(
            Term.objects.seated()
            .filter(office__number__isnull=False, body__classification=Classification.LEGISLATURE)
            .select_related("decision_maker", "office")
        )

    def find(
        self,
        *,
        person_id: str = "",
        name: str = "",
        ward: int | None = None,
        on: datetime.date | None = None,
    ) -> DecisionMaker | None:
        if person_id and person_id in self.by_id:
            return self.by_id[person_id]
        namesakes = {p.pk: p for p in self.by_name.get(name_key(name), [])}
        if len(namesakes) == 1:
            return next(iter(namesakes.values()))
        if ward is not None:
            holders = {
                t.decision_maker.pk: t.decision_maker
                for t in self.seats
                if t.office is not None and t.office.number == ward and t.is_current(on)
            }
            if len(holders) == 1:
                return next(iter(holders.values()))
        return None


class _Bodies:
    """Finds a body by OCD id or name; a body the records lack is made (a committee
    a matter was referred to, say), and counted."""

    def __init__(self, result: Imported) -> None:
        self.result = result
        self.cache: dict[tuple[str, str], Body | None] = {}

    def find(self, body_id: str = "", name: str = "") -> Body | None:
        if (body_id, name) in self.cache:
            return self.cache[body_id, name]
        body = None
        if body_id:
            body = Body.objects.filter(ocd_id=body_id).first()
        if body is None and name:
            body = Body.objects.filter(name__iexact=name).first()
            kind = _kind_of_body(name)
            if body is None and kind == Classification.LEGISLATURE:
                # "City Council" in one source is "Chicago City Council" in another:
                # the one legislature on record is the one meant.
                legislatures = list(Body.objects.legislatures()[:2])
                body = legislatures[0] if len(legislatures) == 1 else None
            if body is None:
                body = save_body(
                    None,
                    name=name,
                    classification=kind,
                    ocd_id=body_id if body_id.startswith("ocd-") else None,
                )
                self.result.created["bodies"] += 1
        self.cache[body_id, name] = body
        return body

    def committee(self, reference: str) -> Body | None:
        return (
            self.find(body_id=reference)
            if reference.startswith("ocd-")
            else self.find(name=reference)
        )


def _kind_of_body(name: str) -> str:
    """What a body named only by a file is, from its name."""
    folded = name.casefold()
    if "committee" in folded:
        return Classification.COMMITTEE
    if "council" in folded:
        return Classification.LEGISLATURE
    if "mayor" in folded:
        return Classification.EXECUTIVE
    return Classification.COMMISSION


def _find_matter(record: MatterRecord) -> Matter | None:
    if record.ocd_id:
        found = Matter.objects.filter(ocd_id=record.ocd_id).first()
    else:
        found = Matter.objects.filter(elms_id=record.elms_id).first()
    if found is None and record.record_number:
        found = Matter.objects.filter(
            record_number=record.record_number, ocd_id=None, elms_id=None
        ).first()
    return found


def _import_matter(
    record: MatterRecord, people: _People, bodies: _Bodies, result: Imported, by: User | None
) -> Matter:
    matter = _find_matter(record)
    body = (
        bodies.find(record.body_id, record.body_name)
        if (record.body_id or record.body_name)
        else None
    )
    fields: dict[str, Any] = {
        "record_number": record.record_number,
        "title": record.title,
        "kind": record.kind,
        "status": record.status,
        "introduced_on": record.introduced_on,
        "summary": record.summary,
        "source_url": record.source_url,
        "ocd_id": record.ocd_id or None,
        "elms_id": record.elms_id or None,
    }
    if body is not None:
        fields["body"] = body
    created = matter is None
    if matter is None:
        matter = Matter.objects.create(
            slug=matter_slug(record.record_number, record.title), **fields
        )
        changes = {f: {"to": as_text(v)} for f, v in fields.items() if v}
    else:
        changes = differences(matter, fields)
        if changes:
            for name in changes:
                setattr(matter, name, fields[name])
            matter.save()
    changes.update(_sync_sponsors(matter, record, people))
    actions = _sync_actions(matter, record, bodies, changes)
    changes.update(_sync_referrals(matter, record, bodies))
    changes.update(_sync_roll_calls(matter, record, people, bodies, actions))
    if changes and not created:
        Matter.objects.filter(pk=matter.pk).update(updated_at=timezone.now())
    note_revision(matter, subject="import", changes=changes, source=RevisionSource.IMPORT, by=by)
    result.count("matters", created=created, changed=bool(changes))
    return matter


def _listing(rows: Iterable[Any]) -> str:
    return "; ".join(str(row) for row in rows)


def _sync_sponsors(matter: Matter, record: MatterRecord, people: _People) -> dict[str, Any]:
    existing = list(matter.sponsorships.all())
    before = [
        (s.name, s.primary, s.classification, s.sponsored_on, s.decision_maker_id) for s in existing
    ]
    kept: list[Sponsorship] = []
    for position, sponsor in enumerate(record.sponsors):
        person = people.find(
            person_id=sponsor.person_id,
            name=sponsor.name,
            ward=sponsor.ward,
            on=sponsor.sponsored_on or record.introduced_on,
        )
        if person is not None and any(s.decision_maker_id == person.pk for s in kept):
            continue  # the same person twice in the file: once is enough
        free = [s for s in existing if s not in kept]
        row = next(
            (s for s in free if person is not None and s.decision_maker_id == person.pk), None
        ) or next((s for s in free if s.name == sponsor.name), None)
        fields = {
            "decision_maker": person,
            "name": sponsor.name,
            "primary": sponsor.primary,
            "classification": sponsor.classification,
            "sponsored_on": sponsor.sponsored_on,
            "position": position,
        }
        if row is None:
            row = Sponsorship.objects.create(matter=matter, **fields)
        elif differences(row, fields):
            for name, value in fields.items():
                setattr(row, name, value)
            row.save()
        kept.append(row)
    gone = [s.pk for s in existing if s not in kept]
    if gone:
        Sponsorship.objects.filter(pk__in=gone).delete()
    after = [
        (s.name, s.primary, s.classification, s.sponsored_on, s.decision_maker_id) for s in kept
    ]
    if before == after:
        return {}
    return {
        "sponsors": {"from": _listing(b[0] for b in before), "to": _listing(a[0] for a in after)}
    }


def _sync_actions(
    matter: Matter, record: MatterRecord, bodies: _Bodies, changes: dict[str, Any]
) -> list[MatterAction]:
    desired = [
        MatterAction(
            matter=matter,
            position=position,
            date=action.date,
            body=bodies.find(action.body_id, action.body_name)
            if (action.body_id or action.body_name)
            else None,
            body_name=action.body_name,
            description=action.description,
            classification=",".join(action.classification)[:300],
            result=action.result,
        )
        for position, action in enumerate(record.actions)
    ]
    existing = list(matter.actions.all())

    def shape(rows: list[MatterAction]) -> list[tuple[Any, ...]]:
        return [
            (a.position, a.date, a.body_id, a.body_name, a.description, a.classification, a.result)
            for a in rows
        ]

    if shape(existing) == shape(desired):
        return existing
    matter.actions.all().delete()
    created = MatterAction.objects.bulk_create(desired)
    changes["actions"] = {
        "from": _listing(f"{a.date} {a.description}" for a in existing),
        "to": _listing(f"{a.date} {a.description}" for a in desired),
    }
    return list(created) if all(a.pk for a in created) else list(matter.actions.all())


def _sync_referrals(matter: Matter, record: MatterRecord, bodies: _Bodies) -> dict[str, Any]:
    desired: dict[int, tuple[Body, datetime.date | None]] = {}
    for action in record.actions:
        for reference in action.referred_to:
            committee = bodies.committee(reference)
            if committee is not None and committee.pk not in desired:
                desired[committee.pk] = (committee, action.date)
    existing = {r.committee_id: r for r in matter.referrals.select_related("committee")}
    before = sorted(r.committee.name for r in existing.values())
    changed = False
    for pk, (committee, on) in desired.items():
        referral = existing.get(pk)
        if referral is None:
            Referral.objects.create(matter=matter, committee=committee, referred_on=on)
            changed = True
        elif referral.referred_on != on:
            referral.referred_on = on
            referral.save(update_fields=["referred_on"])
            changed = True
    gone = [pk for pk in existing if pk not in desired]
    if gone:
        Referral.objects.filter(matter=matter, committee_id__in=gone).delete()
        changed = True
    if not changed:
        return {}
    return {
        "referrals": {
            "from": _listing(before),
            "to": _listing(sorted(c.name for c, _on in desired.values())),
        }
    }


def _sync_roll_calls(
    matter: Matter,
    record: MatterRecord,
    people: _People,
    bodies: _Bodies,
    actions: list[MatterAction],
) -> dict[str, Any]:
    existing = {r.key: r for r in matter.roll_calls.all()}
    by_position = {a.position: a for a in actions}
    changed: list[str] = []
    for entry in record.roll_calls:
        action = by_position.get(entry.action_index) if entry.action_index is not None else None
        body = (
            bodies.find(entry.body_id, entry.body_name)
            if (entry.body_id or entry.body_name)
            else matter.body
        )
        fields = {
            "date": entry.date,
            "motion": entry.motion,
            "result": entry.result,
            "needed": entry.needed,
            "body": body,
        }
        roll_call = existing.pop(entry.key, None)
        this_changed = False
        if roll_call is None:
            roll_call = RollCall.objects.create(
                matter=matter, key=entry.key, action=action, **fields
            )
            this_changed = True
        elif differences(roll_call, fields):
            for name, value in fields.items():
                setattr(roll_call, name, value)
            roll_call.save()
            this_changed = True
        # The action it was taken at is a link between rows, not a fact of the vote: the
        # actions may have been written again above, so it is set again quietly.
        action_id = action.pk if action is not None else None
        if roll_call.action_id != action_id:
            RollCall.objects.filter(pk=roll_call.pk).update(action=action_id)
        votes = [
            Vote(
                roll_call=roll_call,
                decision_maker=people.find(
                    person_id=vote.person_id, name=vote.voter_name, ward=vote.ward, on=entry.date
                ),
                voter_name=vote.voter_name,
                option=vote.option,
            )
            for vote in entry.votes
        ]
        want = sorted((v.voter_name, v.option, v.decision_maker_id or 0) for v in votes)
        have = sorted(
            (name, option, person or 0)
            for name, option, person in roll_call.votes.values_list(
                "voter_name", "option", "decision_maker_id"
            )
        )
        if want != have:
            roll_call.votes.all().delete()
            Vote.objects.bulk_create(votes)
            this_changed = True
        if this_changed:
            changed.append(f"{entry.date} {entry.motion[:60]}")
    if existing:
        RollCall.objects.filter(pk__in=[r.pk for r in existing.values()]).delete()
        changed.extend(f"{r.date} {r.motion[:60]} (removed)" for r in existing.values())
    return {"roll calls": {"to": _listing(changed)}} if changed else {}
