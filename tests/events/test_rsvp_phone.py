"""The RSVP form's phone number is checked like the volunteer form's (people.phones):
one that cannot be a number is refused with a message, and a good one is kept in one
form, however it was typed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from groundswell.events.models import RSVP, Event
from tests.events.conftest import ANA, form_token

pytestmark = pytest.mark.django_db


def post_rsvp(client: Client, event: Event, phone: str) -> Any:
    data = {
        **ANA,
        "phone": phone,
        "guests": "0",
        "shifts": [s.pk for s in event.shifts.all()],
        "form_token": form_token(),
    }
    return client.post(f"/events/{event.pk}/rsvp", data)


@pytest.mark.parametrize("phone", ["call me maybe", "12", "<script>", "555-0123-4567-8901-2345"])
def test_a_phone_that_cannot_be_a_number_is_refused(
    client: Client, event: Event, phone: str
) -> None:
    response = post_rsvp(client, event, phone)
    assert response.status_code == 400
    assert "Enter a phone number, like 312-555-0123." in response.content.decode()
    assert not RSVP.objects.exists()


@pytest.mark.parametrize("phone", ["(312) 555-0123", "312.555.0123", "+1 312 555 0123"])
def test_a_phone_is_kept_in_one_form(client: Client, event: Event, phone: str) -> None:
    assert post_rsvp(client, event, phone).status_code == 303
    assert RSVP.objects.get().phone == "+13125550123"


def test_the_phone_may_be_left_out(client: Client, event: Event) -> None:
    assert post_rsvp(client, event, "").status_code == 303
    assert RSVP.objects.get().phone == ""
