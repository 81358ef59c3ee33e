"""The real Parsons ActionNetwork connector against a live Groundswell: only its base URL
changed. Where Parsons itself is broken (create_signature sends no JSON body), the test
shows the failure and the working alternative documented in docs/api.md."""

from __future__ import annotations

import datetime
import time
from typing import Any

import pytest
import requests
from parsons import ActionNetwork
from parsons.utilities.api_connector import APIConnector

from groundswell.organizations.models import Organization
from groundswell.people.models import Channel, Consent, Supporter, Tagging
from groundswell.petitions.models import Petition, Signature, SignatureState
from tests.api.conftest import add_supporter, person_id, token_for


def connect(base_url: str, token: str) -> ActionNetwork:
    client = ActionNetwork(api_token=token)
    client.api_url = f"{base_url}/api/v2"
    client.api = APIConnector(client.api_url, headers=client.headers)
    return client


@pytest.fixture
def an(live_server: Any, action_now: Organization) -> ActionNetwork:
    return connect(live_server.url, token_for(action_now))


def an_id(row: dict[str, Any]) -> str:
    return next(i for i in row["identifiers"] if i.startswith("action_network:")).split(":")[1]


def test_upsert_person_adds_then_updates_the_same_supporter(
    an: ActionNetwork, action_now: Organization
) -> None:
    created = an.upsert_person(
        email_address=[{"address": "ana.reyes@example.org", "status": "subscribed"}],
        given_name="Ana",
        family_name="Reyes",
        mobile_number="(312) 555-0123",
        postal_addresses=[{"postal_code": "60608", "region": "IL"}],
        languages_spoken=["es"],
        tags=["volunteer"],
        ward="25",
    )
    updated = an.upsert_person(email_address="ana.reyes@example.org", family_name="Reyes-Lopez")

    assert an_id(created) == an_id(updated)
    supporter = Supporter.objects.get(organization=action_now)
    assert (supporter.first_name, supporter.last_name) == ("Ana", "Reyes-Lopez")
    assert supporter.phone == "+13125550123"
    assert supporter.custom_fields == {"ward": "25"}
    assert supporter.language == "es"
    consent = Consent.objects.get(organization=action_now, channel=Channel.EMAIL)
    assert consent.source == "api" and consent.withdrawn_at is None
    assert Tagging.objects.filter(tag__name="volunteer", person=supporter.person).exists()

    person = an.get_person(an_id(created))
    assert person["email_addresses"][0]["address"] == "ana.reyes@example.org"
    assert person["custom_fields"] == {"ward": "25"}


def test_people_it_upserted_come_back_from_get_people_with_their_status(
    an: ActionNetwork, action_now: Organization
) -> None:
    # As a sync from a data warehouse sends them: no status, then one said unsubscribed.
    an.upsert_person(email_address="new@example.org")
    an.upsert_person(
        email_address=[{"address": "gone@example.org", "status": "unsubscribed"}],
        given_name="Gone",
    )

    synced = {row["email_addresses"][0]["address"]: row for row in an.get_people()}

    assert set(synced) == {"new@example.org", "gone@example.org"}
    assert synced["new@example.org"]["email_addresses"][0]["status"] == "subscribed"
    assert synced["gone@example.org"]["email_addresses"][0]["status"] == "unsubscribed"
    found = an.get_people(filter="email_address eq 'gone@example.org'")
    assert [row["given_name"] for row in found] == ["Gone"]
    consent = Consent.objects.get(organization=action_now, person__email="new@example.org")
    assert (consent.source, consent.withdrawn_at) == ("api", None)


def test_unsubscribed_withdraws_consent(an: ActionNetwork, action_now: Organization) -> None:
    add_supporter(action_now, "Cara", email="cara@example.org", consent=True)

    an.upsert_person(email_address=[{"address": "cara@example.org", "status": "unsubscribed"}])

    consent = Consent.objects.get(organization=action_now, channel=Channel.EMAIL)
    assert consent.withdrawn_at is not None and consent.withdrawn_source == "api"


def test_get_people_reads_every_page(an: ActionNetwork, action_now: Organization) -> None:
    for number in range(30):
        add_supporter(action_now, f"Person{number}", consent=number % 2 == 0)

    people = an.get_people()
    assert people.num_rows == 30
    assert len({an_id(row) for row in people}) == 30
    assert an.get_people(per_page=10, page=3)["_embedded"]["osdi:people"] != []
    assert an.get_people(per_page=10, page=4)["_embedded"]["osdi:people"] == []


def test_a_modified_date_filter_gives_an_incremental_sync(
    an: ActionNetwork, action_now: Organization
) -> None:
    add_supporter(action_now, "Old", consent=True)
    changed = add_supporter(action_now, "Changing", consent=True)
    time.sleep(1.1)
    since = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    an.update_person(changed.pk, given_name="Changed", custom_fields={"ward": "12"})

    recent = an.get_people(filter=f"modified_date gt '{since}'")

    assert [row["given_name"] for row in recent] == ["Changed"]
    assert recent[0]["custom_fields"] == {"ward": "12"}


def test_another_organizations_token_sees_none_of_them(
    live_server: Any, an: ActionNetwork, action_now: Organization, ocad: Organization
) -> None:
    add_supporter(action_now, "Ana", consent=True)
    theirs = connect(live_server.url, token_for(ocad))

    assert theirs.get_people().num_rows == 0
    with pytest.raises(requests.HTTPError):
        theirs.get_person(Supporter.objects.get().pk)


def test_tags_and_taggings(an: ActionNetwork, action_now: Organization) -> None:
    ana = add_supporter(action_now, "Ana", consent=True)
    tag = an.add_tag("volunteer")
    tag_id = an_id(tag)

    assert [row["name"] for row in an.get_tags()] == ["volunteer"]
    tagging = an.create_tagging(
        tag_id, {"_links": {"osdi:person": {"href": f"{an.api_url}/people/{ana.pk}"}}}
    )
    assert tagging["_links"]["osdi:person"]["href"].endswith(f"/people/{ana.pk}")
    assert an.get_taggings(tag_id).num_rows == 1

    deleted = an.delete_tagging(tag_id, an_id(tagging))

    assert "deleted" in deleted["notice"]
    assert an.get_taggings(tag_id).num_rows == 0
    assert not Tagging.objects.exists()


def test_petitions_created_read_and_signed_across_pages(
    an: ActionNetwork, action_now: Organization
) -> None:
    created = an.create_petition(
        title="Fund the Peacekeepers",
        description="Violence prevention works.",
        petition_text="Put $10M into community violence intervention.",
        target=[{"name": "Brandon Johnson", "title": "Mayor"}],
    )
    petition_id = an_id(created)
    assert an.get_petition(petition_id)["title"] == "Fund the Peacekeepers"
    assert [row["title"] for row in an.get_petitions()] == ["Fund the Peacekeepers"]

    for number in range(30):
        # Parsons' create_signature sends no body (see the next test): post the JSON.
        an.api.post_request(
            url=f"petitions/{petition_id}/signatures",
            json={
                "person": {
                    "given_name": f"Signer{number}",
                    "email_addresses": [{"address": f"signer{number}@example.org"}],
                    "postal_addresses": [{"postal_code": "60608"}],
                },
                "comments": "Yes",
            },
        )

    signatures = an.get_petition_signatures(petition_id)
    assert signatures.num_rows == 30
    assert an.get_petition_signatures(petition_id, per_page=10, page=3)["page"] == 3
    petition = Petition.objects.get(pk=petition_id)
    assert petition.signatures.filter(state=SignatureState.VERIFIED).count() == 30
    assert set(petition.signatures.values_list("source", flat=True)) == {"api:action-now"}
    signer = Supporter.objects.get(organization=action_now, first_name="Signer0")
    assert an.get_person_signatures(signer.pk).num_rows == 1


def test_parsons_create_signature_sends_no_body_and_changes_nothing(
    an: ActionNetwork, action_now: Organization
) -> None:
    ana = add_supporter(action_now, "Ana", consent=True)
    petition = an.create_petition("A petition", "", "Text", "Mayor")

    with pytest.raises(requests.HTTPError):
        an.create_signature(
            an_id(petition),
            {"_links": {"osdi:person": {"href": f"{an.api_url}/people/{ana.pk}"}}},
        )

    assert not Signature.objects.exists()


def test_metadata_custom_fields_and_lists(an: ActionNetwork, action_now: Organization) -> None:
    an.upsert_person(email_address="ana@example.org", ward="25", language_note="es")

    assert an.get_metadata()["name"] == "Action Now"
    names = [field["name"] for field in an.get_custom_fields()["action_network:custom_fields"]]
    assert names == ["language_note", "ward"]
    assert an.get_lists().num_rows == 0


def test_the_person_id_is_the_supporter_id(an: ActionNetwork, action_now: Organization) -> None:
    response = an.upsert_person(email_address="ana@example.org")

    assert person_id(response) == Supporter.objects.get(organization=action_now).pk


def test_events_and_attendances(an: ActionNetwork, action_now: Organization) -> None:
    from groundswell.events.models import Event
    from tests.events.conftest import make_event, rsvp_as

    rally = make_event(action_now, title="Rally", capacity=None)
    make_event(action_now, title="Planning", visibility=Event.Visibility.PRIVATE)
    for number in range(30):
        rsvp_as(rally, f"guest{number}@example.org")

    assert sorted(row["title"] for row in an.get_events()) == ["Planning", "Rally"]
    event = an.get_event(rally.pk)
    assert event["title"] == "Rally" and event["total_accepted"] == 30
    attendances = an.get_event_attendances(rally.pk)
    assert attendances.num_rows == 30
    assert {row["status"] for row in attendances} == {"accepted"}
    assert an.get_event_attendances(rally.pk, per_page=10, page=3)["page"] == 3
    guest = Supporter.objects.get(organization=action_now, first_name="Guest0")
    assert an.get_person_attendances(guest.pk).num_rows == 1


def test_parsons_create_attendance_sends_no_body_and_changes_nothing(
    an: ActionNetwork, action_now: Organization
) -> None:
    from groundswell.events.models import RSVP
    from tests.events.conftest import make_event

    ana = add_supporter(action_now, "Ana", consent=True)
    event = make_event(action_now)
    link = {"_links": {"osdi:person": {"href": f"{an.api_url}/people/{ana.pk}"}}}

    with pytest.raises(requests.HTTPError):
        an.create_attendance(event.pk, link)  # Parsons puts the payload in the query string

    assert not RSVP.objects.exists()
    made = an.api.post_request(url=f"events/{event.pk}/attendances", json=link)
    assert made["status"] == "accepted"
    assert RSVP.objects.get().source == "api:action-now"


def test_forms_and_submissions(an: ActionNetwork, action_now: Organization) -> None:
    from tests.api.test_forms import confirmed_signup

    signup = confirmed_signup(action_now, "ana@example.org")

    forms = an.get_forms()
    assert forms.num_rows == 1
    form_id = an_id(forms[0])
    assert an.get_form(form_id)["total_submissions"] == 1
    submissions = an.get_form_submissions(form_id)
    assert [an_id(row) for row in submissions] == [str(signup.pk)]
    supporter = Supporter.objects.get(organization=action_now, first_name="Ana")
    assert an.get_person_submissions(supporter.pk).num_rows == 1
