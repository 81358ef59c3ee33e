"""An organization's admin chooses the URL, so the server must not post into its own
network: private, loopback, link-local and reserved addresses are refused after DNS
resolution, at send time (WEBHOOKS_ALLOW_PRIVATE lets tests use 127.0.0.1), and
redirects are never followed."""

from __future__ import annotations

from typing import Any

import pytest

from groundswell.organizations.models import Organization
from groundswell.petitions.models import Petition
from groundswell.webhooks import sending
from groundswell.webhooks.forms import EndpointForm
from groundswell.webhooks.models import Delivery
from tests.webhooks.conftest import Receiver, endpoint, sign_and_verify

pytestmark = pytest.mark.django_db

REFUSED = [
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "127.0.0.1",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # carrier-grade NAT
    "0.0.0.0",  # noqa: S104 (the unspecified address, refused here)
    "224.0.0.1",
    "::1",
    "fe80::1",
    "fc00::1",
    "::ffff:10.1.2.3",
    "::ffff:127.0.0.1",
]
PUBLIC = ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"]


@pytest.mark.parametrize("address", REFUSED)
def test_private_addresses_are_refused(address: str, settings: Any) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE = False

    assert not sending.allowed_address(address)


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_allowed(address: str, settings: Any) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE = False

    assert sending.allowed_address(address)


def test_a_name_is_checked_after_it_is_resolved(settings: Any) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE = False

    with pytest.raises(sending.Refused):
        sending.resolve("localhost", 443)


def test_a_delivery_to_a_private_address_is_refused_and_nothing_is_sent(
    petition: Petition, action_now: Organization, receiver: Receiver, drain: Any, settings: Any
) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    # Saved before the rule, or a public name that now resolves to 127.0.0.1: the same.
    endpoint(action_now, receiver, events=["signature.verified"])

    sign_and_verify(petition)
    drain(periodic=False)

    delivery = Delivery.objects.get()
    assert receiver.received == []
    assert delivery.error == Delivery.Error.REFUSED
    assert delivery.status == Delivery.Status.PENDING  # tried again, refused again
    assert "127.0.0.1" in delivery.response_excerpt


def test_a_redirect_is_not_followed(
    petition: Petition, action_now: Organization, receiver: Receiver, drain: Any
) -> None:
    endpoint(action_now, receiver, events=["signature.verified"])
    receiver.answers = [307]

    sign_and_verify(petition)
    drain(periodic=False)

    delivery = Delivery.objects.get()
    assert len(receiver.received) == 1
    assert (delivery.status, delivery.response_status) == (Delivery.Status.PENDING, 307)


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/hook",
        "https://10.0.0.5/hook",
        "https://169.254.169.254/latest/meta-data/",
        "http://localhost:8080/hook",
        "https://[::1]/hook",
        "https://user:pass@example.org/hook",
        "ftp://example.org/hook",
    ],
)
def test_the_form_refuses_addresses_that_cannot_be_sent_to(url: str, settings: Any) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE = False

    form = EndpointForm({"url": url, "events": ["person.created"]})

    assert not form.is_valid()
    assert "url" in form.errors


def test_the_form_takes_https_and_localhost_over_http_in_tests() -> None:
    for url in ("https://hooks.example.org/groundswell?key=1", "http://127.0.0.1:8001/hook"):
        form = EndpointForm({"url": url, "events": ["person.created"]})
        assert form.is_valid(), form.errors
