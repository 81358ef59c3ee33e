"""Events and attendances over the API: an organization reads its own and co-hosted
events (never another's private ones) and their RSVPs as attendances, and records
attendance as an RSVP that keeps the event's capacity and waitlist rules."""

from __future__ import annotations

from django.test import Client

from groundswell.events import actions as event_actions
from groundswell.events.models import RSVP, Event
from groundswell.organizations.models import Organization
from groundswell.people.models import Channel, Consent, Supporter
from tests.api.conftest import ApiClient, add_supporter, token_for
from tests.events.conftest import make_event, rsvp_as


def test_the_entry_point_links_events_and_forms(api: ApiClient) -> None:
    links = api.get("").json()["_links"]

    assert links["osdi:events"]["href"].endswith("/api/v2/events")
    assert links["osdi:forms"]["href"].endswith("/api/v2/forms")


def test_own_and_co_hosted_events_but_not_others_private_ones(
    api: ApiClient, action_now: Organization, ocad: Organization
) -> None:
    own = make_event(action_now, title="Rally", capacity=30)
    own_private = make_event(action_now, title="Planning", visibility=Event.Visibility.PRIVATE)
    co_hosted = make_event(ocad, title="Teach-in", hosts=(action_now,))
    make_event(ocad, title="OCAD only", visibility=Event.Visibility.PRIVATE, hosts=(action_now,))
    make_event(ocad, title="Not ours")

    body = api.get("events").json()

    titles = {row["title"] for row in body["_embedded"]["osdi:events"]}
    assert titles == {"Rally", "Planning", "Teach-in"}
    assert body["total_records"] == 3 and body["page"] == 1 and body["total_pages"] == 1
    rally = api.get(f"events/{own.pk}").json()
    shift = own.shifts.get()
    assert rally["identifiers"] == [f"groundswell:{own.pk}", f"action_network:{own.pk}"]
    assert rally["status"] == "confirmed" and rally["visibility"] == "public"
    assert rally["capacity"] == 30 and rally["total_accepted"] == 0
    assert rally["start_date"] == shift.starts_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert rally["location"]["address_lines"] == ["121 N LaSalle St, Chicago, IL 60602"]
    assert rally["browser_url"].endswith(own.get_absolute_url())
    assert rally["_links"]["osdi:attendances"]["href"].endswith(f"/events/{own.pk}/attendances")
    planning = api.get(f"events/{own_private.pk}").json()
    assert planning["visibility"] == "private" and "browser_url" not in planning
    assert api.get(f"events/{co_hosted.pk}").status_code == 200


def test_another_organizations_private_event_is_a_404_like_a_missing_one(
    action_now: Organization, other_org: Organization
) -> None:
    private = make_event(action_now, visibility=Event.Visibility.PRIVATE)
    rsvp_as(private, "ana@example.org")
    outsider = ApiClient(Client(), token_for(other_org))

    hidden = outsider.get(f"events/{private.pk}")
    missing = outsider.get(f"events/{private.pk + 1000}")
    attendances = outsider.get(f"events/{private.pk}/attendances")

    assert hidden.status_code == missing.status_code == attendances.status_code == 404
    assert hidden.json() == missing.json()
    assert outsider.get("events").json()["total_records"] == 0
    assert outsider.get("events").json()["_embedded"] == {"osdi:events": []}


def test_cancelled_event_and_a_filter_on_modified_date(
    api: ApiClient, action_now: Organization
) -> None:
    event = make_event(action_now)
    event_actions.cancel_event(event)

    assert api.get(f"events/{event.pk}").json()["status"] == "cancelled"
    later = api.get("events", {"filter": "modified_date gt '2999-01-01'"}).json()
    assert later["total_records"] == 0 and later["_embedded"] == {"osdi:events": []}
    assert api.get("events", {"filter": "title eq 'x'"}).status_code == 400


def test_rsvps_are_attendances_linked_to_the_supporter(
    api: ApiClient, action_now: Organization, ocad: Organization
) -> None:
    event = make_event(action_now, capacity=1, hosts=(ocad,))
    seated = rsvp_as(event, "ana@example.org").rsvp
    waiting = rsvp_as(event, "ben@example.org").rsvp
    gone = rsvp_as(event, "cara@example.org").rsvp
    event_actions.cancel_rsvp(gone)
    event_actions.check_in(seated)

    body = api.get(f"events/{event.pk}/attendances").json()

    rows = {row["identifiers"][0]: row for row in body["_embedded"]["osdi:attendances"]}
    assert body["total_records"] == 3
    ana = rows[f"groundswell:{seated.pk}"]
    assert ana["status"] == "accepted" and ana["attended"] is True
    assert rows[f"groundswell:{waiting.pk}"]["status"] == "tentative"
    assert rows[f"groundswell:{gone.pk}"]["status"] == "declined"
    supporter = Supporter.objects.get(organization=action_now, person=seated.person)
    assert ana["_links"]["osdi:person"]["href"].endswith(f"/people/{supporter.pk}")
    assert ana["_links"]["osdi:event"]["href"].endswith(f"/events/{event.pk}")
    one = api.get(f"events/{event.pk}/attendances/{seated.pk}").json()
    assert one["identifiers"] == ana["identifiers"]
    mine = api.get(f"people/{supporter.pk}/attendances").json()
    assert [row["identifiers"] for row in mine["_embedded"]["osdi:attendances"]] == [
        ana["identifiers"]
    ]
    assert api.get(f"events/{event.pk}").json()["total_accepted"] == 1
    # The co-host links to its own supporter record of the same person.
    ocad_api = ApiClient(Client(), token_for(ocad))
    theirs = ocad_api.get(f"events/{event.pk}/attendances/{seated.pk}").json()
    ocad_supporter = Supporter.objects.get(organization=ocad, person=seated.person)
    assert theirs["_links"]["osdi:person"]["href"].endswith(f"/people/{ocad_supporter.pk}")


def test_an_attendance_of_another_event_is_not_found(
    api: ApiClient, action_now: Organization, other_org: Organization
) -> None:
    ours = make_event(action_now)
    theirs = make_event(other_org)
    rsvp = rsvp_as(theirs, "ana@example.org").rsvp

    assert api.get(f"events/{ours.pk}/attendances/{rsvp.pk}").status_code == 404
    assert api.get(f"events/{theirs.pk}/attendances/{rsvp.pk}").status_code == 404


def test_record_attendance_with_a_person_hash(api: ApiClient, action_now: Organization) -> None:
    event = make_event(action_now, capacity=1, waitlist=True)
    body = {
        "person": {
            "given_name": "Ana",
            "email_addresses": [{"address": "ana@example.org", "status": "subscribed"}],
        },
        "add_tags": ["rsvp"],
    }

    first = api.post(f"events/{event.pk}/attendances", body)
    again = api.post(f"events/{event.pk}/attendances", body)
    second = api.post(
        f"events/{event.pk}/attendances",
        {"person": {"given_name": "Ben", "email_addresses": [{"address": "ben@example.org"}]}},
    )

    assert first.status_code == 200, first.content
    assert first.json()["status"] == "accepted"
    assert again.json()["identifiers"] == first.json()["identifiers"]
    assert second.json()["status"] == "tentative"  # full: the waitlist
    rsvp = RSVP.objects.get(email="ana@example.org")
    assert rsvp.source == "api:action-now" and rsvp.status == RSVP.Status.CONFIRMED
    assert RSVP.objects.filter(event=event).count() == 2
    ben = Supporter.objects.get(organization=action_now, first_name="Ben")
    # A new address without a status is subscribed on the organization's word.
    consents = Consent.objects.filter(organization=action_now, channel=Channel.EMAIL)
    assert set(consents.values_list("source", flat=True)) == {"api"}
    assert consents.filter(person=ben.person).exists()


def test_record_attendance_with_a_person_link_and_refusals(
    api: ApiClient, action_now: Organization
) -> None:
    ana = add_supporter(action_now, "Ana", consent=True)
    event = make_event(action_now, capacity=1, waitlist=False)
    rsvp_as(event, "ben@example.org")
    link = {"_links": {"osdi:person": {"href": f"http://testserver/api/v2/people/{ana.pk}"}}}

    full = api.post(f"events/{event.pk}/attendances", link)

    assert full.status_code == 400 and "full" in full.json()["error"]
    assert not RSVP.objects.filter(email=ana.email).exists()
    roomy = make_event(action_now, capacity=None)
    made = api.post(f"events/{roomy.pk}/attendances", link)
    assert made.status_code == 200
    assert made.json()["_links"]["osdi:person"]["href"].endswith(f"/people/{ana.pk}")
    event_actions.cancel_event(roomy)
    assert api.post(f"events/{roomy.pk}/attendances", link).status_code == 400
    assert api.post(f"events/{roomy.pk}/attendances", {}).status_code == 400
    assert api.post(f"events/{event.pk}/attendances", {"groundswell:shift": 1}).status_code == 400


def test_another_organization_cannot_record_attendance(
    action_now: Organization, other_org: Organization
) -> None:
    event = make_event(action_now, visibility=Event.Visibility.PRIVATE)
    outsider = ApiClient(Client(), token_for(other_org))

    response = outsider.post(
        f"events/{event.pk}/attendances",
        {"person": {"email_addresses": [{"address": "x@example.org"}]}},
    )

    assert response.status_code == 404
    assert not RSVP.objects.exists()
