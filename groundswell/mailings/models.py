"""Mailings: an organization's email to its supporters, the people it went to, and the
addresses that can no longer receive one.

A mailing names its audience by rules (tags, lists and saved searches, actions people
took; with exclusions), not by people: the recipients are fixed when it starts sending
(`Recipient`, one row per person, unique), and each row goes through the outbox once.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groundswell.organizations.models import Organization
from groundswell.people.models import Person


class MailingState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", _("Sending")
    PAUSED = "paused", _("Paused")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


# A mailing whose recipients are being (or have been) mailed.
UNDER_WAY = (MailingState.SENDING, MailingState.PAUSED)


class MailingQuerySet(models.QuerySet["Mailing"]):
    def owned_by(self, organization: Organization) -> MailingQuerySet:
        return self.filter(organization=organization)


class Mailing(models.Model):
    """One email to many of an organization's supporters."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="mailings"
    )
    # The audience: {"tags": [ids], "lists": [ids], "actions": [keys], and the same
    # under "exclude_tags", "exclude_lists", "exclude_actions"} (mailings.audience).
    audience = models.JSONField(default=dict, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), help_text=_("Markdown: *emphasis*, lists, links."))
    # The language the subject and body above are written in.
    language = models.CharField(_("language"), max_length=10, default="en")
    state = models.CharField(
        max_length=20, choices=MailingState.choices, default=MailingState.DRAFT
    )
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Every recipient has its row (they are fixed once, at the start).
    materialized = models.BooleanField(default=False)
    # When the sending last handed recipients to the outbox (the rate's budget).
    fed_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[MailingQuerySet] = MailingQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "send_at"], name="mailing_due")]

    def __str__(self) -> str:
        return self.subject

    @property
    def group(self) -> str:
        """Its emails' group (and key prefix) in the outbox."""
        return f"mailings:{self.pk}"

    @property
    def editable(self) -> bool:
        return self.state == MailingState.DRAFT


class MailingVersion(models.Model):
    """The mailing in another language, sent to people who read that one."""

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mailing", "language"], name="mailing_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.mailing_id} ({self.language})"


class RecipientState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Not sent")
    CANCELLED = "cancelled", _("Cancelled")


class Recipient(models.Model):
    """One person a mailing goes to: queued in the outbox once (`state`, moved on by
    conditional updates), then sent, or skipped when they could no longer be reached."""

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(
        max_length=10, choices=RecipientState.choices, default=RecipientState.PENDING
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    complained_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mailing", "person"], name="recipient_once")]
        indexes = [
            models.Index(fields=["mailing", "state"], name="recipient_state"),
            models.Index(fields=["person"], name="recipient_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} of {self.mailing_id}"


class MailingSettings(models.Model):
    """An organization's rules for its mailings, set by its owners and admins."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="mailing_settings"
    )
    # A mailing to more people than this waits for a second owner's or admin's approval.
    approval_over = models.PositiveIntegerField(
        _("require a second person's approval above"),
        null=True,
        blank=True,
        help_text=_("Number of recipients. Leave empty to never require approval."),
    )

    def __str__(self) -> str:
        return f"mailing settings of {self.organization_id}"


class Undeliverable(models.Model):
    """A person whose address bounced for good or who reported a mailing as spam: no
    mailing goes to them, from any organization (the address is also on the people's
    suppression list). Soft bounces are counted here until they reach the limit."""

    class Reason(models.TextChoices):
        HARD_BOUNCE = "bounced", _("The address bounced")
        COMPLAINT = "complained", _("Reported as spam")
        SOFT_BOUNCES = "soft", _("Temporary failures")

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    soft_bounces = models.PositiveIntegerField(default=0)
    # Set once it blocks mailings (a hard bounce, a complaint, soft bounces at the limit).
    blocked_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.person_id} ({self.reason})"
