"""Volunteers: an organization's volunteer form, the sign-ups it receives and the
follow-up pipeline (new → contacted → active → inactive) that confirmed sign-ups join.

A sign-up (`Signup`) is what someone sent; it reaches the pipeline only once its email
address is confirmed, as a `Volunteer` (one per person per organization). Until then
organizers see only how many are waiting: anyone can type anyone's address into a form.
"""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from groundswell.campaigns.models import Campaign
from groundswell.districts.located import Located, unlocated_index
from groundswell.organizations.models import Organization
from groundswell.people.models import Person

DEFAULT_REMINDER_DAYS = 3


class Stage(models.TextChoices):
    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")


class Availability(models.TextChoices):
    WEEKDAYS = "weekdays", _("Weekdays")
    EVENINGS = "evenings", _("Weekday evenings")
    WEEKENDS = "weekends", _("Weekends")


class ReachBy(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message")


# The languages Chicago's organizations most often need (DESIGN.md), by code.
LANGUAGES = (
    ("en", _("English")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
    ("ko", _("Korean")),
    ("zh", _("Chinese")),
    ("pl", _("Polish")),
)


class VolunteerForm(models.Model):
    """An organization's volunteer form settings. Without a row the form is open with
    the defaults, so every organization page can link to it."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="volunteer_form"
    )
    is_open = models.BooleanField(_("taking sign-ups"), default=True)
    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Shown above the form: what volunteers do with you."),
    )
    intro_es = models.TextField(_("introduction in Spanish"), blank=True)
    reminder_days = models.PositiveSmallIntegerField(
        _("remind after this many days"),
        default=DEFAULT_REMINDER_DAYS,
        help_text=_(
            "Volunteers still “new” after this many days are emailed to whoever is "
            "assigned to them (or to the organization's contact address), once a day."
        ),
    )

    def __str__(self) -> str:
        return f"volunteer form of {self.organization_id}"

    @classmethod
    def for_organization(cls, organization: Organization) -> VolunteerForm:
        """The saved settings, or the defaults (unsaved) when there are none."""
        found = cls.objects.filter(organization=organization).first()
        return found or cls(organization=organization)

    @property
    def display_intro(self) -> str:
        if translation.get_language() == "es" and self.intro_es:
            return self.intro_es
        return self.intro


class InterestQuerySet(models.QuerySet["Interest"]):
    def offered(self) -> InterestQuerySet:
        """The interests the public form shows (archived ones keep their volunteers)."""
        return self.filter(archived=False)


class Interest(models.Model):
    """One of the organization's own kinds of volunteer work ("court support")."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="volunteer_interests"
    )
    name = models.CharField(_("name"), max_length=100)
    name_es = models.CharField(_("name in Spanish"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    archived = models.BooleanField(default=False)

    objects: ClassVar[InterestQuerySet] = InterestQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="volunteer_interest_once")
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if translation.get_language() == "es" and self.name_es:
            return self.name_es
        return self.name


class VolunteerDetails(models.Model):
    """What a volunteer tells the organization: shared by a sign-up and the pipeline."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)  # E.164
    reach_by = models.CharField(
        _("preferred way to reach"), max_length=10, choices=ReachBy.choices, default="email"
    )
    skills = models.TextField(_("skills"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    other_languages = models.CharField(_("other languages"), max_length=200, blank=True)
    availability = models.JSONField(_("availability"), default=list, blank=True)
    availability_note = models.CharField(_("availability notes"), max_length=300, blank=True)
    neighborhood = models.CharField(_("neighborhood"), max_length=100, blank=True)
    ward = models.PositiveSmallIntegerField(_("ward"), null=True, blank=True)

    DETAIL_FIELDS: ClassVar[tuple[str, ...]] = (
        "first_name",
        "last_name",
        "email",
        "phone",
        "reach_by",
        "skills",
        "languages",
        "other_languages",
        "availability",
        "availability_note",
        "neighborhood",
        "ward",
    )

    class Meta:
        abstract = True

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def language_names(self) -> list[str]:
        names = dict(LANGUAGES)
        listed = [str(names[code]) for code in self.languages if code in names]
        return [*listed, self.other_languages] if self.other_languages else listed

    def availability_names(self) -> list[str]:
        return [str(Availability(v).label) for v in self.availability if v in Availability]


class SignupQuerySet(models.QuerySet["Signup"]):
    def confirmed(self) -> SignupQuerySet:
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed(self) -> SignupQuerySet:
        return self.filter(confirmed_at__isnull=True, erased_at__isnull=True)


class Signup(VolunteerDetails):
    """One sending of the volunteer form. Confirmed by email, it joins the pipeline."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="volunteer_signups"
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    email_normalized = models.CharField(max_length=254, blank=True)
    interests = models.ManyToManyField(Interest, blank=True, related_name="+")
    consent = models.BooleanField(default=False)  # ticked: the organization may email them
    language = models.CharField(max_length=10, default="en")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmation_sends = models.PositiveSmallIntegerField(default=1)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    volunteer = models.ForeignKey(
        "Volunteer", on_delete=models.SET_NULL, null=True, blank=True, related_name="signups"
    )
    erased_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[SignupQuerySet] = SignupQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "email_normalized"], name="signup_email"),
            models.Index(fields=["organization", "ip_address", "created_at"], name="signup_ip"),
        ]

    def __str__(self) -> str:
        return f"volunteer sign-up {self.pk} at {self.organization_id}"


class VolunteerQuerySet(models.QuerySet["Volunteer"]):
    def of(self, organization: Organization) -> VolunteerQuerySet:
        """The organization's pipeline: its confirmed volunteers, erased ones left out."""
        return self.filter(organization=organization, erased_at__isnull=True)

    def overdue(self, days: int, now: datetime.datetime | None = None) -> VolunteerQuerySet:
        """Still "new" after `days` days in that stage."""
        since = (now or timezone.now()) - datetime.timedelta(days=days)
        return self.filter(erased_at__isnull=True, stage=Stage.NEW, stage_changed_at__lte=since)


class Volunteer(VolunteerDetails, Located):
    """A confirmed volunteer in one organization's follow-up pipeline."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="volunteers"
    )
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    interests = models.ManyToManyField(Interest, blank=True, related_name="volunteers")
    stage = models.CharField(
        _("stage"), max_length=10, choices=Stage.choices, default=Stage.NEW, db_index=True
    )
    stage_changed_at = models.DateTimeField(default=timezone.now)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    signed_up_at = models.DateTimeField(default=timezone.now)
    erased_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[VolunteerQuerySet] = VolunteerQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-signed_up_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "person"],
                condition=Q(person__isnull=False),
                name="volunteer_once_per_organization",
            )
        ]
        indexes = [
            models.Index(fields=["organization", "stage"], name="volunteer_stage"),
            unlocated_index("volunteer_unlocated"),
        ]

    def __str__(self) -> str:
        return self.full_name or f"volunteer {self.pk}"


class PipelineChange(models.Model):
    """The pipeline's history: sign-ups, stage moves, assignments and notes."""

    class Kind(models.TextChoices):
        SIGNED_UP = "signed_up", _("Signed up")
        STAGE = "stage", _("Stage changed")
        ASSIGNED = "assigned", _("Assigned")
        NOTE = "note", _("Note")

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    from_stage = models.CharField(max_length=10, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=10, choices=Stage.choices, blank=True)
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} on {self.volunteer_id}"


class Reminder(models.Model):
    """That a recipient got an organization's "still new" reminder on a day: the claim
    that makes the daily reminder idempotent across workers and reruns."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    recipient = models.EmailField()
    day = models.DateField()
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    volunteer_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "recipient", "day"], name="volunteer_reminder_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"reminder to {self.recipient} on {self.day}"
