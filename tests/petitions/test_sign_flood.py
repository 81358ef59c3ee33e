"""A flood of signatures from one network: past the hard cap (SIGN_RATE_HARD) the sign
form answers 429 with Retry-After and a page that says nothing was saved, and stores
nothing more, however many come at once."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from groundswell.petitions import counts
from groundswell.petitions.integrity import Suspect
from groundswell.petitions.models import AccessRule, Petition, PetitionCount, Signature
from tests.conftest import SIGNER, form_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_window() -> Iterator[None]:
    """The cap counts in fixed windows of ten minutes: start with a minute of one left."""
    if (left := 600 - time.time() % 600) < 60:
        time.sleep(left)
    yield


def sign(client: Client, petition: Petition, n: int, token: str, ip: str = "203.0.113.9") -> Any:
    data = {**SIGNER, "email": f"flood{n}@example.org", "form_token": token}
    return client.post(f"/petitions/{petition.slug}/sign", data, REMOTE_ADDR=ip)


def signed(client: Client, petition: Petition, how_many: int) -> None:
    """That many signatures from one address, each from a page of its own, all taken."""
    for n in range(how_many):
        assert sign(client, petition, n, form_token()).status_code == 303


def test_150_posts_in_a_second_from_one_address_store_no_more_than_the_cap(
    client: Client, petition: Petition, settings: Any
) -> None:
    """The issue's flood, one POST after another: 150 from one address with one token.
    Before the cap, all 150 were stored (142 of them suspect), none refused."""
    assert settings.SIGN_RATE_HARD == (100, 600)
    token = form_token()
    started = time.monotonic()
    responses = [sign(client, petition, n, token) for n in range(150)]
    took = time.monotonic() - started
    answered = Counter(r.status_code for r in responses)
    assert answered == {303: 100, 429: 50}, (answered, took)
    assert all(0 < int(r["Retry-After"]) <= 600 for r in responses if r.status_code == 429)
    assert [r.status_code for r in responses[100:]] == [429] * 50  # none after the first
    assert Signature.objects.filter(petition=petition).count() == 100
    counts.fold()
    assert PetitionCount.objects.get(petition=petition).total <= 5  # the burst limit


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_150_posts_at_once_from_one_address_store_no_more_than_the_cap(
    live_server: Any, petition: Petition, settings: Any
) -> None:
    """The same flood against a live server, 15 POSTs at a time: the cap is one atomic
    increment-and-check, so simultaneous POSTs cannot slip past it together (SQLite
    serializes writers anyway)."""
    assert settings.SIGN_RATE_HARD == (100, 600)
    token = form_token()
    url = f"{live_server.url}/petitions/{petition.slug}/sign"
    statuses: list[int] = []
    retry_after: list[str | None] = []
    lock = threading.Lock()
    barrier = threading.Barrier(15)

    def post(n: int) -> None:
        body = urllib.parse.urlencode(
            {**SIGNER, "email": f"flood{n}@example.org", "form_token": token}
        ).encode()
        try:
            with urllib.request.urlopen(urllib.request.Request(url, body), timeout=30) as answer:
                status, wait = answer.status, None
        except urllib.error.HTTPError as error:
            status, wait = error.code, error.headers.get("Retry-After")
        with lock:
            statuses.append(status)
            retry_after.append(wait)

    def flood(first: int) -> None:
        barrier.wait()
        for n in range(first, 150, 15):
            post(n)

    threads = [threading.Thread(target=flood, args=(i,)) for i in range(15)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    answered = Counter(statuses)
    # Each accepted POST redirects to the thanks page, which urllib follows (200).
    assert answered == {200: 100, 429: 50}, answered
    assert Signature.objects.filter(petition=petition).count() == 100
    waits = [int(w) for w, s in zip(retry_after, statuses, strict=True) if s == 429 and w]
    assert len(waits) == 50 and all(0 < w <= 600 for w in waits)
    counts.fold()
    assert PetitionCount.objects.get(petition=petition).total <= 5  # the burst limit


def test_past_the_cap_a_clear_page_says_nothing_was_saved(
    client: Client, petition: Petition, settings: Any
) -> None:
    settings.SIGN_RATE_HARD = (3, 600)
    signed(client, petition, 3)
    response = sign(client, petition, 3, form_token())
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Too many from your network" in page and "Your signature was not saved." in page
    assert not Signature.objects.filter(email="flood3@example.org").exists()
    # A bot's traps do not get it past the cap either: nothing more is stored at all.
    assert sign(client, petition, 4, "forged").status_code == 429
    assert Signature.objects.count() == 3


def test_past_the_cap_in_spanish(client: Client, petition: Petition, settings: Any) -> None:
    settings.SIGN_RATE_HARD = (1, 600)
    signed(client, petition, 1)
    data = {**SIGNER, "email": "flood1@example.org", "form_token": form_token()}
    response = client.post(
        f"/petitions/{petition.slug}/sign",
        data,
        REMOTE_ADDR="203.0.113.9",
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response.status_code == 429
    assert 'lang="es"' in response.content.decode()


def test_the_cap_counts_each_network_on_each_petition(
    client: Client, petition: Petition, settings: Any
) -> None:
    settings.SIGN_RATE_HARD = (2, 600)
    signed(client, petition, 2)
    assert sign(client, petition, 2, form_token()).status_code == 429
    assert sign(client, petition, 3, form_token(), ip="198.51.100.4").status_code == 303


def test_a_network_an_allow_rule_vouches_for_is_not_capped(
    client: Client, petition: Petition, settings: Any
) -> None:
    """A table collecting signatures at a meeting, on one connection."""
    settings.SIGN_RATE_HARD = (2, 600)
    AccessRule.objects.create(
        kind=AccessRule.Kind.IP, value="203.0.113.0/24", action=AccessRule.Action.ALLOW
    )
    signed(client, petition, 4)
    assert Signature.objects.filter(suspect_reason="").count() == 4


def test_the_embedded_form_answers_the_cap_in_its_frame(
    client: Client, petition: Petition, settings: Any
) -> None:
    settings.SIGN_RATE_HARD = (1, 600)
    url = f"/petitions/{petition.slug}/embed/sign"
    for n in range(2):
        data = {**SIGNER, "email": f"e{n}@example.org", "form_token": form_token()}
        response = client.post(url, data, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response


def test_under_the_cap_the_suspect_policy_is_unchanged(
    client: Client, petition: Petition, settings: Any
) -> None:
    """Over the burst limit, a signature is still kept as suspect, not refused."""
    settings.SIGN_RATE_BURST = (2, 60)
    signed(client, petition, 3)
    assert Signature.objects.get(email="flood2@example.org").suspect_reason == Suspect.RATE_BURST
