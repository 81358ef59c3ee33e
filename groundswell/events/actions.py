"""Every change to events, shifts and RSVPs goes through these functions.

Seats are decided with the shift's row locked (SELECT … FOR UPDATE; SQLite takes its
write lock at BEGIN), so two RSVPs for the last seat never both get it, and a freed
seat goes to the waitlist in the same transaction that freed it.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groundswell.campaigns.models import Campaign
from groundswell.events import emails
from groundswell.events.models import RSVP, Event, Shift
from groundswell.organizations.models import Organization
from groundswell.people import actions as people_actions
from groundswell.people.addresses import normalize_email
from groundswell.people.models import Person

if TYPE_CHECKING:
    from groundswell.accounts.models import User

# Changing these tells the people who RSVPed (with a new calendar file).
NOTIFIED_FIELDS = ("kind", "address", "online_url", "time_zone")
# Someone RSVPing again to a shift they have a place on is emailed the details again at
# most this often per event: enough for a lost email, too little to bother a stranger.
RESEND_INTERVAL = datetime.timedelta(days=1)
# Proposals one address may send in a day that are announced to the organizers by email;
# later ones wait in the organizers' list unannounced.
PROPOSAL_NOTICES_PER_DAY = 3


def source_of(event: Event) -> str:
    return f"event:{event.pk}"


# --- Events and shifts ---------------------------------------------------------------------


def create_event(
    *,
    owner: Organization,
    created_by: User | None,
    shifts: Sequence[dict[str, Any]],
    hosts: Iterable[Organization] = (),
    **fields: Any,
) -> Event:
    """Create an event with its shifts (each: starts_at, ends_at, capacity) and co-hosts."""
    with transaction.atomic():
        event = Event.objects.create(owner=owner, created_by=created_by, **fields)
        event.hosts.set([o for o in hosts if o.pk != owner.pk])
        for shift in shifts:
            Shift.objects.create(event=event, **shift)
    return event


def update_event(
    event: Event, *, hosts: Iterable[Organization] | None = None, **fields: Any
) -> list[str]:
    """Save an organizer's edits; returns the names of the fields that changed. A change
    of place, link or time zone is emailed to everyone who RSVPed."""
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        changed = [name for name, value in fields.items() if getattr(locked, name) != value]
        for name in changed:
            setattr(event, name, fields[name])
        notify = any(name in NOTIFIED_FIELDS for name in changed)
        if notify:
            event.sequence = locked.sequence + 1
            changed.append("sequence")
        if changed:
            event.save(update_fields=[*changed, "updated_at"])
        if hosts is not None:
            event.hosts.set([o for o in hosts if o.pk != event.owner_id])
        if notify and not event.is_cancelled:
            _notify_all(event, emails.CHANGED)
    return [name for name in changed if name != "sequence"]


def cancel_event(event: Event) -> int:
    """Cancel the event: it stays on its page marked cancelled, takes no more RSVPs,
    and everyone who RSVPed (seat or waitlist) is told. Returns how many were told."""
    with transaction.atomic():
        # The shifts' locks first: an RSVP deciding a seat right now finishes before,
        # and is told, or starts after, and sees the event cancelled.
        list(Shift.objects.select_for_update().filter(event=event).order_by("pk"))
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.is_cancelled:
            return 0
        event.status = Event.Status.CANCELLED
        event.cancelled_at = timezone.now()
        event.sequence = locked.sequence + 1
        event.save(update_fields=["status", "cancelled_at", "sequence", "updated_at"])
        return _notify_all(event, emails.EVENT_CANCELLED)


def _notify_all(event: Event, kind: str) -> int:
    rsvps = list(RSVP.objects.active().filter(event=event).exclude(email="").values_list("pk"))
    for (pk,) in rsvps:
        emails.send_rsvp_notice.enqueue(pk, kind)
    return len(rsvps)


def add_shift(event: Event, **fields: Any) -> Shift:
    return Shift.objects.create(event=event, **fields)


def update_shift(
    shift: Shift, *, starts_at: datetime.datetime, ends_at: datetime.datetime, capacity: int | None
) -> bool:
    """Change a shift's time or seats. A new time is emailed to the shift's RSVPs; more
    seats promote from the waitlist. Fewer seats than taken remove no one. Returns
    whether the time changed."""
    with transaction.atomic():
        locked = Shift.objects.select_for_update().select_related("event").get(pk=shift.pk)
        moved = (locked.starts_at, locked.ends_at) != (starts_at, ends_at)
        locked.starts_at, locked.ends_at, locked.capacity = starts_at, ends_at, capacity
        locked.save(update_fields=["starts_at", "ends_at", "capacity"])
        event = locked.event
        if moved and not event.is_cancelled:
            Event.objects.filter(pk=event.pk).update(
                sequence=event.sequence + 1, updated_at=timezone.now()
            )
            for (pk,) in locked.rsvps.active().exclude(email="").values_list("pk"):
                emails.send_rsvp_notice.enqueue(pk, emails.CHANGED)
        _promote(locked)
    shift.refresh_from_db()
    return moved


# --- RSVPs ---------------------------------------------------------------------------------


class Refusal(enum.Enum):
    CANCELLED = "cancelled"
    PAST = "past"
    FULL = "full"
    NOT_OPEN = "not_open"


class RSVPRefused(Exception):
    """The RSVP cannot be taken; nothing was recorded."""

    def __init__(self, reason: Refusal, shift: Shift | None = None) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.shift = shift

    @property
    def message(self) -> str:
        return {
            Refusal.CANCELLED: _("This event is cancelled and takes no more RSVPs."),
            Refusal.PAST: _("This shift has already started or ended."),
            Refusal.FULL: _("This shift is full and has no waitlist."),
            Refusal.NOT_OPEN: _("This event is not open for RSVPs."),
        }[self.reason]


class Outcome(enum.Enum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    ALREADY = "already"  # an RSVP from this address to this shift was there already


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    rsvp: RSVP


def rsvp(
    event: Event,
    shifts: Sequence[Shift],
    *,
    first_name: str,
    last_name: str,
    email: str,
    phone: str = "",
    guests: int = 0,
    consents: Iterable[int] = (),
    language: str = "en",
    now: datetime.datetime | None = None,
    source: str = RSVP.WEB,
    notify: bool = True,
    ip_address: str | None = None,
) -> list[Result]:
    """RSVP someone (no account needed) to one or more shifts of an event.

    Each shift gives a seat while its capacity lasts (guests take seats too), then a
    waitlist place, or refuses if the event keeps no waitlist. All or nothing: a
    refusal (RSVPRefused) on any shift records nothing. The person becomes known to
    the hosting organizations by name only; the organizations whose box they ticked are
    kept on the RSVP, and get their consent and contact details once they confirm the
    address from the emailed link (confirm_email). The seat needs no confirmation. An
    address already RSVPed to a shift keeps that RSVP, and is emailed its details again
    at most once a day per event (RESEND_INTERVAL).

    `source` is noted on new RSVPs (an organization's API records `api:<slug>`);
    without `notify` no confirmation or waitlist email is sent for this RSVP (an
    organization recording attendance it collected itself, as Action Network does).
    """
    now = now or timezone.now()
    key = normalize_email(email)
    with transaction.atomic():
        # Locked in one order, so two RSVPs for the same shifts never deadlock.
        locked = list(
            Shift.objects.select_for_update()
            .filter(event=event, pk__in=[s.pk for s in shifts])
            .order_by("pk")
        )
        current = Event.objects.get(pk=event.pk)
        if current.is_cancelled:
            raise RSVPRefused(Refusal.CANCELLED)
        if current.approval != Event.Approval.APPROVED or not locked:
            raise RSVPRefused(Refusal.NOT_OPEN)
        for shift in locked:
            if shift.starts_at <= now:
                raise RSVPRefused(Refusal.PAST, shift)
        person = people_actions.record_person(
            email=email, first_name=first_name, last_name=last_name, language=language
        )
        results = []
        ticked = sorted(set(consents))
        resend = notify and not _resent_lately(current, key, now)
        for shift in locked:
            existing = shift.rsvps.active().filter(email_normalized=key).first()
            if existing is not None:
                results.append(Result(Outcome.ALREADY, existing))
                update: dict[str, Any] = {}
                added = sorted(set(existing.consents) | set(ticked))
                if added != sorted(existing.consents) and existing.email_confirmed_at is None:
                    # Ticked now: applies once the address is confirmed, like the first time.
                    update["consents"] = added
                if resend:
                    resend = False
                    update["resent_at"] = now
                    seated = existing.status == RSVP.Status.CONFIRMED
                    again = emails.CONFIRMED if seated else emails.WAITLISTED
                    emails.send_rsvp_notice.enqueue(existing.pk, again)
                if update:
                    RSVP.objects.filter(pk=existing.pk).update(**update, updated_at=now)
                continue
            seats = 1 + guests
            if shift.capacity is None or shift.taken_seats() + seats <= shift.capacity:
                status = RSVP.Status.CONFIRMED
            elif current.waitlist:
                status = RSVP.Status.WAITLISTED
            else:
                raise RSVPRefused(Refusal.FULL, shift)
            made = RSVP.objects.create(
                shift=shift,
                event=current,
                person=person,
                first_name=first_name,
                last_name=last_name,
                email=email.strip(),
                email_normalized=key,
                phone=phone.strip(),
                guests=guests,
                status=status,
                consents=ticked,
                language=language,
                source=source[:40],
                created_at=now,
                ip_address=ip_address,
            )
            outcome = Outcome.CONFIRMED if status == RSVP.Status.CONFIRMED else Outcome.WAITLISTED
            results.append(Result(outcome, made))
            kind = emails.CONFIRMED if outcome == Outcome.CONFIRMED else emails.WAITLISTED
            if notify:
                emails.send_rsvp_notice.enqueue(made.pk, kind)
        _make_known(current, person, first_name, last_name, language)
    return results


def _resent_lately(event: Event, key: str, now: datetime.datetime) -> bool:
    """Whether this address was emailed an RSVP's details again for the event lately."""
    return RSVP.objects.filter(
        event=event, email_normalized=key, resent_at__gt=now - RESEND_INTERVAL
    ).exists()


def _make_known(
    event: Event, person: Person, first_name: str, last_name: str, language: str
) -> None:
    """Link the person to each hosting organization, by name only: whoever typed the
    address may not own it, so contact details and consent wait for confirm_email."""
    for organization in event.organizations:
        people_actions.link(
            person,
            organization,
            source=source_of(event),
            first_name=first_name,
            last_name=last_name,
            language=language,
        )


def confirm_email(rsvp: RSVP) -> bool:
    """The person confirmed their address from the RSVP's emailed link: each hosting
    organization whose box they ticked gets their consent and contact details. The
    consent counts from when they ticked it (the RSVP's time), so an unsubscribe made
    since wins. False if it was confirmed already (or the RSVP was erased)."""
    with transaction.atomic():
        locked = RSVP.objects.select_for_update().select_related("event").get(pk=rsvp.pk)
        if (
            locked.email_confirmed_at is not None
            or locked.anonymized_at is not None
            or not locked.email
        ):
            return False
        event = locked.event
        source = source_of(event)
        agreed = {o.pk: o for o in event.organizations if o.pk in set(locked.consents)}
        if agreed:
            person = people_actions.record_person(
                email=locked.email,
                first_name=locked.first_name,
                last_name=locked.last_name,
                language=locked.language,
            )
            for organization in agreed.values():
                people_actions.link(
                    person,
                    organization,
                    source=source,
                    first_name=locked.first_name,
                    last_name=locked.last_name,
                    email=locked.email,
                    phone=locked.phone,
                    language=locked.language,
                )
                people_actions.grant_consent(
                    person, organization, source=source, given_at=locked.created_at
                )
        locked.email_confirmed_at = timezone.now()
        locked.save(update_fields=["email_confirmed_at", "updated_at"])
    rsvp.refresh_from_db()
    return True


def cancel_rsvp(rsvp: RSVP) -> bool:
    """Cancel an RSVP (from its emailed link, or by an organizer); a freed seat goes to
    the waitlist at once. False if it was cancelled already."""
    with transaction.atomic():
        shift = Shift.objects.select_for_update().select_related("event").get(pk=rsvp.shift_id)
        locked = RSVP.objects.select_for_update().get(pk=rsvp.pk)
        if locked.status == RSVP.Status.CANCELLED:
            return False
        locked.status = RSVP.Status.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["status", "cancelled_at", "updated_at"])
        if not shift.event.is_cancelled:
            _promote(shift)
    rsvp.refresh_from_db()
    return True


def _promote(shift: Shift) -> list[RSVP]:
    """Give free seats to the waitlist, oldest first; a party too big for the seats
    left waits while smaller ones behind it are seated. The shift must be locked."""
    if shift.starts_at <= timezone.now():
        return []
    waiting = list(shift.rsvps.filter(status=RSVP.Status.WAITLISTED).order_by("created_at", "pk"))
    if not waiting:
        return []
    free = None if shift.capacity is None else shift.capacity - shift.taken_seats()
    promoted = []
    now = timezone.now()
    for candidate in waiting:
        if free is not None and candidate.seats > free:
            continue
        candidate.status = RSVP.Status.CONFIRMED
        candidate.promoted_at = now
        candidate.save(update_fields=["status", "promoted_at", "updated_at"])
        if free is not None:
            free -= candidate.seats
        promoted.append(candidate)
        if candidate.email:
            emails.send_rsvp_notice.enqueue(candidate.pk, emails.PROMOTED)
    return promoted


# --- Check-in ------------------------------------------------------------------------------


def check_in(rsvp: RSVP, *, at: datetime.datetime | None = None) -> bool:
    """Record that the person came. Someone on the waitlist who came takes their seat.
    False if they were checked in already."""
    with transaction.atomic():
        locked = RSVP.objects.select_for_update().get(pk=rsvp.pk)
        if locked.attendance == RSVP.Attendance.ATTENDED:
            return False
        locked.before_check_in = {"status": locked.status, "attendance": locked.attendance}
        locked.attendance = RSVP.Attendance.ATTENDED
        locked.checked_in_at = at or timezone.now()
        locked.status = RSVP.Status.CONFIRMED
        locked.save(
            update_fields=[
                "attendance",
                "checked_in_at",
                "status",
                "before_check_in",
                "updated_at",
            ]
        )
    rsvp.refresh_from_db()
    return True


def undo_check_in(rsvp: RSVP) -> bool:
    """Take back a check-in made by mistake: the RSVP returns to exactly what it was
    (a waitlist place stays a waitlist place, a no-show marked later stays a no-show).
    False if it was not checked in."""
    with transaction.atomic():
        locked = RSVP.objects.select_for_update().get(pk=rsvp.pk)
        if locked.attendance != RSVP.Attendance.ATTENDED:
            return False
        before = locked.before_check_in or {}
        locked.status = before.get("status", locked.status)
        locked.attendance = before.get("attendance", RSVP.Attendance.UNKNOWN)
        locked.checked_in_at = None
        locked.before_check_in = None
        locked.save(
            update_fields=[
                "attendance",
                "checked_in_at",
                "status",
                "before_check_in",
                "updated_at",
            ]
        )
    rsvp.refresh_from_db()
    return True


def add_walk_in(
    shift: Shift,
    *,
    organization: Organization,
    first_name: str,
    last_name: str = "",
    email: str = "",
    phone: str = "",
    consent: bool = False,
    at: datetime.datetime | None = None,
) -> RSVP:
    """Someone who came without an RSVP: recorded as attended (seats do not limit who
    is in the room). With an email address or phone number they become known to the
    organization checking them in, which typed what it holds; consent only as stated.
    Someone who had RSVPed to the shift is checked in on that RSVP instead."""
    at = at or timezone.now()
    key = normalize_email(email) if email else ""
    with transaction.atomic():
        Shift.objects.select_for_update().get(pk=shift.pk)
        if key:
            existing = shift.rsvps.active().filter(email_normalized=key).first()
            if existing is not None:
                check_in(existing, at=at)
                return existing
        person = None
        if email or phone:
            person = people_actions.record_person(
                email=email,
                phone=phone,
                first_name=first_name,
                last_name=last_name,
                organization=organization,
            )
            people_actions.link(
                person,
                organization,
                source=source_of(shift.event),
                first_name=first_name,
                last_name=last_name,
                email=email,
                phone=phone,
            )
            if consent:
                people_actions.grant_consent(
                    person, organization, source=source_of(shift.event), claimed=True
                )
        return RSVP.objects.create(
            shift=shift,
            event_id=shift.event_id,
            person=person,
            first_name=first_name,
            last_name=last_name,
            email=email.strip(),
            email_normalized=key,
            phone=phone.strip(),
            status=RSVP.Status.CONFIRMED,
            attendance=RSVP.Attendance.ATTENDED,
            checked_in_at=at,
            consents=[organization.pk] if consent else [],
            source=RSVP.WALK_IN,
            recorded_by=organization,
            created_at=at,
        )


def mark_no_shows(event: Event, *, now: datetime.datetime | None = None) -> int:
    """After a shift ends, everyone with a seat who was not checked in did not come."""
    now = now or timezone.now()
    return RSVP.objects.filter(
        event=event,
        shift__ends_at__lte=now,
        status=RSVP.Status.CONFIRMED,
        attendance=RSVP.Attendance.UNKNOWN,
    ).update(attendance=RSVP.Attendance.NO_SHOW, updated_at=now)


# --- Volunteer-hosted events ---------------------------------------------------------------


def propose_event(
    campaign: Campaign,
    *,
    name: str,
    email: str,
    shift: dict[str, Any],
    language: str = "en",
    ip_address: str | None = None,
    **fields: Any,
) -> Event:
    """A supporter proposes an event under a campaign; it waits for the approval of the
    campaign owner's organizers, who are told by email (at most PROPOSAL_NOTICES_PER_DAY
    proposals from one address a day). The proposer becomes known to the owner by name
    only: their address, typed without consent, stays on the event, for the decision."""
    first, _sep, last = name.strip().partition(" ")
    since = timezone.now() - datetime.timedelta(days=1)
    with transaction.atomic():
        person = people_actions.record_person(
            email=email, first_name=first, last_name=last, language=language
        )
        recent = Event.objects.filter(proposed_by=person, created_at__gte=since).count()
        event = Event.objects.create(
            owner=campaign.owner,
            campaign=campaign,
            approval=Event.Approval.PENDING,
            proposed_by=person,
            proposer_name=name.strip(),
            proposer_email=email.strip(),
            proposer_ip=ip_address,
            created_by=None,
            **fields,
        )
        Shift.objects.create(event=event, **shift)
        people_actions.link(
            person,
            campaign.owner,
            source=f"event-proposal:{event.pk}",
            first_name=first,
            last_name=last,
            language=language,
        )
        if recent < PROPOSAL_NOTICES_PER_DAY:
            emails.queue_proposal_notice(event)
    return event


def decide_proposal(event: Event, *, approve: bool) -> bool:
    """Approve (publish) or reject a proposed event; the proposer is told. False if it
    was decided already."""
    wanted = Event.Approval.APPROVED if approve else Event.Approval.REJECTED
    with transaction.atomic():
        changed = Event.objects.filter(pk=event.pk, approval=Event.Approval.PENDING).update(
            approval=wanted, updated_at=timezone.now()
        )
        if changed:
            emails.send_proposal_decision.enqueue(event.pk)
    event.refresh_from_db()
    return changed == 1
