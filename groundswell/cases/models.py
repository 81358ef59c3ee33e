"""Advocacy cases: a person in trouble (a medical emergency in prison, a torture claim, a
wrongful conviction) whom an organization's advocates help, kept in confidence.

Who sees a case is one rule, here: `Case.objects.visible_to(membership)` (the cases a
staff member may find at all: those they are assigned to, and all of the organization's
for its case managers) and `readable_by(membership)` (those whose contents they may open:
their own, the unassigned ones a case manager triages, and those a case manager opened
by breaking the glass, with a reason, for a while). Every view, export and search asks
them; nothing about a case is registered with people's timeline, export or search.

The confidential fields (`SEALED_FIELDS`, and every note) are stored encrypted with the
case's own data key (groundswell/cases/crypto.py). Every read and write of a case is an
`AuditEntry`, which nothing updates or deletes (a trigger refuses it on PostgreSQL).
"""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groundswell.organizations.models import Membership, Organization
from groundswell.people.models import Person

# The fields stored encrypted with the case's data key (read through cases.vault).
SEALED_FIELDS = ("client_name", "requester", "description", "medical_details", "legal_notes")
BREAK_GLASS_HOURS = 8  # how long a case manager's break-glass opening of a case lasts


class Urgency(models.IntegerChoices):
    ROUTINE = 1, _("Routine")
    URGENT = 2, _("Urgent")
    EMERGENCY = 3, _("Emergency")


class CaseManager(models.Model):
    """A staff member who triages all of the organization's cases (an owner names them)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="case_managers"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="case_manager_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} manages cases at {self.organization}"


def is_case_manager(membership: Membership) -> bool:
    return CaseManager.objects.filter(
        organization_id=membership.organization_id, user_id=membership.user_id
    ).exists()


class CaseType(models.Model):
    """A kind of case an organization takes on, with its statuses and planned activities."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="case_types"
    )
    slug = models.SlugField(max_length=60)
    name = models.CharField(_("name"), max_length=100)
    # A case of this type starts the emergency clock (CASES_EMERGENCY_SLA_MINUTES).
    emergency = models.BooleanField(_("emergency"), default=False)
    # Offered on the public "request help" form.
    public = models.BooleanField(_("offered on the public request form"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "slug"], name="case_type_slug_once")
        ]

    def __str__(self) -> str:
        return self.name

    def first_status(self) -> CaseStatus:
        return self.statuses.filter(closes=False).order_by("order", "pk").first() or (
            self.statuses.order_by("order", "pk").first()  # type: ignore[return-value]
        )

    def closing_status(self) -> CaseStatus | None:
        return self.statuses.filter(closes=True).order_by("order", "pk").first()


class CaseStatus(models.Model):
    case_type = models.ForeignKey(CaseType, on_delete=models.CASCADE, related_name="statuses")
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(default=0)
    closes = models.BooleanField(_("closes the case"), default=False)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class ActivityType(models.Model):
    """A kind of activity on cases of a type ("visit", "call to the facility", "court
    date"), chosen when an activity is added."""

    case_type = models.ForeignKey(CaseType, on_delete=models.CASCADE, related_name="activity_types")
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class PlannedActivity(models.Model):
    """An activity every case of a type plans, due some hours after its reference date
    ("follow up with the facility within 24 hours")."""

    case_type = models.ForeignKey(CaseType, on_delete=models.CASCADE, related_name="planned")
    title = models.CharField(_("title"), max_length=200)
    offset_hours = models.IntegerField(_("hours after the reference date"), default=0)

    class Meta:
        ordering = ["offset_hours", "pk"]

    def __str__(self) -> str:
        return self.title


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, membership: Membership) -> CaseQuerySet:
        """The cases this staff member may find at all (lists, search, exports): those
        they are assigned to; every case of the organization for its case managers.
        Nobody else, whatever their role, sees any."""
        mine = self.filter(organization_id=membership.organization_id)
        if is_case_manager(membership):
            return mine
        return mine.filter(Exists(_assigned(membership)))

    def readable_by(self, membership: Membership) -> CaseQuerySet:
        """The cases whose contents this staff member may open: their own; for a case
        manager also those nobody is assigned to yet (triage) and those they opened by
        breaking the glass, while that lasts."""
        mine = self.filter(organization_id=membership.organization_id)
        assigned = Exists(_assigned(membership))
        if not is_case_manager(membership):
            return mine.filter(assigned)
        nobody = ~Exists(CaseRole.objects.filter(case=OuterRef("pk"), user__isnull=False))
        glass = Exists(
            BreakGlass.objects.filter(
                case=OuterRef("pk"), user_id=membership.user_id, until__gt=timezone.now()
            )
        )
        return mine.filter(assigned | nobody | glass)

    def open(self) -> CaseQuerySet:
        return self.filter(closed_at__isnull=True)

    def triage_order(self) -> CaseQuerySet:
        return self.order_by("-urgency", "opened_at", "pk")

    def overdue_emergencies(self, now: datetime.datetime) -> CaseQuerySet:
        """Emergencies whose clock ran out with nobody acting, not escalated yet."""
        return self.filter(
            sla_due_at__lte=now, acted_at__isnull=True, escalated_at__isnull=True
        ).open()


def _assigned(membership: Membership) -> models.QuerySet[CaseRole]:
    return CaseRole.objects.filter(case=OuterRef("pk"), user_id=membership.user_id)


class Case(models.Model):
    class Source(models.TextChoices):
        INTAKE = "intake", _("Organizer intake")
        REQUEST = "request", _("Public request")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="cases")
    case_type = models.ForeignKey(
        CaseType, on_delete=models.PROTECT, related_name="cases", verbose_name=_("type")
    )
    status = models.ForeignKey(
        CaseStatus, on_delete=models.PROTECT, related_name="+", verbose_name=_("status")
    )
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), choices=Urgency.choices, default=Urgency.ROUTINE
    )
    # The person helped: their name (sealed), and their record in the people registry
    # when they can be reached (an address or a phone number: not in prison). An erased
    # person leaves the case without a record.
    client_name = models.TextField(blank=True)
    # Who asked for help on the public form, as they typed it (sealed). The case page
    # shows this, never the shared people record, which other organizations filled.
    requester = models.TextField(blank=True)
    client = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    facility = models.CharField(_("facility"), max_length=200, blank=True)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=200, blank=True)
    idoc_number = models.CharField(_("IDOC number"), max_length=30, blank=True)
    tirc_number = models.CharField(_("TIRC claim number"), max_length=30, blank=True)
    reference_date = models.DateField(_("reference date"), default=datetime.date.today)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.INTAKE)
    # Sealed (crypto.PREFIX + base64): read and written only through cases.vault.
    description = models.TextField(blank=True)
    medical_details = models.TextField(blank=True)
    legal_notes = models.TextField(blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The emergency clock: due when opened, stopped by the first staff action.
    sla_due_at = models.DateTimeField(null=True, blank=True)
    acted_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The campaign that supports this case. A public link counts the case in the
    # campaign page's figures (cases.campaign_section: never fewer than a group's
    # minimum, never anything about the case itself); a private one is for the staff.
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("support campaign"),
    )
    campaign_public = models.BooleanField(_("counted on the campaign's page"), default=False)

    objects: ClassVar[CaseQuerySet] = CaseQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["sla_due_at"], name="case_sla_due")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.case_type}"

    def get_absolute_url(self) -> str:
        return reverse("cases_manage:detail", args=[self.organization.slug, self.pk])

    @property
    def reference(self) -> str:
        return f"#{self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class CaseKey(models.Model):
    """A case's data key, wrapped by one of CASES_KEYS (named by its fingerprint).
    Deleted with its case: that is what makes the case's ciphertext unreadable."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="key")
    fingerprint = models.CharField(max_length=16)
    wrapped = models.BinaryField()

    def __str__(self) -> str:
        return f"key of case {self.case_id} ({self.fingerprint})"


class RoleKind(models.TextChoices):
    ADVOCATE = "advocate", _("Advocate")
    FAMILY = "family", _("Family contact")
    ATTORNEY = "attorney", _("Attorney")
    COMMITTEE = "committee", _("Support committee")


class CaseRole(models.Model):
    """Someone with a part in a case: a staff member (assigned: they see it) or a person
    (a family contact, an attorney outside the staff: they see nothing here)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(_("role"), max_length=12, choices=RoleKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=True, person__isnull=False)
                | Q(user__isnull=False, person__isnull=True),
                name="case_role_user_or_person",
            ),
            models.UniqueConstraint(fields=["case", "kind", "user"], name="case_role_user_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of case {self.case_id}"


class Activity(models.Model):
    """Something to do for a case (planned from its type, or added), and when it was done."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="activities")
    activity_type = models.ForeignKey(
        ActivityType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kind"),
    )
    title = models.CharField(_("title"), max_length=200)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["done_at", "due_at", "pk"]
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.title


class Note(models.Model):
    """An advocate's note on a case; its body is sealed with the case's data key."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    body = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"note {self.pk} on case {self.case_id}"


class Document(models.Model):
    """A file about a case (a medical record, a grievance, a court filing), stored
    encrypted with the case's data key under PRIVATE_ROOT/cases/ (cases.documents);
    its file name is sealed too. Served only through the case's access check."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    name = models.TextField()  # sealed
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    stored_as = models.CharField(max_length=80, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"document {self.pk} of case {self.case_id}"


class BreakGlass(models.Model):
    """A case manager opened a case they are not assigned to, saying why; listed to the
    organization's owners. It opens the case to them for BREAK_GLASS_HOURS."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="break_glass")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("reason"))
    at = models.DateTimeField(default=timezone.now)
    until = models.DateTimeField()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"case {self.case_id} opened by {self.user_id} at {self.at:%Y-%m-%d %H:%M}"


ACTION_LABELS = {
    "create": _("opened the case"),
    "read": _("read the case"),
    "update": _("changed"),
    "assign": _("assigned"),
    "unassign": _("unassigned"),
    "note": _("added a note"),
    "document": _("added a document"),
    "document_read": _("opened a document"),
    "status": _("changed the status"),
    "close": _("closed the case"),
    "activity_done": _("did an activity"),
    "activity_added": _("added an activity"),
    "break_glass": _("broke the glass"),
    "escalated": _("escalated (nobody acted in time)"),
    "delete": _("deleted the case"),
    "export": _("exported cases"),
    "manager_added": _("named a case manager"),
    "manager_removed": _("removed a case manager"),
    "campaign": _("linked a support campaign"),
    "type_saved": _("changed a case type"),
}


class AuditEntry(models.Model):
    """One read or write of a case, by whom; never updated or deleted (on PostgreSQL a
    trigger refuses it). It names the case and the organization by number, so that
    deleting either leaves the log whole. It says which fields changed, never values."""

    organization_id = models.BigIntegerField(db_index=True)
    case_id = models.BigIntegerField(null=True, db_index=True)
    user_id = models.BigIntegerField(null=True)
    who = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=30)
    detail = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.who} {self.action} case {self.case_id}"

    @property
    def label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))
