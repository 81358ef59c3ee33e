"""An organization's admin chooses the URL, so the server must not post into its own
network: private, loopback, link-local and reserved addresses are refused after DNS
resolution, at send time (WEBHOOKS_ALLOW_PRIVATE lets tests use 127.0.0.1), and
redirects are never followed."""

from __future__ import annotations

import socket
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
    # IPv6 ranges embedding an IPv4 address, refused whatever it embeds (a public one
    # included): NAT64, 6to4, Teredo, IPv4-compatible, IPv4-translated; and site-local.
    "64:ff9b::a01:203",  # NAT64 of 10.1.2.3
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "64:ff9b::5db8:d822",  # NAT64 of 93.184.216.34, public
    "64:ff9b:1::a01:203",  # local-use NAT64
    "64:ff9b:1:ffff::1",
    "2002:a01:203::1",  # 6to4 of 10.1.2.3
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:5db8:d822::1",  # 6to4 of 93.184.216.34, public
    "2001:0:4136:e378:8000:63bf:f5fe:fdfc",  # Teredo of 10.1.2.3
    "2001::1",
    "::a01:203",  # IPv4-compatible 10.1.2.3
    "::7f00:1",  # IPv4-compatible 127.0.0.1
    "::5db8:d822",  # IPv4-compatible 93.184.216.34
    "::ffff:0:a01:203",  # IPv4-translated 10.1.2.3
    "fec0::1",  # site-local
    "feff:ffff::1",
]
PUBLIC = [
    "93.184.216.34",
    "8.8.8.8",
    "2606:4700:4700::1111",
    "::ffff:93.184.216.34",  # IPv4-mapped: checked as the IPv4 address it is
    "2001:4860:4860::8888",  # in 2001::/23, outside Teredo's 2001::/32
    "2003::1",  # just past 6to4
    "64:ff9b:2::1",  # just past local-use NAT64
]


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


@pytest.mark.parametrize("address", ["64:ff9b::a01:203", "2002:7f00:1::1", "fec0::1"])
def test_a_name_resolving_into_a_refused_ipv6_range_is_refused(
    address: str, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    answer = [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, 443, 0, 0))]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: answer)

    with pytest.raises(sending.Refused, match=address):
        sending.resolve("hooks.example.org", 443)


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
        "https://[64:ff9b::a9fe:a9fe]/latest/meta-data/",  # NAT64 of the metadata address
        "https://[2002:a01:203::1]/hook",  # 6to4 of 10.1.2.3
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
