"""Events' part in the people app's record of a supporter (people.registry).

An RSVP makes its person known to the event's hosting organizations (events.actions);
each RSVP and each attendance shows on their timeline for those organizations, is in
the person's copy of their data, and is anonymized (still counting) when they ask to
be erased. So is an event they proposed: its proposer's name and address are blanked
(the event stays).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from groundswell.events.models import RSVP, Event, new_key
from groundswell.organizations.models import Organization
from groundswell.people.models import Person
from groundswell.people.registry import Entry

ACTION_PREFIX = "event:"


def _emails_of(person: Person) -> list[str]:
    emails = [person.email_normalized, *person.other_emails.values_list("normalized", flat=True)]
    return [e for e in emails if e]


def _rsvps_of(person: Person) -> QuerySet[RSVP]:
    return RSVP.objects.filter(Q(person=person) | Q(email_normalized__in=_emails_of(person)))


def _proposals_of(person: Person) -> QuerySet[Event]:
    """Events the person proposed: linked to them, or naming one of their addresses
    (compared case-insensitively, as the proposer typed it)."""
    by_email = Q()
    for email in _emails_of(person):
        by_email |= Q(proposer_email__iexact=email)
    return Event.objects.filter(Q(proposed_by=person) | by_email)


def forget_proposer(events: QuerySet[Event]) -> int:
    """Blank who proposed these events; the events themselves stay."""
    return events.exclude(proposed_by__isnull=True, proposer_name="", proposer_email="").update(
        proposed_by=None,
        proposer_name="",
        proposer_email="",
        proposer_ip=None,
        updated_at=timezone.now(),
    )


def anonymize(rsvps: QuerySet[RSVP]) -> int:
    """Erase who RSVPed, keeping what the figures are made of (status, guests,
    attendance, times). A new key makes the old cancellation links stop working."""
    count = 0
    now = timezone.now()
    for rsvp in rsvps.filter(anonymized_at__isnull=True):
        RSVP.objects.filter(pk=rsvp.pk).update(
            first_name="",
            last_name="",
            email="",
            email_normalized="",
            phone="",
            person=None,
            consents=[],
            ip_address=None,
            key=new_key(),
            anonymized_at=now,
        )
        count += 1
    return count


class RSVPRecords:
    name = "rsvps"

    def timeline(self, person: Person, organization: Organization) -> Iterable[Entry]:
        rsvps = (
            RSVP.objects.filter(person=person)
            .filter(Q(event__owner=organization) | Q(event__hosts=organization))
            .select_related("event", "shift")
            .distinct()
        )
        for rsvp in rsvps:
            url = reverse("events_manage:detail", args=[organization.slug, rsvp.event_id])
            label = _("Walked in") if rsvp.source == RSVP.WALK_IN else _("RSVPed to an event")
            if rsvp.status == RSVP.Status.WAITLISTED:
                label = _("Joined an event's waitlist")
            yield Entry(
                at=rsvp.created_at,
                kind="rsvp",
                label=label,
                summary=rsvp.event.title,
                source=f"{ACTION_PREFIX}{rsvp.event_id}",
                url=url,
            )
            if rsvp.cancelled_at:
                yield Entry(
                    at=rsvp.cancelled_at,
                    kind="rsvp_cancelled",
                    label=_("Cancelled an RSVP"),
                    summary=rsvp.event.title,
                    url=url,
                )
            if rsvp.attendance == RSVP.Attendance.ATTENDED and rsvp.checked_in_at:
                yield Entry(
                    at=rsvp.checked_in_at,
                    kind="attendance",
                    label=_("Attended an event"),
                    summary=rsvp.event.title,
                    url=url,
                )
            elif rsvp.attendance == RSVP.Attendance.NO_SHOW:
                yield Entry(
                    at=rsvp.shift.ends_at,
                    kind="no_show",
                    label=_("Did not come to an event"),
                    summary=rsvp.event.title,
                    url=url,
                )

    def export(self, person: Person) -> dict[str, Any]:
        return {
            "items": [
                {
                    "event": r.event.title,
                    "starts_at": r.shift.starts_at.isoformat(),
                    "first_name": r.first_name,
                    "last_name": r.last_name,
                    "email": r.email,
                    "phone": r.phone,
                    "guests": r.guests,
                    "status": r.status,
                    "attendance": r.attendance,
                    "rsvped_at": r.created_at.isoformat(),
                    "checked_in_at": r.checked_in_at.isoformat() if r.checked_in_at else None,
                }
                for r in _rsvps_of(person).select_related("event", "shift")
            ],
            "proposals": [
                {
                    "event": e.title,
                    "organization": e.owner.name,
                    "name": e.proposer_name,
                    "email": e.proposer_email,
                    "approval": e.approval,
                    "proposed_at": e.created_at.isoformat(),
                }
                for e in _proposals_of(person).select_related("owner").order_by("created_at", "pk")
            ],
        }

    def erase(self, person: Person) -> int:
        return anonymize(_rsvps_of(person)) + forget_proposer(_proposals_of(person))

    def forget(self, person: Person, organization: Organization) -> int:
        """Anonymize the person's RSVPs to events the organization owns (they keep
        counting), and walk-ins it typed in itself; a co-hosted event's RSVPs are its
        owner's. Blank them as the proposer of events the organization owns."""
        rsvps = _rsvps_of(person).filter(Q(event__owner=organization) | Q(recorded_by=organization))
        return anonymize(rsvps) + forget_proposer(_proposals_of(person).filter(owner=organization))

    def actions(self, organization: Organization) -> list[tuple[str, str]]:
        """ "RSVPed: <title>" for each event the organization owns or co-hosts."""
        events = (
            Event.objects.involving(organization)
            .filter(approval=Event.Approval.APPROVED)
            .order_by("-created_at", "-pk")
            .values_list("pk", "title")
        )
        return [
            (f"{ACTION_PREFIX}{pk}", _("RSVPed: %(title)s") % {"title": title})
            for pk, title in events
        ]

    def people_who(self, key: str, organization: Organization) -> QuerySet[Any]:
        rsvps = RSVP.objects.active().filter(person__isnull=False)
        number = key.removeprefix(ACTION_PREFIX)
        if not key.startswith(ACTION_PREFIX) or not number.isdigit():
            return rsvps.none().values("person_id")
        involved = Event.objects.involving(organization).filter(pk=int(number))
        return rsvps.filter(event__in=involved.values("pk")).values("person_id")
