"""Check-in at the door: search, check in, walk-ins, no-shows, figures, who may."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from groundswell.accounts.models import User
from groundswell.events import actions
from groundswell.events.models import RSVP, Event, Shift
from groundswell.organizations.models import Organization
from groundswell.people.models import Consent, Supporter
from tests.conftest import login
from tests.events.conftest import make_event, rsvp_as

pytestmark = pytest.mark.django_db


def checkin_url(organization: Organization, event: Event) -> str:
    return f"/manage/{organization.slug}/events/{event.pk}/check-in/"


def test_search_finds_by_name_or_email_prefix_and_shows_contact_only_with_consent(
    client: Client, event: Event, organizer: User, action_now: Organization
) -> None:
    ana = rsvp_as(
        event,
        "ana@example.org",
        first_name="Ana",
        last_name="Reyes",
        consents=[action_now.pk],
        phone="312-555-0100",
    ).rsvp
    actions.confirm_email(ana)  # her consent applies once she confirms her address
    rsvp_as(event, "anita@example.org", first_name="Anita", last_name="Cruz")
    login(client, organizer)
    page = client.get(checkin_url(action_now, event), {"q": "an"}).content.decode()
    assert "Ana Reyes" in page and "Anita Cruz" in page
    assert "ana@example.org" in page  # she agreed to hear from Action Now
    assert "anita@example.org" not in page  # she did not
    page = client.get(checkin_url(action_now, event), {"q": "ana re"}).content.decode()
    assert "Ana Reyes" in page and "Anita Cruz" not in page
    page = client.get(checkin_url(action_now, event), {"q": "ana@"}).content.decode()
    assert "Ana Reyes" in page  # her address, which Action Now may see
    page = client.get(checkin_url(action_now, event), {"q": "anita@"}).content.decode()
    assert "Anita Cruz" not in page  # an address it may not see is not searched


def test_checking_in_records_attendance(
    client: Client, event: Event, organizer: User, action_now: Organization
) -> None:
    rsvp = rsvp_as(event, "ana@example.org").rsvp
    login(client, organizer)
    response = client.post(f"{checkin_url(action_now, event)}{rsvp.pk}/", {"q": "ana"})
    assert response.status_code == 303
    assert response["Location"].endswith("?q=ana")
    rsvp.refresh_from_db()
    assert rsvp.attendance == "attended" and rsvp.checked_in_at is not None
    client.post(f"{checkin_url(action_now, event)}{rsvp.pk}/undo/")
    rsvp.refresh_from_db()
    assert rsvp.attendance == "" and rsvp.checked_in_at is None


def test_someone_from_the_waitlist_who_came_takes_a_seat(
    action_now: Organization,
) -> None:
    event = make_event(action_now, capacity=1)
    rsvp_as(event, "one@example.org")
    waiting = rsvp_as(event, "two@example.org").rsvp
    assert actions.check_in(waiting)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.attendance) == ("confirmed", "attended")
    assert not actions.check_in(waiting)


def test_undoing_a_waitlisted_check_in_puts_them_back_on_the_waitlist(
    action_now: Organization,
) -> None:
    """The review's finding: undone, they stayed confirmed ("3 of 1 spots taken")."""
    event = make_event(action_now, capacity=1)
    rsvp_as(event, "one@example.org")
    waiting = rsvp_as(event, "two@example.org").rsvp
    shift = event.shifts.get()
    assert actions.check_in(waiting)
    assert actions.undo_check_in(waiting)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.attendance, waiting.checked_in_at) == ("waitlisted", "", None)
    assert shift.taken_seats() == 1
    assert not actions.undo_check_in(waiting)  # nothing to undo


def test_undoing_a_late_check_in_of_a_no_show_restores_the_no_show(
    action_now: Organization,
) -> None:
    event = make_event(action_now)
    rsvp = rsvp_as(event, "late@example.org").rsvp
    RSVP.objects.filter(pk=rsvp.pk).update(attendance=RSVP.Attendance.NO_SHOW)
    rsvp.refresh_from_db()
    assert actions.check_in(rsvp)
    assert actions.undo_check_in(rsvp)
    rsvp.refresh_from_db()
    assert rsvp.attendance == "no_show"


def test_a_walk_in_is_recorded_as_attended_and_known_to_the_organization(
    client: Client,
    event: Event,
    shift: Shift,
    organizer: User,
    action_now: Organization,
    ocad: Organization,
) -> None:
    login(client, organizer)
    response = client.post(
        f"/manage/action-now/events/{event.pk}/walk-in/",
        {
            "first_name": "Luis",
            "last_name": "Soto",
            "email": "luis@example.org",
            "phone": "",
            "shift": shift.pk,
            "consent": "on",
        },
    )
    assert response.status_code == 303
    walk_in = RSVP.objects.get(email="luis@example.org")
    assert (walk_in.status, walk_in.attendance, walk_in.source) == (
        "confirmed",
        "attended",
        "walk-in",
    )
    supporter = Supporter.objects.get(person=walk_in.person)
    assert supporter.organization == action_now and supporter.email == "luis@example.org"
    assert Consent.objects.filter(person=walk_in.person, organization=action_now).exists()
    assert not Supporter.objects.filter(organization=ocad).exists()


def test_a_walk_in_without_contact_details_and_a_walk_in_who_had_rsvped(
    event: Event, shift: Shift, action_now: Organization
) -> None:
    nameless = actions.add_walk_in(shift, organization=action_now, first_name="Rosa")
    assert nameless.person is None and nameless.attendance == "attended"
    rsvped = rsvp_as(event, "ana@example.org").rsvp
    again = actions.add_walk_in(
        shift, organization=action_now, first_name="Ana", email="Ana@example.org"
    )
    assert again.pk == rsvped.pk
    assert RSVP.objects.filter(event=event).count() == 2


def test_walk_in_bad_input_is_explained(
    client: Client, event: Event, shift: Shift, organizer: User
) -> None:
    login(client, organizer)
    response = client.post(
        f"/manage/action-now/events/{event.pk}/walk-in/",
        {"first_name": "", "email": "", "shift": shift.pk, "consent": "on"},
    )
    assert response.status_code == 400
    assert "To email them, we need their email address." in response.content.decode()
    assert RSVP.objects.count() == 0


def test_no_shows_and_figures_per_shift_and_event(
    client: Client, action_now: Organization, organizer: User
) -> None:
    event = make_event(action_now, capacity=3)
    second = actions.add_shift(
        event,
        starts_at=timezone.now() + datetime.timedelta(days=5),
        ends_at=timezone.now() + datetime.timedelta(days=5, hours=2),
        capacity=None,
    )
    first = event.shifts.order_by("starts_at").first()
    assert first is not None
    came = rsvp_as(event, "came@example.org", shift=first, guests=1).rsvp
    rsvp_as(event, "stayed-home@example.org", shift=first)
    rsvp_as(event, "later@example.org", shift=second)
    actions.check_in(came)
    actions.add_walk_in(first, organization=action_now, first_name="Walker")
    # The first shift ends; the second is still ahead.
    Shift.objects.filter(pk=first.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    assert actions.mark_no_shows(event) == 1
    assert dict(RSVP.objects.values_list("email", "attendance"))["later@example.org"] == ""
    figures = {s.pk: s for s in event.shifts.with_figures()}
    assert (figures[first.pk].attended_count, figures[first.pk].no_show_count) == (2, 1)
    assert (figures[first.pk].walk_in_count, figures[first.pk].seats_taken) == (1, 4)
    login(client, organizer)
    page = client.get(f"/manage/action-now/events/{event.pk}/").content.decode()
    assert "Attendance, all shifts" in page


def test_a_co_host_checks_people_in_but_cannot_edit(
    client: Client, event: Event, ocad_organizer: User
) -> None:
    rsvp = rsvp_as(event, "ana@example.org").rsvp
    login(client, ocad_organizer)
    assert client.get(f"/manage/ocad/events/{event.pk}/check-in/").status_code == 200
    assert client.post(f"/manage/ocad/events/{event.pk}/check-in/{rsvp.pk}/").status_code == 303
    assert client.get(f"/manage/ocad/events/{event.pk}/edit/").status_code == 403
    assert client.post(f"/manage/ocad/events/{event.pk}/cancel/").status_code == 403
    assert Event.objects.get(pk=event.pk).status == "scheduled"


def test_an_organizer_of_another_organization_sees_nothing(
    client: Client, event: Event, outsider: User, other_org: Organization
) -> None:
    rsvp = rsvp_as(event, "ana@example.org").rsvp
    login(client, outsider)
    assert client.get(f"/manage/action-now/events/{event.pk}/").status_code == 403
    assert client.get(f"/manage/elsewhere/events/{event.pk}/").status_code == 404
    assert client.get(f"/manage/elsewhere/events/{event.pk}/check-in/").status_code == 404
    response = client.post(f"/manage/elsewhere/events/{event.pk}/check-in/{rsvp.pk}/")
    assert response.status_code == 404
    listing = client.get("/manage/elsewhere/events/").content.decode()
    assert event.title not in listing
    assert RSVP.objects.get().attendance == ""


def test_visitors_are_sent_to_log_in(client: Client, event: Event) -> None:
    response = client.get(f"/manage/action-now/events/{event.pk}/check-in/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
