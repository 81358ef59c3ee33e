"""Door-to-door canvassing: a canvass, its doors, turfs, scripts and the visit log.

A Canvass belongs to one organization (and may serve one of its campaigns). Its
universe is a set of Doors: one door per household, an apartment being a unit of its
building (`building` is the normalized street address without the unit, so turf
cutting keeps a building whole). Each door has its point and ward (and precinct) from
groundswell.districts. Turfs group doors; a Canvasser holds a short code scoped to one
turf (or, as a precinct captain, a precinct to watch), revocable.

Visits are APPEND-ONLY: a phone sends each visit with a UUID it made (`client_id`),
unique per canvass, so the same visit sent a hundred times is one row. Two canvassers at
one household both keep their visits; an attribute they disagree on goes to the
Conflict queue, never silently overwritten. DoNotKnock addresses are left out of every
universe, turf download and walk sheet.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from groundswell.campaigns.models import Campaign
from groundswell.districts.models import District
from groundswell.organizations.models import Organization
from groundswell.people.models import Person


class Result(models.TextChoices):
    """What happened at a door."""

    CONTACTED = "contacted", pgettext_lazy("canvass result", "Talked")
    NOT_HOME = "not_home", pgettext_lazy("canvass result", "Not home")
    REFUSED = "refused", pgettext_lazy("canvass result", "Refused")
    MOVED = "moved", pgettext_lazy("canvass result", "Moved")
    INACCESSIBLE = "inaccessible", pgettext_lazy("canvass result", "Inaccessible")
    DECEASED = "deceased", pgettext_lazy("canvass result", "Deceased")
    COME_BACK = "come_back", pgettext_lazy("canvass result", "Come back")
    LANGUAGE_BARRIER = "language_barrier", pgettext_lazy("canvass result", "Language barrier")
    DO_NOT_CONTACT = "do_not_contact", pgettext_lazy("canvass result", "Do not contact")


class CanvassQuerySet(models.QuerySet["Canvass"]):
    def owned_by(self, organization: Organization) -> CanvassQuerySet:
        return self.filter(organization=organization)


class Canvass(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="canvasses"
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="canvasses",
        verbose_name=_("campaign"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[CanvassQuerySet] = CanvassQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("canvass")
        verbose_name_plural = _("canvasses")
        constraints = [
            models.UniqueConstraint(fields=["organization", "slug"], name="canvass_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """One survey question of a canvass's script, in its order."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("One choice")
        MULTIPLE = "multiple", _("Several choices")
        TEXT = "text", _("Text")
        SCALE = "scale", _("Scale of 1 to 5")

    canvass = models.ForeignKey(Canvass, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=500)
    choices = models.JSONField(_("choices"), default=list, blank=True)

    class Meta:
        ordering = ["canvass", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class Turf(models.Model):
    """Doors walked together, all in one ward."""

    canvass = models.ForeignKey(Canvass, on_delete=models.CASCADE, related_name="turfs")
    number = models.PositiveIntegerField()
    name = models.CharField(_("name"), max_length=200)
    ward = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["canvass", "number"]
        constraints = [
            models.UniqueConstraint(fields=["canvass", "number"], name="turf_number"),
        ]

    def __str__(self) -> str:
        return self.name


class Door(models.Model):
    """One household of the universe: a house, or a unit of a building."""

    canvass = models.ForeignKey(Canvass, on_delete=models.CASCADE, related_name="doors")
    turf = models.ForeignKey(
        Turf, on_delete=models.SET_NULL, null=True, blank=True, related_name="doors"
    )
    # The normalized street address without the unit: one building, never split.
    building = models.CharField(max_length=255)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=255)
    street = models.CharField(max_length=200, blank=True)
    house_number = models.PositiveIntegerField(null=True, blank=True)
    lat = models.FloatField()
    lon = models.FloatField()
    ward = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    precinct = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    walk_order = models.PositiveIntegerField(default=0)
    # A short code printed on the walk sheet to key the result in later.
    code = models.CharField(max_length=12)
    # Household attributes canvassers may report; a disagreement goes to Conflict.
    attributes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["turf", "walk_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["canvass", "building", "unit"], name="door_household"),
            models.UniqueConstraint(fields=["canvass", "code"], name="door_code"),
        ]
        indexes = [models.Index(fields=["canvass", "ward"], name="door_ward")]

    def __str__(self) -> str:
        return f"{self.address} {self.unit}".strip()

    @property
    def side(self) -> str:
        """The side of the street: house numbers of one parity face each other."""
        if self.house_number is None:
            return ""
        return "odd" if self.house_number % 2 else "even"


class Resident(models.Model):
    """A person of the universe living at a door."""

    door = models.ForeignKey(Door, on_delete=models.CASCADE, related_name="residents")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["door", "person"], name="resident_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} at {self.door_id}"


class Canvasser(models.Model):
    """Someone an organizer gave a short code: a canvasser scoped to one turf, or a
    precinct captain who sees their precinct's completion. The code itself is never
    stored, only its keyed hash (groundswell.canvass.access)."""

    class Role(models.TextChoices):
        CANVASSER = "canvasser", _("Canvasser")
        CAPTAIN = "captain", _("Precinct captain")

    canvass = models.ForeignKey(Canvass, on_delete=models.CASCADE, related_name="canvassers")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.CANVASSER)
    # Cutting again removes the turfs; their (revoked) canvassers stay, with their visits.
    turf = models.ForeignKey(
        Turf, on_delete=models.SET_NULL, null=True, blank=True, related_name="canvassers"
    )
    precinct = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["canvass", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class Visit(models.Model):
    """One knock, as recorded on a phone (or keyed from a walk sheet). Never updated
    and never deleted except with the canvass."""

    class Source(models.TextChoices):
        PHONE = "phone", _("Phone")
        PAPER = "paper", _("Walk sheet")

    canvass = models.ForeignKey(Canvass, on_delete=models.CASCADE, related_name="visits")
    door = models.ForeignKey(Door, on_delete=models.CASCADE, related_name="visits")
    canvasser = models.ForeignKey(
        Canvasser, on_delete=models.SET_NULL, null=True, blank=True, related_name="visits"
    )
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    client_id = models.UUIDField(default=uuid.uuid4)
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    answers = models.JSONField(default=dict, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.PHONE)
    visited_at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["visited_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["canvass", "client_id"], name="visit_once"),
        ]
        indexes = [models.Index(fields=["door", "visited_at"], name="visit_door")]

    def __str__(self) -> str:
        return f"{self.door_id} {self.result}"


class Conflict(models.Model):
    """Two visits disagree on a household attribute: both values wait here for an
    organizer; the door keeps the first until one is chosen."""

    door = models.ForeignKey(Door, on_delete=models.CASCADE, related_name="conflicts")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="conflicts")
    field = models.CharField(max_length=40)
    kept = models.CharField(max_length=300)
    proposed = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # A replayed visit raises its conflicts once.
            models.UniqueConstraint(fields=["visit", "field"], name="conflict_once"),
        ]

    def __str__(self) -> str:
        return f"{self.field}: {self.kept} / {self.proposed}"


class DoNotKnock(models.Model):
    """An address (a building, or one unit of it) an organization never knocks on."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    building = models.CharField(max_length=255)
    unit = models.CharField(max_length=40, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "building", "unit"], name="do_not_knock_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.building} {self.unit}".strip()


class AddressList(models.Model):
    """An uploaded list of addresses for a canvass's universe (CSV: address, unit and,
    optionally, name, phone, city, state, zip). The rows wait here until the worker
    locates them (tasks.locate_address_list); what could not be read or located is
    kept as (line, problem) for the organizer."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting to be located")
        LOCATING = "locating", _("Being located")
        DONE = "done", _("Done")

    canvass = models.ForeignKey(Canvass, on_delete=models.CASCADE, related_name="address_lists")
    name = models.CharField(max_length=200)
    rows = models.JSONField(default=list)  # [line, address, unit, name, phone, city, state, zip]
    problems = models.JSONField(default=list)  # [line, message]
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    doors_added = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name
