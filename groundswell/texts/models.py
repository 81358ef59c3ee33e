"""Text messages: an organization's text to its supporters (a blast), the numbers it
goes to, and the pace all workers share.

A blast names its audience by rules (tags, lists and saved searches), not by people:
its recipients are fixed when it starts sending (`Recipient`, one row per person and
number, each unique), and every row moves on by conditional UPDATEs only
(texts.sending).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groundswell.organizations.models import Organization
from groundswell.people.models import Person


class BlastState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


class BlastQuerySet(models.QuerySet["Blast"]):
    def owned_by(self, organization: Organization) -> BlastQuerySet:
        return self.filter(organization=organization)


class Blast(models.Model):
    """One text to many of an organization's supporters."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    # {"tags": [ids], "lists": [ids]} (texts.audience).
    audience = models.JSONField(default=dict, blank=True)
    body = models.TextField(_("message"))
    # The language of the body, and of the line we add ("Reply STOP to stop").
    language = models.CharField(_("language"), max_length=10, default="en")
    state = models.CharField(max_length=10, choices=BlastState.choices, default=BlastState.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Every recipient has its row (fixed once, by the worker, when it starts).
    materialized = models.BooleanField(default=False)

    objects: ClassVar[BlastQuerySet] = BlastQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state"], name="blast_state")]

    def __str__(self) -> str:
        return self.body[:40]

    @property
    def editable(self) -> bool:
        return self.state == BlastState.DRAFT


class RecipientState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    # Handed to the provider: the request is out, its answer not yet read.
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    # The worker died (or the provider went silent) mid-request: it may have arrived.
    UNKNOWN = "unknown", _("Unknown")
    # No longer textable when their turn came (consent withdrawn, number suppressed).
    SKIPPED = "skipped", _("Not sent")
    CANCELLED = "cancelled", _("Cancelled")


class Recipient(models.Model):
    """One number a blast goes to, with its own unique key; sent at most once."""

    blast = models.ForeignKey(Blast, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    number = models.CharField(max_length=20)  # E.164
    key = models.CharField(max_length=40, unique=True)  # "<blast>:<number>"
    time_zone = models.CharField(max_length=64)
    state = models.CharField(
        max_length=10, choices=RecipientState.choices, default=RecipientState.PENDING
    )
    # Not before this moment (quiet hours at the recipient's, or the provider's 429).
    not_before = models.DateTimeField(null=True, blank=True)
    handed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(max_length=64, blank=True)
    error = models.CharField(max_length=200, blank=True)
    # They replied STOP (or the provider says they had) after this blast reached them.
    opted_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blast", "person"], name="text_recipient_once"),
            models.UniqueConstraint(fields=["blast", "number"], name="text_number_once"),
        ]
        indexes = [
            models.Index(fields=["blast", "state", "not_before"], name="text_recipient_due"),
            models.Index(fields=["number"], name="text_recipient_number"),
        ]

    def __str__(self) -> str:
        return self.key


class TextSettings(models.Model):
    """An organization's rules for its texts: the time zone its quiet hours are read in
    for recipients with none of their own (else settings.TIME_ZONE)."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="text_settings"
    )
    time_zone = models.CharField(_("time zone"), max_length=64)

    def __str__(self) -> str:
        return f"text settings of {self.organization_id}"


class Pace(models.Model):
    """When the workers last spent the texts' rate budget (one row): taken by a
    conditional UPDATE, so two workers never spend the same second twice."""

    name = models.CharField(max_length=20, primary_key=True)
    spent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
