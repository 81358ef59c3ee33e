"""What a hosting organization sees of who RSVPed: names only of people it knows (or
walk-ins it typed in itself), email search only where it may contact them."""

from __future__ import annotations

import pytest
from django.test import Client

from groundswell.accounts.models import User
from groundswell.events import actions
from groundswell.events.manage_views import search_attendees
from groundswell.events.models import RSVP, Event
from groundswell.organizations.models import Organization
from groundswell.people import actions as people_actions
from groundswell.people.models import Person, Supporter
from groundswell.people.rights import actions as rights
from tests.conftest import login
from tests.events.conftest import make_event, rsvp_as

pytestmark = pytest.mark.django_db


def detail_page(client: Client, organization: Organization, event: Event) -> str:
    return client.get(f"/manage/{organization.slug}/events/{event.pk}/").content.decode()


def checkin_page(client: Client, organization: Organization, event: Event, q: str = "") -> str:
    url = f"/manage/{organization.slug}/events/{event.pk}/check-in/"
    return client.get(url, {"q": q} if q else {}).content.decode()


@pytest.fixture
def late_cohosted(action_now: Organization, ocad: Organization) -> Event:
    """Ana RSVPs to Action Now's event; OCAD becomes a co-host only afterwards."""
    event = make_event(action_now)
    rsvp_as(event, "ana@example.org", first_name="Ana", last_name="Reyes")
    actions.update_event(event, hosts=[ocad])
    return event


def test_a_co_host_added_later_sees_an_anonymous_attendee_that_counts_and_checks_in(
    client: Client, late_cohosted: Event, ocad: Organization, ocad_organizer: User
) -> None:
    login(client, ocad_organizer)
    page = detail_page(client, ocad, late_cohosted)
    assert "Ana" not in page and "Reyes" not in page
    assert "Attendee" in page
    assert late_cohosted.shifts.with_figures().get().confirmed_count == 1  # still counts
    assert "Ana" not in checkin_page(client, ocad, late_cohosted, "ana")
    page = checkin_page(client, ocad, late_cohosted)
    assert "Check in this attendee" in page and "Ana" not in page
    rsvp = RSVP.objects.get()
    response = client.post(
        f"/manage/ocad/events/{late_cohosted.pk}/check-in/{rsvp.pk}/", follow=True
    )
    assert "Attendee is checked in" in response.content.decode()
    assert "Ana" not in response.content.decode()
    rsvp.refresh_from_db()
    assert rsvp.attendance == RSVP.Attendance.ATTENDED


def test_the_owner_who_knows_the_person_still_sees_and_finds_the_name(
    client: Client, late_cohosted: Event, action_now: Organization, organizer: User
) -> None:
    login(client, organizer)
    assert "Ana Reyes" in detail_page(client, action_now, late_cohosted)
    assert "Ana Reyes" in checkin_page(client, action_now, late_cohosted, "rey")


def test_searching_by_email_prefix_reveals_no_address_the_organization_may_not_see(
    event: Event, action_now: Organization, ocad: Organization
) -> None:
    rsvp_as(event, "ana.secret@example.org", first_name="Ana", last_name="Reyes")
    # Both hosts know Ana by name (she RSVPed); neither may contact her.
    for prefix in ("ana.", "ana.s", "ana.secret@", "ana.secret@example.org"):
        assert not search_attendees(event, prefix, ocad).exists()
        assert not search_attendees(event, prefix, action_now).exists()
    assert search_attendees(event, "ana", ocad).count() == 1  # her name, which they see


def test_email_search_matches_the_address_the_organization_holds_with_consent(
    event: Event, action_now: Organization, ocad: Organization
) -> None:
    rsvp_as(event, "ana.rsvp@example.org", first_name="Ana", last_name="Reyes")
    person = Person.objects.get()
    people_actions.grant_consent(person, ocad, source="test", claimed=True)
    Supporter.objects.filter(person=person, organization=ocad).update(email="ana.ocad@example.org")
    assert search_attendees(event, "ana.ocad@", ocad).count() == 1
    assert not search_attendees(event, "ana.rsvp@", ocad).exists()  # not what OCAD holds
    assert not search_attendees(event, "ana.ocad@", action_now).exists()  # no consent


def test_after_the_co_host_forgets_someone_it_no_longer_sees_their_name(
    client: Client,
    event: Event,
    ocad: Organization,
    ocad_organizer: User,
    owner: User,
) -> None:
    rsvp_as(event, "ana@example.org", first_name="Ana", last_name="Reyes")
    login(client, ocad_organizer)
    assert "Ana Reyes" in detail_page(client, ocad, event)
    rights.erase_from_organization(Person.objects.get(), ocad, by=ocad_organizer)
    page = detail_page(client, ocad, event)
    assert "Ana" not in page and "Attendee" in page
    assert "Ana" not in checkin_page(client, ocad, event, "ana")
    assert not search_attendees(event, "ana", ocad).exists()
    assert RSVP.objects.get().first_name == "Ana"  # the owner's record stays


def test_a_walk_in_without_contact_details_is_named_only_to_the_organization_that_typed_it(
    client: Client,
    event: Event,
    action_now: Organization,
    ocad: Organization,
    organizer: User,
    ocad_organizer: User,
) -> None:
    login(client, ocad_organizer)
    response = client.post(
        f"/manage/ocad/events/{event.pk}/walk-in/",
        {"shift": event.shifts.get().pk, "first_name": "Walter", "last_name": "Inn"},
        follow=True,
    )
    assert "Walter Inn is checked in" in response.content.decode()
    assert RSVP.objects.get().recorded_by == ocad
    assert "Walter Inn" in detail_page(client, ocad, event)
    assert "Walter Inn" in checkin_page(client, ocad, event, "walt")
    login(client, organizer)
    page = detail_page(client, action_now, event)
    assert "Walter" not in page and "Attendee" in page
    assert not search_attendees(event, "walt", action_now).exists()
