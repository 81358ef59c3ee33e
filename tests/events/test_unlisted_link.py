"""An unlisted event opens only with the key in its link: ids cannot be walked."""

from __future__ import annotations

import pytest
from django.test import Client

from groundswell.accounts.models import User
from groundswell.events.models import RSVP, Event
from groundswell.organizations.models import Organization
from tests.conftest import login
from tests.events.conftest import form_token, make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def unlisted(action_now: Organization) -> Event:
    return make_event(action_now, visibility=Event.Visibility.UNLISTED)


def rsvp_data(event: Event) -> dict[str, object]:
    return {
        "shifts": [event.shifts.get().pk],
        "first_name": "Ana",
        "last_name": "Reyes",
        "email": "ana@example.org",
        "phone": "",
        "guests": "0",
        "form_token": form_token(),
    }


def test_each_event_gets_its_own_unguessable_link_key(action_now: Organization) -> None:
    one, two = make_event(action_now), make_event(action_now)
    assert len(one.link_key) >= 20 and one.link_key != two.link_key


def test_an_unlisted_event_without_its_key_is_the_same_404_as_no_event(
    client: Client, unlisted: Event
) -> None:
    missing = client.get("/events/999999/")
    for url in (
        f"/events/{unlisted.pk}/",
        f"/events/{unlisted.pk}/?key=wrong",
        f"/events/{unlisted.pk}/?key=",
        f"/events/{unlisted.pk}/thanks",
    ):
        response = client.get(url)
        assert response.status_code == 404 == missing.status_code
        assert unlisted.title not in response.content.decode()
    response = client.post(f"/events/{unlisted.pk}/rsvp", rsvp_data(unlisted))
    assert response.status_code == 404
    response = client.post(f"/events/{unlisted.pk}/rsvp?key=wrong", rsvp_data(unlisted))
    assert response.status_code == 404
    assert not RSVP.objects.exists()


def test_an_unlisted_event_opens_and_takes_rsvps_with_its_keyed_link(
    client: Client, unlisted: Event
) -> None:
    url = unlisted.get_absolute_url()
    assert url == f"/events/{unlisted.pk}/?key={unlisted.link_key}"
    page = client.get(url).content.decode()
    assert unlisted.title in page
    rsvp_url = unlisted.public_url("events:rsvp")
    assert f'action="{rsvp_url}"' in page
    response = client.post(rsvp_url, rsvp_data(unlisted))
    assert response.status_code == 303
    assert response["Location"] == unlisted.public_url("events:thanks")
    assert client.get(response["Location"]).status_code == 200
    assert RSVP.objects.count() == 1


def test_public_events_open_without_a_key_and_private_ones_not_even_with_it(
    client: Client, action_now: Organization
) -> None:
    public = make_event(action_now)
    assert public.get_absolute_url() == f"/events/{public.pk}/"
    assert client.get(f"/events/{public.pk}/").status_code == 200
    assert client.get(f"/events/{public.pk}/?key=anything").status_code == 200
    private = make_event(action_now, visibility=Event.Visibility.PRIVATE)
    assert client.get(f"/events/{private.pk}/?key={private.link_key}").status_code == 404


def test_the_organizer_sees_the_keyed_link_to_copy_on_the_manage_page(
    client: Client, unlisted: Event, organizer: User
) -> None:
    login(client, organizer)
    page = client.get(f"/manage/action-now/events/{unlisted.pk}/").content.decode()
    assert "Link to share" in page
    assert f"/events/{unlisted.pk}/?key={unlisted.link_key}" in page
