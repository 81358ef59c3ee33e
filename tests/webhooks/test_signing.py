"""Every delivery is signed: HMAC-SHA256 over the timestamp and the raw body, keyed
with the endpoint's secret. `verify` is the receiver's code from docs/api.md."""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Any

import pytest

from groundswell.organizations.models import Organization
from groundswell.petitions.models import Petition
from groundswell.webhooks import actions
from groundswell.webhooks.models import Delivery
from tests.webhooks.conftest import Receiver, endpoint, sign_and_verify

pytestmark = pytest.mark.django_db


# --- As in docs/api.md ---
def verify(secret: str, headers: dict[str, str], body: bytes, tolerance: int = 300) -> bool:
    timestamp = headers["X-Groundswell-Timestamp"]
    signed = timestamp.encode() + b"." + body
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    fresh = abs(time.time() - int(timestamp)) <= tolerance
    return fresh and hmac.compare_digest(expected, headers["X-Groundswell-Signature"])


# ---


def test_each_delivery_verifies_with_the_endpoints_secret(
    petition: Petition, action_now: Organization, receiver: Receiver, drain: Any
) -> None:
    hook = endpoint(action_now, receiver)

    sign_and_verify(petition)
    drain(periodic=False)

    assert [r.event for r in receiver.received] == ["person.created", "signature.verified"]
    for received in receiver.received:
        assert verify(hook.secret, received.headers, received.body)
        assert received.headers["Content-Type"] == "application/json"
        delivery = Delivery.objects.get(pk=received.headers["X-Groundswell-Delivery"])
        assert delivery.event == received.event
        assert delivery.status == Delivery.Status.DELIVERED
        assert delivery.response_status == 200


def test_a_tampered_body_a_replay_or_another_secret_does_not_verify(
    petition: Petition, action_now: Organization, receiver: Receiver, drain: Any
) -> None:
    hook = endpoint(action_now, receiver, events=["signature.verified"])
    sign_and_verify(petition)
    drain(periodic=False)
    [received] = receiver.received

    assert not verify(hook.secret, received.headers, received.body.replace(b"Ana", b"Eve"))
    assert not verify(actions.new_secret(), received.headers, received.body)
    stale = {**received.headers, "X-Groundswell-Timestamp": str(int(time.time()) - 3600)}
    assert not verify(hook.secret, stale, received.body)


def test_a_new_secret_signs_from_then_on(
    petition: Petition, action_now: Organization, receiver: Receiver, drain: Any
) -> None:
    hook = endpoint(action_now, receiver, events=["signature.verified"])
    old = hook.secret

    new = actions.rotate_secret(hook)
    sign_and_verify(petition)
    drain(periodic=False)

    [received] = receiver.received
    assert new != old
    assert verify(new, received.headers, received.body)
    assert not verify(old, received.headers, received.body)


def test_the_secret_is_not_stored_in_the_clear(
    action_now: Organization, receiver: Receiver
) -> None:
    hook = endpoint(action_now, receiver)

    assert hook.secret.startswith("gsw_")
    assert hook.secret not in hook.sealed_secret
