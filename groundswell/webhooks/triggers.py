"""From the domain's signals to deliveries: which endpoints hear of what.

The lower apps send signals (people.signals, petitions.signals) inside their writing
transactions; here each becomes Delivery rows for the active endpoints, subscribed to
the event, of exactly the organizations concerned. The rows commit (or roll back) with
the change itself, and so does the task that sends them (see send_soon).

Confirming a signature is a busy path, so an organization without endpoints costs no
query: which organizations have any is remembered per process for LISTENING_SECONDS
(and forgotten at once when an endpoint is saved in this process).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from groundswell.people.models import Supporter
from groundswell.people.signals import supporter_changed
from groundswell.petitions.models import Signature
from groundswell.petitions.signals import signature_verified
from groundswell.webhooks.models import PERSON_EVENTS, Delivery, Endpoint, Event

# A new endpoint hears of events in other processes (the worker) after at most this.
LISTENING_SECONDS = 30.0
# Deliveries per sending task: an import batch is sent by a few workers side by side.
TASK_CHUNK = 200

_listening: dict[str, Any] = {"until": 0.0, "organizations": frozenset()}


def organizations_listening() -> frozenset[int]:
    """Ids of the organizations with an active endpoint (remembered for a while)."""
    now = time.monotonic()
    if now >= _listening["until"]:
        _listening["organizations"] = frozenset(
            Endpoint.objects.active().values_list("organization_id", flat=True).distinct()
        )
        _listening["until"] = now + LISTENING_SECONDS
    return frozenset(_listening["organizations"])


def forget_listening(**_kwargs: Any) -> None:
    _listening.update(until=0.0, organizations=frozenset())


def queue(
    organization_id: int, event: str, subjects: Iterable[tuple[int, int | None]]
) -> list[int]:
    """Deliveries of `event` about these (supporter id, signature id) to the
    organization's active endpoints that subscribe to it; returns their ids.

    A person.updated is dropped where a person event about the same supporter is still
    waiting for its first try and no worker has claimed it: its body is rendered when
    sent, so it will show the change anyway (confirming a signature both adds and gives
    consent, in one go). Those rows are locked until the change commits, so a worker
    cannot render one from the state before it.
    """
    endpoints = [
        e
        for e in Endpoint.objects.active().filter(organization_id=organization_id)
        if e.subscribes(event)
    ]
    subjects = list(subjects)
    if not endpoints or not subjects:
        return []
    with transaction.atomic():
        waiting: set[tuple[int, int | None]] = set()
        if event == Event.PERSON_UPDATED:
            waiting = set(
                Delivery.objects.due()  # a claimed one is due only after its lease
                .select_for_update()
                .filter(
                    endpoint__in=endpoints,
                    event__in=PERSON_EVENTS,
                    supporter_id__in=[supporter for supporter, _ in subjects],
                    attempts=0,
                )
                .values_list("endpoint_id", "supporter_id")
            )
        rows = [
            Delivery(endpoint=endpoint, event=event, supporter_id=supporter, signature_id=signature)
            for endpoint in endpoints
            for supporter, signature in subjects
            if (endpoint.pk, supporter) not in waiting
        ]
        ids = [d.pk for d in Delivery.objects.bulk_create(rows, batch_size=1000)]
        send_soon(ids)
    return ids


def send_soon(ids: list[int]) -> None:
    """Queue the first sending of these deliveries. The database task backend writes
    the task in the caller's transaction: it commits (or rolls back) with the rows, and
    no worker sees it before they are committed."""
    from groundswell.webhooks import tasks

    for start in range(0, len(ids), TASK_CHUNK):
        tasks.send_deliveries.enqueue(ids[start : start + TASK_CHUNK])


def on_supporter_changed(
    sender: Any, *, organization: Any, supporter_ids: list[int], created: bool, **_kwargs: Any
) -> None:
    if organization.pk not in organizations_listening():
        return
    event = Event.PERSON_CREATED if created else Event.PERSON_UPDATED
    queue(organization.pk, event, [(pk, None) for pk in supporter_ids])


def on_signature_verified(
    sender: Any, *, signature: Signature, organization_ids: list[int], **_kwargs: Any
) -> None:
    """Each of the petition's organizations hears of it with its own record of the
    signer (and so sees their contact details only if it may)."""
    concerned = [pk for pk in organization_ids if pk in organizations_listening()]
    if not concerned or signature.person_id is None:
        return
    supporters = Supporter.objects.filter(
        person_id=signature.person_id, organization_id__in=concerned
    ).values_list("organization_id", "pk")
    for organization_id, supporter_id in supporters:
        queue(organization_id, Event.SIGNATURE_VERIFIED, [(supporter_id, signature.pk)])


def connect() -> None:
    """Listen (from WebhooksConfig.ready)."""
    supporter_changed.connect(on_supporter_changed, dispatch_uid="webhooks.supporter_changed")
    signature_verified.connect(on_signature_verified, dispatch_uid="webhooks.signature_verified")
    post_save.connect(forget_listening, sender=Endpoint, dispatch_uid="webhooks.endpoint_saved")
    post_delete.connect(forget_listening, sender=Endpoint, dispatch_uid="webhooks.endpoint_deleted")
