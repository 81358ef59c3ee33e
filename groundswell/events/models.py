"""Events: gatherings in person or online, each with one or more shifts people RSVP to.

An RSVP holds a seat on one shift (plus its guests); a full shift puts new RSVPs on its
waitlist, and a freed seat promotes from it (events.actions). Events are hosted by an
owner organization and optional co-hosts, may belong to a campaign, and may be proposed
by a supporter and approved by the owner's organizers.
"""

from __future__ import annotations

import datetime
import secrets
import zoneinfo
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from groundswell.campaigns.models import Campaign
from groundswell.districts.located import Located, unlocated_index
from groundswell.organizations.models import Organization
from groundswell.people.models import Person

WARDS = 50  # Chicago's wards, numbered 1 to 50


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone, like America/Chicago."), params={"value": value}
        )


def default_time_zone() -> str:
    return str(settings.TIME_ZONE)


def new_key() -> str:
    return secrets.token_urlsafe(12)


def new_link_key() -> str:
    """The unguessable part of an unlisted event's link (its id alone is guessable)."""
    return secrets.token_urlsafe(16)


class EventQuerySet(models.QuerySet["Event"]):
    def published(self) -> EventQuerySet:
        """Events whose page anyone with the link may open: approved, not private."""
        return self.filter(approval=Event.Approval.APPROVED).exclude(
            visibility=Event.Visibility.PRIVATE
        )

    def listed(self) -> EventQuerySet:
        """Events on the public calendar: published and public (not unlisted)."""
        return self.published().filter(visibility=Event.Visibility.PUBLIC)

    def involving(self, organization: Organization) -> EventQuerySet:
        """Events the organization owns or co-hosts."""
        return self.filter(Q(owner=organization) | Q(hosts=organization)).distinct()

    def upcoming(self, now: datetime.datetime | None = None) -> EventQuerySet:
        """Events with a shift that has not ended yet."""
        return self.filter(shifts__ends_at__gt=now or timezone.now()).distinct()


class Event(models.Model):
    class Kind(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: on the calendar")
        UNLISTED = "unlisted", _("Unlisted: only people with the link")
        PRIVATE = "private", _("Private: only your organizers")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    class Approval(models.TextChoices):
        APPROVED = "approved", _("Approved")
        PENDING = "pending", _("Waiting for approval")
        REJECTED = "rejected", _("Not approved")

    owner = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="events_owned",
        verbose_name=_("organization"),
    )
    hosts = models.ManyToManyField(
        Organization, related_name="events_cohosted", blank=True, verbose_name=_("co-hosts")
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("campaign"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(
        _("where it happens"), max_length=10, choices=Kind.choices, default=Kind.IN_PERSON
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    accessibility = models.TextField(_("accessibility notes"), blank=True)
    neighborhood = models.CharField(_("neighborhood"), max_length=100, blank=True)
    ward = models.PositiveSmallIntegerField(
        _("ward"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(WARDS)],
    )
    online_url = models.URLField(
        _("link to join"),
        blank=True,
        help_text=_("Shown only to people who RSVPed: in their emails, never on the page."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=default_time_zone, validators=[validate_time_zone]
    )
    visibility = models.CharField(
        _("who can see it"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    waitlist = models.BooleanField(
        _("keep a waitlist when a shift is full"),
        default=True,
        help_text=_("Without one, a full shift refuses new RSVPs."),
    )
    approval = models.CharField(max_length=10, choices=Approval.choices, default=Approval.APPROVED)
    # A supporter's proposal (a volunteer-hosted event): who proposed it.
    proposed_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposer_name = models.CharField(max_length=200, blank=True)
    proposer_email = models.EmailField(blank=True)
    # Where the proposal came from: proposals per network per hour are limited.
    proposer_ip = models.GenericIPAddressField(null=True, blank=True)
    # Required in the link of an unlisted event (?key=…), so ids cannot be walked.
    link_key = models.CharField(max_length=32, default=new_link_key, editable=False)
    # Bumped on each change attendees are told of: calendar apps replace older copies.
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[EventQuerySet] = EventQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ward__isnull=True) | Q(ward__gte=1, ward__lte=WARDS),
                name="event_ward_in_chicago",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.public_url("events:detail")

    def public_url(self, name: str) -> str:
        """A public page of the event (detail, rsvp, thanks): an unlisted event's
        carries its key, without which it is not found."""
        url = reverse(name, args=[self.pk])
        if self.visibility == self.Visibility.UNLISTED:
            url = f"{url}?{urlencode({'key': self.link_key})}"
        return url

    def opens_with(self, key: str | None) -> bool:
        """Whether a public link with this key (or none) may open the event."""
        if self.visibility != self.Visibility.UNLISTED:
            return True
        return bool(key) and secrets.compare_digest(str(key).encode(), self.link_key.encode())

    @property
    def is_online(self) -> bool:
        return self.kind == self.Kind.ONLINE

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def organizations(self) -> list[Organization]:
        """The owner, then the co-hosts: the organizations an RSVP makes the person known to."""
        return [self.owner, *self.hosts.exclude(pk=self.owner_id).order_by("name")]

    def first_start(self) -> datetime.datetime | None:
        first = self.shifts.order_by("starts_at").first()
        return first.starts_at if first else None


class ShiftQuerySet(models.QuerySet["Shift"]):
    def on_calendar(self, now: datetime.datetime | None = None) -> ShiftQuerySet:
        """Shifts not yet ended of public, scheduled events, soonest first."""
        events = Event.objects.listed().filter(status=Event.Status.SCHEDULED)
        return self.filter(
            event__in=events.values("pk"), ends_at__gt=now or timezone.now()
        ).order_by("starts_at", "pk")

    def with_figures(self) -> ShiftQuerySet:
        """Each shift annotated with its seats taken, waitlist, attended and no-shows."""
        confirmed = Q(rsvps__status=RSVP.Status.CONFIRMED)
        return self.annotate(
            seats_taken=models.functions.Coalesce(
                Sum(models.F("rsvps__guests") + 1, filter=confirmed), 0
            ),
            confirmed_count=models.Count("rsvps", filter=confirmed),
            waitlisted_count=models.Count("rsvps", filter=Q(rsvps__status=RSVP.Status.WAITLISTED)),
            attended_count=models.Count(
                "rsvps", filter=confirmed & Q(rsvps__attendance=RSVP.Attendance.ATTENDED)
            ),
            no_show_count=models.Count(
                "rsvps", filter=confirmed & Q(rsvps__attendance=RSVP.Attendance.NO_SHOW)
            ),
            walk_in_count=models.Count("rsvps", filter=confirmed & Q(rsvps__source=RSVP.WALK_IN)),
        )


class Shift(models.Model):
    """One time slot of an event, with the seats it has (none: no limit)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )

    objects: ClassVar[ShiftQuerySet] = ShiftQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="shift_capacity_positive",
            ),
        ]
        indexes = [models.Index(fields=["starts_at"], name="shift_starts")]

    def __str__(self) -> str:
        return f"{self.event_id} at {self.starts_at:%Y-%m-%d %H:%M}"

    def taken_seats(self) -> int:
        """Seats held by confirmed RSVPs, guests included (read fresh, for decisions)."""
        taken = self.rsvps.filter(status=RSVP.Status.CONFIRMED).aggregate(
            seats=Sum(models.F("guests") + 1)
        )["seats"]
        return int(taken or 0)

    def has_ended(self, now: datetime.datetime | None = None) -> bool:
        return self.ends_at <= (now or timezone.now())


class RSVPQuerySet(models.QuerySet["RSVP"]):
    def active(self) -> RSVPQuerySet:
        return self.exclude(status=RSVP.Status.CANCELLED)


class RSVP(Located):
    """A person's RSVP to one shift: a confirmed seat (with guests) or a waitlist place.

    Its district (Located) is where its person lives, placed by the worker
    (events.wards); the event's own `ward` is where the event meets."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", _("Cancelled")

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("Not recorded")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not come")

    WEB = "web"
    WALK_IN = "walk-in"

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="rsvps")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="rsvps"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    email_normalized = models.CharField(max_length=254, blank=True)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    guests = models.PositiveSmallIntegerField(_("guests"), default=0)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CONFIRMED)
    attendance = models.CharField(
        max_length=10, choices=Attendance.choices, default=Attendance.UNKNOWN, blank=True
    )
    checked_in_at = models.DateTimeField(null=True, blank=True)
    # What a check-in replaced (status and attendance), so undoing it restores exactly
    # that: a waitlisted person checked in by mistake goes back to the waitlist.
    before_check_in = models.JSONField(null=True, blank=True)
    # The hosting organizations the person agreed to hear from (their ids), as ticked.
    consents = models.JSONField(default=list, blank=True)
    # The organization that typed in a walk-in at its check-in desk: it may see the name
    # even of someone it does not otherwise know (no email address or phone given).
    recorded_by = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(max_length=10, default="en")
    source = models.CharField(max_length=40, default=WEB)
    # Part of the cancellation link; a new key (erasure) makes old links stop working.
    key = models.CharField(max_length=32, default=new_key)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_day_at = models.DateTimeField(null=True, blank=True)
    reminded_soon_at = models.DateTimeField(null=True, blank=True)
    anonymized_at = models.DateTimeField(null=True, blank=True)
    # When the person confirmed their address from the emailed link, which is when the
    # consents they ticked apply; until then the hosts get no contact details.
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    # When the details were last emailed again to someone RSVPing a second time: at most
    # once a day per address and event, however often the form is sent.
    resent_at = models.DateTimeField(null=True, blank=True)
    # Where the RSVP came from: RSVPs per network per hour are limited.
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects: ClassVar[RSVPQuerySet] = RSVPQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        constraints = [
            # One active RSVP per address per shift; walk-ins may come without one.
            models.UniqueConstraint(
                fields=["shift", "email_normalized"],
                condition=~Q(status="cancelled") & ~Q(email_normalized=""),
                name="rsvp_once_per_shift",
            ),
            models.CheckConstraint(condition=Q(guests__lte=20), name="rsvp_guests_at_most_20"),
            models.CheckConstraint(
                condition=~Q(attendance="attended") | Q(checked_in_at__isnull=False),
                name="rsvp_attended_has_check_in",
            ),
        ]
        indexes = [
            models.Index(fields=["shift", "status", "created_at"], name="rsvp_shift_queue"),
            models.Index(fields=["person"], name="rsvp_person"),
            unlocated_index("rsvp_unlocated"),
        ]

    def __str__(self) -> str:
        return f"RSVP {self.pk} to shift {self.shift_id}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def seats(self) -> int:
        return 1 + self.guests

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.CANCELLED
