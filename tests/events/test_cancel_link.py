"""Cancelling an RSVP from the emailed link: a page with a button; forged links fail."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import signing
from django.test import Client

from groundswell.events import tokens
from groundswell.events.models import RSVP, Event
from tests.events.conftest import rsvp_as, statuses

pytestmark = pytest.mark.django_db


def cancel_path(rsvp: RSVP) -> str:
    return f"/events/rsvp/{tokens.cancel_token(rsvp)}/cancel/"


def test_the_emailed_link_cancels_after_a_button_and_promotes(
    client: Client, event: Event, drain: Any, mailbox: Any, settings: Any
) -> None:
    settings.BASE_URL = "http://testserver"
    rsvp_as(event, "one@example.org", guests=1)
    rsvp_as(event, "two@example.org")
    drain()
    [message] = mailbox.to("one@example.org")
    link = re.search(r"http://testserver(/events/rsvp/\S+/cancel/)", mailbox.text(message))
    assert link is not None
    page = client.get(link[1])
    assert page.status_code == 200
    assert "Cancel my RSVP" in page.content.decode()
    assert statuses(event)[0][1] == "confirmed"  # opening the link changes nothing
    done = client.post(link[1])
    assert "Your RSVP is cancelled" in done.content.decode()
    assert statuses(event) == [
        ("one@example.org", "cancelled"),
        ("two@example.org", "confirmed"),
    ]
    again = client.post(link[1])
    assert "Already cancelled" in again.content.decode()


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        signing.dumps({"r": 1, "k": "0" * 16}, salt="another.salt"),
    ],
)
def test_a_forged_link_is_refused_and_changes_nothing(
    client: Client, event: Event, token: str
) -> None:
    rsvp_as(event, "one@example.org")
    for method in (client.get, client.post):
        response = method(f"/events/rsvp/{token}/cancel/")
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()
    assert statuses(event) == [("one@example.org", "confirmed")]


def test_a_token_for_another_rsvp_id_is_refused(client: Client, event: Event) -> None:
    mine = rsvp_as(event, "one@example.org").rsvp
    other = rsvp_as(event, "two@example.org").rsvp
    data = signing.loads(tokens.cancel_token(mine), salt=tokens.CANCEL_SALT)
    forged = signing.dumps({"r": other.pk, "k": data["k"]}, salt=tokens.CANCEL_SALT)
    response = client.post(f"/events/rsvp/{forged}/cancel/")
    assert response.status_code == 400
    assert RSVP.objects.get(pk=other.pk).status == "confirmed"
