"""Volunteers' part in the people app's record of a person (people.registry).

Confirmed sign-ups and pipeline changes show on the person's timeline for the
organization they volunteered with; they are in the person's copy of their data; and
erasure blanks the personal fields of their sign-ups and pipeline records (the rows
stay, so the organization's counts by stage still add up).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from groundswell.organizations.models import Organization
from groundswell.people.models import Person
from groundswell.people.registry import Entry
from groundswell.volunteers.models import (
    PipelineChange,
    Signup,
    Stage,
    Volunteer,
    VolunteerDetails,
)

ACTION_KEY = "volunteer:all"

BLANK: dict[str, Any] = {
    "first_name": "",
    "last_name": "",
    "email": "",
    "phone": "",
    "skills": "",
    "languages": [],
    "other_languages": "",
    "availability": [],
    "availability_note": "",
    "neighborhood": "",
    "ward": None,
}
assert set(BLANK) | {"reach_by"} == set(VolunteerDetails.DETAIL_FIELDS)


def _addresses(person: Person) -> list[str]:
    emails = [person.email_normalized, *person.other_emails.values_list("normalized", flat=True)]
    return [e for e in emails if e]


def _signups_of(person: Person) -> QuerySet[Signup]:
    """Confirmed sign-ups that became this person, and any sent with their address."""
    return Signup.objects.filter(
        Q(volunteer__person=person) | Q(email_normalized__in=_addresses(person))
    ).filter(erased_at__isnull=True)


def _volunteers_of(person: Person) -> QuerySet[Volunteer]:
    return Volunteer.objects.filter(person=person, erased_at__isnull=True)


def _erase(signups: QuerySet[Signup], volunteers: QuerySet[Volunteer]) -> int:
    now = timezone.now()
    volunteer_ids = list(volunteers.values_list("pk", flat=True))
    PipelineChange.objects.filter(volunteer_id__in=volunteer_ids).exclude(note="").update(note="")
    erased = signups.update(**BLANK, email_normalized="", ip_address=None, erased_at=now)
    # The ward found from their address goes with the ward they typed.
    erased += Volunteer.objects.filter(pk__in=volunteer_ids).update(
        **BLANK, district=None, district_precision="", person=None, erased_at=now
    )
    return erased


class VolunteerRecords:
    name = "volunteers"

    def timeline(self, person: Person, organization: Organization) -> Iterable[Entry]:
        volunteers = _volunteers_of(person).filter(organization=organization)
        for volunteer in volunteers:
            url = reverse("volunteers_manage:detail", args=[organization.slug, volunteer.pk])
            for change in volunteer.changes.filter(
                kind__in=[PipelineChange.Kind.SIGNED_UP, PipelineChange.Kind.STAGE]
            ):
                if change.kind == PipelineChange.Kind.SIGNED_UP:
                    yield Entry(
                        at=change.at,
                        kind="volunteer_signup",
                        label=_("Signed up to volunteer"),
                        summary=volunteer.campaign.title if volunteer.campaign else "",
                        url=url,
                    )
                else:
                    yield Entry(
                        at=change.at,
                        kind="volunteer_stage",
                        label=_("Volunteer stage changed"),
                        summary=_("%(before)s → %(after)s")
                        % {
                            "before": Stage(change.from_stage).label,
                            "after": Stage(change.to_stage).label,
                        },
                        url=url,
                    )

    def export(self, person: Person) -> dict[str, Any]:
        def details(record: VolunteerDetails) -> dict[str, Any]:
            return {name: getattr(record, name) for name in VolunteerDetails.DETAIL_FIELDS}

        return {
            "items": [
                {
                    "organization": s.organization.name,
                    **details(s),
                    "interests": [i.name for i in s.interests.all()],
                    "consent": s.consent,
                    "sent_at": s.created_at.isoformat(),
                    "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
                    "ip_address": s.ip_address,
                }
                for s in _signups_of(person).select_related("organization")
            ],
            "pipeline": [
                {
                    "organization": v.organization.name,
                    **details(v),
                    "interests": [i.name for i in v.interests.all()],
                    "stage": v.stage,
                    "signed_up_at": v.signed_up_at.isoformat(),
                    "notes": [c.note for c in v.changes.exclude(note="")],
                }
                for v in _volunteers_of(person).select_related("organization")
            ],
        }

    def erase(self, person: Person) -> int:
        return _erase(_signups_of(person), _volunteers_of(person))

    def forget(self, person: Person, organization: Organization) -> int:
        return _erase(
            _signups_of(person).filter(organization=organization),
            _volunteers_of(person).filter(organization=organization),
        )

    def actions(self, organization: Organization) -> list[tuple[str, str]]:
        return [(ACTION_KEY, _("Signed up to volunteer"))]

    def people_who(self, key: str, organization: Organization) -> QuerySet[Any]:
        volunteers = Volunteer.objects.of(organization).filter(person__isnull=False)
        if key != ACTION_KEY:
            volunteers = volunteers.none()
        return volunteers.values("person_id")
