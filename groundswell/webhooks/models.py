"""Webhooks: an organization's endpoints, and every delivery made to them.

An Endpoint is a URL on the organization's own systems subscribed to some events; each
event it subscribes to makes one Delivery per person concerned, which the worker POSTs
(groundswell.webhooks.sending) until it is acknowledged or a day has passed.

A delivery holds the organization's Supporter row it is about: erasing the person (or
the organization forgetting them) deletes the row and so the delivery and its body.
"""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groundswell.accounts import sealing
from groundswell.organizations.models import Organization
from groundswell.people.models import Supporter
from groundswell.petitions.models import Signature


class Event(models.TextChoices):
    SIGNATURE_VERIFIED = "signature.verified", _("A signature is confirmed")
    PERSON_CREATED = "person.created", _("Someone becomes your supporter")
    PERSON_UPDATED = "person.updated", _("A supporter's details change")


PERSON_EVENTS = (Event.PERSON_CREATED, Event.PERSON_UPDATED)


class EndpointQuerySet(models.QuerySet["Endpoint"]):
    def active(self) -> EndpointQuerySet:
        return self.filter(active=True)


class Endpoint(models.Model):
    """A URL the organization's systems listen on, and the events it wants.

    The secret signs every delivery (HMAC-SHA256). Unlike an API token it must be read
    back to sign, so it is kept sealed with SECRET_KEY (accounts.sealing): a database
    copy alone cannot forge deliveries.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(_("address"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    sealed_secret = models.CharField(max_length=300)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    secret_rotated_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[EndpointQuerySet] = EndpointQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.url

    @property
    def secret(self) -> str:
        return sealing.unseal(self.sealed_secret)

    def subscribes(self, event: str) -> bool:
        return event in self.events

    def event_labels(self) -> list[str]:
        return [str(label) for value, label in Event.choices if value in self.events]


class DeliveryQuerySet(models.QuerySet["Delivery"]):
    def due(self, now: datetime.datetime | None = None) -> DeliveryQuerySet:
        return self.filter(
            status=Delivery.Status.PENDING, next_attempt_at__lte=now or timezone.now()
        )


class Delivery(models.Model):
    """One event for one endpoint: its body (rendered when first sent) and how sending
    it went. Redelivering makes a new Delivery of the same event."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    class Error(models.TextChoices):
        STATUS = "status", _("The endpoint answered with an error")
        TIMEOUT = "timeout", _("No answer in time")
        CONNECTION = "connection", _("Could not connect")
        REFUSED = "refused", _("Refused: the address is on a private network")
        SKIPPED = "skipped", _("Not tried: the endpoint had just failed")
        INTERNAL = "internal", _("Not sent: a problem on our side")

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=30, choices=Event.choices)
    # The organization's record of the person the event is about (see the module doc).
    supporter = models.ForeignKey(
        Supporter, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    signature = models.ForeignKey(
        Signature, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The JSON body, rendered from the records as they are when first sent (so it never
    # shows what consent withdrawn in the meantime hides); retries send it again.
    payload = models.JSONField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    first_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=20, choices=Error.choices, blank=True)
    # The start of the answer's body, or what went wrong, capped (see sending.EXCERPT).
    response_excerpt = models.CharField(max_length=500, blank=True)
    # The id of the delivery this one sends again (not a foreign key: nothing points at a
    # delivery, so pruning the log is one plain DELETE).
    redelivery_of = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[DeliveryQuerySet] = DeliveryQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="delivery_due",
            ),
            models.Index(fields=["endpoint", "-created_at"], name="delivery_newest"),
            models.Index(fields=["created_at"], name="delivery_created"),
        ]

    def __str__(self) -> str:
        return f"{self.event} to {self.endpoint_id} ({self.status})"

    @property
    def idempotency_key(self) -> str:
        """The same for an event and its redeliveries: receivers use it to drop repeats."""
        return str(self.redelivery_of or self.pk)
