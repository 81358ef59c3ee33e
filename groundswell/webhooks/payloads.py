"""A delivery's body: what Action Network's webhooks send, made by the OSDI API's own
representations, so an endpoint sees a person exactly as the API serves them to that
organization (contact details only with its consent).

The body is a JSON list (Action Network sends batches; Groundswell sends one item):

    [{"osdi:signature": {<signature>, "person": {<person>}}, "groundswell:event": ...,
      "idempotency_key": "..."}]
    [{"osdi:person": {<person>}, "groundswell:event": "person.created", ...}]
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from groundswell.api import people as api_people
from groundswell.api import petitions as api_petitions
from groundswell.api.hal import Base
from groundswell.people.models import Supporter
from groundswell.webhooks.models import Delivery, Event


def links() -> Base:
    """Links into this server's API, as a token holder would follow them."""
    return Base(f"{settings.BASE_URL}{reverse('api:entry')}".rstrip("/"))


def render(delivery: Delivery) -> list[dict[str, Any]] | None:
    """The body for this delivery, from the records as they are now; None if the
    person is no longer the organization's supporter (nothing to tell)."""
    endpoint = delivery.endpoint
    if delivery.supporter_id is None:
        return None
    supporter = (
        Supporter.objects.visible_to(endpoint.organization)
        .select_related("person")
        .filter(pk=delivery.supporter_id)
        .first()
    )
    if supporter is None:
        return None
    base = links()
    person = api_people.represent(base, supporter)
    item: dict[str, Any]
    if delivery.event == Event.SIGNATURE_VERIFIED:
        signature: Any = delivery.signature
        if signature is None:
            return None
        signature.supporter_pk = supporter.pk
        item = {"osdi:signature": {**api_petitions.represent_signature(base, signature)}}
        item["osdi:signature"]["person"] = person
    else:
        item = {"osdi:person": person}
    item["groundswell:event"] = delivery.event
    item["idempotency_key"] = delivery.idempotency_key
    return [item]
