"""Every change to webhook endpoints and deliveries goes through these functions."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from groundswell.accounts import sealing
from groundswell.organizations.models import Organization
from groundswell.webhooks import sending, triggers
from groundswell.webhooks.models import Delivery, Endpoint

if TYPE_CHECKING:
    from groundswell.accounts.models import User

# Each endpoint multiplies every event's work: a few per organization are plenty.
MAX_ENDPOINTS = 10
PRUNE_BATCH = 5000


def new_secret() -> str:
    return f"gsw_{secrets.token_urlsafe(32)}"


def create_endpoint(
    organization: Organization, *, url: str, events: Iterable[str], by: User | None = None
) -> Endpoint:
    """A new active endpoint with a fresh secret."""
    return Endpoint.objects.create(
        organization=organization,
        url=url,
        events=sorted(set(events)),
        sealed_secret=sealing.seal(new_secret()),
        created_by=by,
    )


def update_endpoint(endpoint: Endpoint, *, url: str, events: Iterable[str]) -> Endpoint:
    endpoint.url = url
    endpoint.events = sorted(set(events))
    endpoint.save(update_fields=["url", "events"])
    return endpoint


def rotate_secret(endpoint: Endpoint) -> str:
    """Give the endpoint a new secret at once (deliveries from now on are signed with
    it, retries included); returns it."""
    secret = new_secret()
    endpoint.sealed_secret = sealing.seal(secret)
    endpoint.secret_rotated_at = timezone.now()
    endpoint.save(update_fields=["sealed_secret", "secret_rotated_at"])
    return secret


def set_active(endpoint: Endpoint, active: bool) -> None:
    """Pause an endpoint (nothing new is queued for it; what waits, waits) or resume
    it (what waited is sent)."""
    if endpoint.active == active:
        return
    with transaction.atomic():
        endpoint.active = active
        endpoint.save(update_fields=["active"])
        if active:
            sending.requeue(endpoint)


def delete_endpoint(endpoint: Endpoint) -> None:
    """Delete the endpoint and its delivery log."""
    endpoint.delete()


def redeliver(delivery: Delivery) -> Delivery | None:
    """Send a delivered or failed event again, as a new delivery (its body made afresh
    from the records as they are now); None if the endpoint is paused or the event is
    still being tried."""
    if delivery.status == Delivery.Status.PENDING or not delivery.endpoint.active:
        return None
    with transaction.atomic():
        again = Delivery.objects.create(
            endpoint=delivery.endpoint,
            event=delivery.event,
            supporter_id=delivery.supporter_id,
            signature_id=delivery.signature_id,
            redelivery_of=delivery.redelivery_of or delivery.pk,
        )
        triggers.send_soon([again.pk])
    return again


def prune(*, now: datetime.datetime | None = None) -> int:
    """Forget deliveries made more than WEBHOOKS_RETENTION_DAYS ago (tries end after a
    day; only a paused endpoint's can still wait); a daily periodic job. Returns how
    many."""
    before = (now or timezone.now()) - datetime.timedelta(days=settings.WEBHOOKS_RETENTION_DAYS)
    old = Delivery.objects.filter(created_at__lt=before)
    deleted = 0
    # In batches: a month of a busy organization's imports is many rows, and one huge
    # DELETE would hold its locks for long.
    while batch := list(old.values_list("pk", flat=True)[:PRUNE_BATCH]):
        count, _ = Delivery.objects.filter(pk__in=batch).delete()
        deleted += count
    return deleted
