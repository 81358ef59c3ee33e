"""Writes to matters by hand: the organizer form for a matter and its sponsors.

(Imports write matters in bulk: actions.imports.) A new sponsor is counted on every
whip board that follows the matter at once, as a co-sponsorship from a file is.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from groundswell.accounts.models import User
from groundswell.legislation.actions.records import (
    RecordRefused,
    as_text,
    differences,
    note_revision,
    unique_slug,
)
from groundswell.legislation.actions.whip import apply_matter_events
from groundswell.legislation.models import (
    Body,
    DecisionMaker,
    Matter,
    MatterAction,
    Referral,
    RevisionSource,
    Sponsorship,
)
from groundswell.organizations.models import Organization

MATTER_FIELDS = (
    "record_number",
    "title",
    "kind",
    "status",
    "introduced_on",
    "body",
    "summary",
    "source_url",
)


def matter_slug(record_number: str, title: str, *, exclude: int | None = None) -> str:
    """The matter's address: its record number ("o2023-0002065"), else its title."""
    return unique_slug(Matter, record_number or title[:80], fallback="matter", exclude=exclude)


def save_matter(
    matter: Matter | None,
    *,
    by: User | None = None,
    organization: Organization | None = None,
    source: str = RevisionSource.FORM,
    demo: bool = False,
    **fields: Any,
) -> Matter:
    """Create a matter, or change one, and keep the change in its history. `fields`
    are any of MATTER_FIELDS."""
    unknown = set(fields) - set(MATTER_FIELDS)
    if unknown:
        raise TypeError(f"Not matter fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        if matter is None:
            matter = Matter.objects.create(
                slug=matter_slug(fields.get("record_number", ""), fields.get("title", "")),
                demo=demo,
                **fields,
            )
            note_revision(
                matter,
                subject="matter",
                changes={f: {"to": as_text(v)} for f, v in fields.items() if v},
                source=source,
                by=by,
                organization=organization,
            )
            return matter
        matter = Matter.objects.select_for_update().get(pk=matter.pk)
        changes = differences(matter, fields)
        if changes:
            for field in changes:
                setattr(matter, field, fields[field])
            matter.save()
            note_revision(
                matter,
                subject="matter",
                changes=changes,
                source=source,
                by=by,
                organization=organization,
            )
        return matter


def add_sponsor(
    matter: Matter,
    decision_maker: DecisionMaker,
    *,
    primary: bool = False,
    sponsored_on: datetime.date | None = None,
    by: User | None = None,
    organization: Organization | None = None,
    source: str = RevisionSource.FORM,
) -> Sponsorship:
    """Record a sponsor (primary) or co-sponsor of the matter, and count them as a yes
    on every whip board that follows it. Raises RecordRefused for a sponsor already
    on record."""
    with transaction.atomic():
        Matter.objects.select_for_update().get(pk=matter.pk)
        if matter.sponsorships.filter(decision_maker=decision_maker).exists():
            raise RecordRefused(
                _("%(name)s already sponsors this matter.") % {"name": decision_maker.name}
            )
        sponsorship = Sponsorship.objects.create(
            matter=matter,
            decision_maker=decision_maker,
            name=decision_maker.name,
            primary=primary,
            classification="Sponsor" if primary else "CoSponsor",
            sponsored_on=sponsored_on or matter.introduced_on,
            position=matter.sponsorships.count(),
        )
        note_revision(
            matter,
            subject="sponsors",
            changes={
                "sponsor" if primary else "co-sponsor": {"to": decision_maker.name},
                "since": {"to": as_text(sponsorship.sponsored_on)},
            },
            source=source,
            by=by,
            organization=organization,
        )
        apply_matter_events(matter)
    return sponsorship


def remove_sponsor(
    sponsorship: Sponsorship,
    *,
    by: User | None = None,
    organization: Organization | None = None,
) -> None:
    """Take a sponsor off the matter (a mistake, or a withdrawn co-sponsorship). Whip
    boards keep the stance history it caused; an organizer records what changed."""
    with transaction.atomic():
        matter = sponsorship.matter
        note_revision(
            matter,
            subject="sponsors",
            changes={"sponsor": {"from": sponsorship.name, "to": ""}},
            by=by,
            organization=organization,
        )
        sponsorship.delete()


def record_action(
    matter: Matter,
    description: str,
    *,
    date: datetime.date | None = None,
    body: Body | None = None,
    referred_to: Body | None = None,
    result: str = "",
    by: User | None = None,
    organization: Organization | None = None,
    source: str = RevisionSource.FORM,
) -> MatterAction:
    """Add a step to the end of the matter's history; `referred_to` also records its
    referral to that committee."""
    with transaction.atomic():
        Matter.objects.select_for_update().get(pk=matter.pk)
        action = MatterAction.objects.create(
            matter=matter,
            position=matter.actions.count(),
            date=date,
            body=body,
            body_name=body.name if body else "",
            description=description,
            classification="committee-referral" if referred_to else "",
            result=result,
        )
        changes = {"action": {"to": f"{as_text(date)} {description}".strip()}}
        if referred_to is not None:
            Referral.objects.get_or_create(
                matter=matter, committee=referred_to, defaults={"referred_on": date}
            )
            changes["referral"] = {"to": referred_to.name}
        note_revision(
            matter,
            subject="history",
            changes=changes,
            source=source,
            by=by,
            organization=organization,
        )
    return action
