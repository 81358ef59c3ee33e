"""/manage/<org>/api/webhooks/: owners and admins add endpoints, read and rotate their
secrets, pause or delete them, read the delivery log and redeliver."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization, Role
from groundswell.petitions.models import Petition
from groundswell.webhooks.models import Delivery, Endpoint
from tests.conftest import login, make_organizer
from tests.webhooks.conftest import Receiver, endpoint, sign_and_verify

pytestmark = pytest.mark.django_db

LIST = reverse("webhooks_manage:endpoints", args=["action-now"])


def page_of(hook: Endpoint) -> str:
    return reverse("webhooks_manage:endpoint", args=[hook.organization.slug, hook.pk])


def test_an_owner_adds_an_endpoint_and_sees_its_secret(
    client: Client, owner: User, receiver: Receiver
) -> None:
    login(client, owner)

    response = client.post(
        LIST, {"url": receiver.url(), "events": ["signature.verified", "person.created"]}
    )

    hook = Endpoint.objects.get()
    assert response.status_code == 303
    assert response["Location"] == page_of(hook)
    assert hook.url == receiver.url()
    assert hook.events == ["person.created", "signature.verified"]
    assert hook.active and hook.created_by == owner
    shown = client.get(page_of(hook))
    assert f'value="{hook.secret}"' in shown.text
    assert "no-store" in shown["Cache-Control"]
    assert hook.url in client.get(LIST).text


def test_an_endpoint_needs_an_event_and_a_usable_address(client: Client, owner: User) -> None:
    login(client, owner)

    response = client.post(LIST, {"url": "http://example.org/hook", "events": []})

    assert response.status_code == 200
    assert "https://" in response.text
    assert "Choose at least one event." in response.text
    assert not Endpoint.objects.exists()


def test_an_admin_may_and_an_organizer_may_not(
    client: Client, action_now: Organization, organizer: User, receiver: Receiver
) -> None:
    hook = endpoint(action_now, receiver)
    admin = make_organizer("lee@actionnow.example", action_now, Role.ADMIN)

    assert login(Client(), admin).get(page_of(hook)).status_code == 200
    login(client, organizer)
    assert client.get(LIST).status_code == 403
    assert client.get(page_of(hook)).status_code == 403
    assert (
        client.post(LIST, {"url": receiver.url(), "events": ["person.created"]}).status_code == 403
    )
    for name in ("rotate", "delete"):
        url = reverse(f"webhooks_manage:{name}", args=["action-now", hook.pk])
        assert client.post(url).status_code == 403
    assert Endpoint.objects.get() == hook


def test_another_organizations_endpoint_is_not_found(
    client: Client, action_now: Organization, outsider: User, receiver: Receiver
) -> None:
    hook = endpoint(action_now, receiver)
    old_secret = hook.secret
    login(client, outsider)

    assert client.get(LIST).status_code == 403  # not their organization
    for name in ("endpoint", "rotate", "delete"):
        url = reverse(f"webhooks_manage:{name}", args=["elsewhere", hook.pk])
        method = client.get if name == "endpoint" else client.post
        assert method(url).status_code == 404
    hook.refresh_from_db()
    assert hook.secret == old_secret


def test_rotating_pausing_resuming_and_deleting(
    client: Client, owner: User, action_now: Organization, receiver: Receiver
) -> None:
    hook = endpoint(action_now, receiver)
    old = hook.secret
    login(client, owner)

    client.post(reverse("webhooks_manage:rotate", args=["action-now", hook.pk]))
    hook.refresh_from_db()
    assert hook.secret != old and hook.secret_rotated_at is not None

    client.post(
        reverse("webhooks_manage:set_active", args=["action-now", hook.pk]), {"active": "0"}
    )
    hook.refresh_from_db()
    assert not hook.active
    assert "Paused" in client.get(page_of(hook)).text
    client.post(
        reverse("webhooks_manage:set_active", args=["action-now", hook.pk]), {"active": "1"}
    )
    hook.refresh_from_db()
    assert hook.active

    response = client.post(reverse("webhooks_manage:delete", args=["action-now", hook.pk]))
    assert response.status_code == 303 and response["Location"] == LIST
    assert not Endpoint.objects.exists()


def test_the_settings_change_the_events(
    client: Client, owner: User, action_now: Organization, receiver: Receiver
) -> None:
    hook = endpoint(action_now, receiver)
    login(client, owner)

    client.post(page_of(hook), {"url": receiver.url("/other"), "events": ["person.updated"]})

    hook.refresh_from_db()
    assert (hook.url, hook.events) == (receiver.url("/other"), ["person.updated"])


def test_the_log_shows_deliveries_newest_first_a_page_at_a_time(
    client: Client, owner: User, action_now: Organization, receiver: Receiver
) -> None:
    hook = endpoint(action_now, receiver)
    Delivery.objects.bulk_create(
        Delivery(endpoint=hook, event="person.created", response_status=200 + n) for n in range(30)
    )
    login(client, owner)

    first = client.get(page_of(hook)).text
    second = client.get(page_of(hook) + "?page=2").text

    numbers = [int(n) for n in re.findall(r"#(\d+)</span></h3>", first)]
    assert len(numbers) == 25 and numbers == sorted(numbers, reverse=True)
    assert "Page 1 of 2" in first
    assert len(re.findall(r"#(\d+)</span></h3>", second)) == 5


def test_redelivering_sends_the_event_again_as_a_new_delivery(
    client: Client,
    owner: User,
    petition: Petition,
    action_now: Organization,
    receiver: Receiver,
    drain: Any,
) -> None:
    hook = endpoint(action_now, receiver, events=["signature.verified"])
    sign_and_verify(petition)
    drain(periodic=False)
    original = Delivery.objects.get()
    login(client, owner)

    page = client.get(page_of(hook)).text
    assert "Redeliver" in page and "Delivered" in page
    url = reverse("webhooks_manage:redeliver", args=["action-now", hook.pk, original.pk])
    response = client.post(url)
    drain(periodic=False)

    assert response.status_code == 303
    again = Delivery.objects.exclude(pk=original.pk).get()
    assert again.redelivery_of == original.pk
    assert again.status == Delivery.Status.DELIVERED
    first, second = receiver.received
    assert first.headers["X-Groundswell-Delivery"] != second.headers["X-Groundswell-Delivery"]
    assert first.json[0]["idempotency_key"] == second.json[0]["idempotency_key"]
    assert first.json[0]["osdi:signature"] == second.json[0]["osdi:signature"]


def test_a_delivery_still_being_tried_is_not_redelivered(
    client: Client, owner: User, action_now: Organization, receiver: Receiver
) -> None:
    hook = endpoint(action_now, receiver)
    waiting = Delivery.objects.create(endpoint=hook, event="person.created")
    login(client, owner)

    client.post(reverse("webhooks_manage:redeliver", args=["action-now", hook.pk, waiting.pk]))

    assert Delivery.objects.count() == 1


def test_the_tokens_page_leads_to_the_webhooks(client: Client, owner: User) -> None:
    login(client, owner)

    assert LIST in client.get(reverse("api_manage:tokens", args=["action-now"])).text
