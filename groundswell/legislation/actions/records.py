"""Writes to the Council's records: bodies, offices, decision makers and their terms.

Every change to a decision maker or a term is kept as a Revision (who, what, when,
from which form, import or admin page), because these records are shared by every
organization on the platform and any organization's organizers may correct them.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files import File
from django.db import transaction
from django.db.models import Model
from django.utils.text import slugify
from django.utils.translation import gettext as _

from groundswell.accounts.models import User
from groundswell.districts.models import District, DistrictSet, Kind
from groundswell.legislation.models import (
    Body,
    Classification,
    DecisionMaker,
    Matter,
    Office,
    Revision,
    RevisionSource,
    Term,
)
from groundswell.organizations.models import Organization

PERSON_FIELDS = (
    "name",
    "sort_name",
    "photo_url",
    "phone",
    "email",
    "office_address",
    "website",
)


# Words the organizer area uses in its own URLs (/manage/<org>/legislation/people/new/).
RESERVED_SLUGS = frozenset({"new", "edit"})


class RecordRefused(ValueError):
    """A change the records cannot take; the message says why, in the reader's language."""


def as_text(value: Any) -> str:
    """A field's value as the history shows it."""
    if value is None or value is False:
        return ""
    if value is True:
        return "yes"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "name") and not isinstance(value, Model):  # a file
        return str(value.name or "")
    return str(value)


def unique_slug(model: type[Model], text: str, *, fallback: str, exclude: int | None = None) -> str:
    """A slug for `text` that no other row of `model` has: "jane-doe", "jane-doe-2"…"""
    base = slugify(text)[:90].strip("-") or fallback
    if base in RESERVED_SLUGS:
        base = f"{base}-{fallback}"
    slug, number = base, 1
    rows = model._default_manager.all()
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    while rows.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def note_revision(
    record: DecisionMaker | Matter,
    *,
    subject: str,
    changes: dict[str, dict[str, str]],
    source: str = RevisionSource.FORM,
    by: User | None = None,
    organization: Organization | None = None,
) -> Revision | None:
    """Keep a change in the record's history (nothing when nothing changed)."""
    if not changes:
        return None
    return Revision.objects.create(
        decision_maker=record if isinstance(record, DecisionMaker) else None,
        matter=record if isinstance(record, Matter) else None,
        subject=subject,
        changes=changes,
        source=source,
        changed_by=by,
        organization=organization,
    )


def differences(record: Model, fields: dict[str, Any]) -> dict[str, dict[str, str]]:
    """{field: {"from", "to"}} for each value that differs from the record's."""
    changes = {}
    for field, value in fields.items():
        before = getattr(record, field)
        if before != value:
            changes[field] = {"from": as_text(before), "to": as_text(value)}
    return changes


# --- Bodies and offices ------------------------------------------------------------------


def save_body(
    body: Body | None,
    *,
    name: str,
    classification: str = Classification.COMMITTEE,
    parent: Body | None = None,
    seats: int | None = None,
    ocd_id: str | None = None,
) -> Body:
    """Create a body, or change one; returns it. The slug is made once, from the name."""
    fields: dict[str, Any] = {
        "name": name,
        "classification": classification,
        "parent": parent,
        "seats": seats,
        "ocd_id": ocd_id or None,
    }
    if body is None:
        return Body.objects.create(slug=unique_slug(Body, name, fallback="body"), **fields)
    changed = differences(body, fields)
    if changed:
        for field in changed:
            setattr(body, field, fields[field])
        body.save(update_fields=[*changed, "updated_at"])
    return body


def ward_map() -> dict[str, District]:
    """The districts of the ward map in force today, by OCD division id."""
    current = DistrictSet.objects.current().get(Kind.WARD)
    if current is None:
        return {}
    return {d.division_id: d for d in District.objects.filter(set=current)}


def save_office(
    office: Office | None,
    *,
    body: Body,
    label: str,
    role: str = "",
    division_id: str = "",
    number: int | None = None,
    ocd_id: str | None = None,
    wards: dict[str, District] | None = None,
) -> Office:
    """Create an office, or change one; returns it. An office for a ward is linked to
    that ward of the map in force (`wards`, read here when not given)."""
    if wards is None:
        wards = ward_map() if division_id else {}
    district = wards.get(division_id) if division_id else None
    fields: dict[str, Any] = {
        "body": body,
        "label": label,
        "role": role,
        "division_id": division_id,
        "number": number,
        "ocd_id": ocd_id or None,
    }
    if district is not None or office is None or not division_id:
        fields["district"] = district
    if office is None:
        return Office.objects.create(**fields)
    changed = differences(office, fields)
    if changed:
        for field in changed:
            setattr(office, field, fields[field])
        office.save(update_fields=[*changed, "updated_at"])
    return office


def link_wards() -> int:
    """Link every office that names a ward division to that ward of the map in force
    (after a new ward map is imported); returns how many links changed."""
    wards = ward_map()
    changed = 0
    for office in Office.objects.exclude(division_id=""):
        district = wards.get(office.division_id)
        if district is not None and office.district_id != district.pk:
            office.district = district
            office.save(update_fields=["district", "updated_at"])
            changed += 1
    return changed


# --- Decision makers and terms --------------------------------------------------------------


def save_decision_maker(
    decision_maker: DecisionMaker | None,
    *,
    by: User | None = None,
    organization: Organization | None = None,
    source: str = RevisionSource.FORM,
    photo: File[bytes] | bool | None = None,
    ocd_id: str | None = None,
    demo: bool | None = None,
    **fields: Any,
) -> DecisionMaker:
    """Create a decision maker, or change one, and keep the change in their history.

    `fields` are any of PERSON_FIELDS. `photo` is a new upload (already checked and
    re-encoded by core.uploads.WebImageField), False to remove the photo, or None to
    leave it.
    """
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Not decision maker fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        if decision_maker is None:
            decision_maker = DecisionMaker(
                slug=unique_slug(DecisionMaker, fields.get("name", ""), fallback="person"),
                ocd_id=ocd_id or None,
                demo=bool(demo),
                **fields,
            )
            changes = {field: {"to": as_text(value)} for field, value in fields.items() if value}
            if photo:
                decision_maker.photo = photo
                changes["photo"] = {"to": _("new photo")}
            decision_maker.save()
            note_revision(
                decision_maker,
                subject="decision maker",
                changes=changes or {"name": {"to": decision_maker.name}},
                source=source,
                by=by,
                organization=organization,
            )
            return decision_maker
        decision_maker = DecisionMaker.objects.select_for_update().get(pk=decision_maker.pk)
        if ocd_id is not None:
            fields["ocd_id"] = ocd_id or None
        if demo is not None:
            fields["demo"] = demo
        changes = differences(decision_maker, fields)
        for field in changes:
            setattr(decision_maker, field, fields[field])
        if photo is False and decision_maker.photo:
            changes["photo"] = {"from": as_text(decision_maker.photo), "to": ""}
            decision_maker.photo.delete(save=False)
            decision_maker.photo = ""
        elif photo:
            changes["photo"] = {"from": as_text(decision_maker.photo), "to": _("new photo")}
            decision_maker.photo = photo
        if changes:
            decision_maker.save()
            note_revision(
                decision_maker,
                subject="decision maker",
                changes=changes,
                source=source,
                by=by,
                organization=organization,
            )
        return decision_maker


def _term_fields(term: Term | Any) -> dict[str, str]:
    return {
        "office": as_text(term.office.label if term.office else ""),
        "body": as_text(term.body.name if term.body else ""),
        "role": term.role,
        "from": as_text(term.start_date),
        "until": as_text(term.end_date),
    }


def save_term(
    term: Term | None,
    *,
    decision_maker: DecisionMaker,
    body: Body,
    office: Office | None = None,
    role: str = "",
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    ocd_id: str | None = None,
    by: User | None = None,
    organization: Organization | None = None,
    source: str = RevisionSource.FORM,
) -> Term:
    """Create a term (an office or a role held from a day to a day), or change one,
    and keep the change in the decision maker's history. Raises RecordRefused for an
    office of another body, or an end before the start."""
    if office is not None and office.body_id != body.pk:
        raise RecordRefused(
            _("%(office)s is an office of %(body)s.")
            % {"office": office.label, "body": office.body.name}
        )
    if start_date and end_date and end_date <= start_date:
        raise RecordRefused(_("A term must end after it starts."))
    fields: dict[str, Any] = {
        "decision_maker": decision_maker,
        "body": body,
        "office": office,
        "role": role,
        "start_date": start_date,
        "end_date": end_date,
    }
    if ocd_id is not None:
        fields["ocd_id"] = ocd_id or None
    with transaction.atomic():
        if term is None:
            term = Term.objects.create(**fields)
            note_revision(
                decision_maker,
                subject="term",
                changes={k: {"to": v} for k, v in _term_fields(term).items() if v},
                source=source,
                by=by,
                organization=organization,
            )
            return term
        term = (
            Term.objects.select_for_update(of=("self",))
            .select_related("office", "body")
            .get(pk=term.pk)
        )
        before = _term_fields(term)
        changed = differences(term, fields)
        if not changed:
            return term
        for field in changed:
            setattr(term, field, fields[field])
        term.save()
        after = _term_fields(term)
        changes = {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]}
        if "ocd_id" in changed:
            changes["ocd id"] = changed["ocd_id"]
        note_revision(
            decision_maker,
            subject="term",
            changes=changes,
            source=source,
            by=by,
            organization=organization,
        )
        return term
