"""People over the API: what an organization sees (its own record, contact details only
with consent), the signup helper, PUT, filters, and bad input that changes nothing."""

from __future__ import annotations

import pytest

from groundswell.api.http import MAX_BODY_BYTES
from groundswell.organizations.models import Organization
from groundswell.people import actions as people_actions
from groundswell.people.models import Channel, Consent, Supporter
from groundswell.petitions.models import Petition
from tests.api.conftest import ApiClient, add_supporter, person_id
from tests.petitions.test_export import sign

pytestmark = pytest.mark.django_db


def people(api: ApiClient, **params: str) -> list[dict]:
    response = api.get("people", params)
    assert response.status_code == 200, response.content
    return response.json()["_embedded"]["osdi:people"]


def given_by_them(organization: Organization, first_name: str, **fields: str) -> Supporter:
    """Someone who acted on one of the organization's actions (a form, a signature)
    without agreeing to hear from it: what they gave it stays hidden from it."""
    email = fields.pop("email", f"{first_name.lower()}@example.org")
    person = people_actions.record_person(email=email, first_name=first_name)
    return people_actions.link(
        person, organization, source="form", first_name=first_name, email=email, **fields
    )


def test_contact_details_where_the_organization_sees_them(
    api: ApiClient, action_now: Organization
) -> None:
    add_supporter(
        action_now,
        "Ana",
        consent=True,
        phone="3125550123",
        address="1 Main St",
        city="Chicago",
        zip_code="60608",
    )
    add_supporter(
        action_now, "Ben", phone="3125550199", address="2 Main St", city="Chicago", zip_code="60609"
    )
    given_by_them(action_now, "Cy", phone="3125550111", address="3 Main St", zip_code="60610")

    ana, ben, cy = sorted(people(api), key=lambda p: p["given_name"])

    assert ana["email_addresses"] == [
        {"primary": True, "address": "ana@example.org", "status": "subscribed"}
    ]
    assert ana["phone_numbers"][0]["number"] == "+13125550123"
    assert ana["postal_addresses"][0]["address_lines"] == ["1 Main St"]
    # Typed in by the organization itself: its own, given back with the true status.
    assert ben["email_addresses"] == [
        {"primary": True, "address": "ben@example.org", "status": "unsubscribed"}
    ]
    assert ben["phone_numbers"][0]["number"] == "+13125550199"
    assert ben["postal_addresses"][0]["address_lines"] == ["2 Main St"]
    # Given by the person, without consent: hidden.
    assert cy["email_addresses"] == [] and cy["phone_numbers"] == []
    assert cy["postal_addresses"] == [{"primary": True, "postal_code": "60610"}]
    assert "cy@example.org" not in api.get("people").content.decode()


def test_the_id_is_the_supporter_and_other_organizations_see_nothing(
    api: ApiClient, ocad_api: ApiClient, action_now: Organization, ocad: Organization
) -> None:
    ana = add_supporter(action_now, "Ana", consent=True)
    add_supporter(ocad, "Ana", email="ana@example.org", consent=True)

    assert [person_id(p) for p in people(api)] == [ana.pk]
    assert ocad_api.get(f"people/{ana.pk}").status_code == 404
    assert api.get(f"people/{ana.pk}").json()["given_name"] == "Ana"


def test_an_organization_sees_only_what_it_was_given(
    api: ApiClient, action_now: Organization, ocad: Organization
) -> None:
    add_supporter(ocad, "Ana", email="ana@example.org", last_name="Reyes", zip_code="60608")

    body = api.post(
        "people", {"person": {"email_addresses": [{"address": "ana@example.org"}]}}
    ).json()

    assert body["given_name"] == "" and body["family_name"] == ""
    assert body["postal_addresses"] == []


def test_filters(api: ApiClient, action_now: Organization) -> None:
    ana = add_supporter(action_now, "Ana", consent=True)
    given_by_them(action_now, "Ben")

    def names(text: str) -> list[str]:
        return sorted(p["given_name"] for p in people(api, filter=text))

    assert names("email_address eq 'ana@example.org'") == ["Ana"]
    assert names("email eq 'ANA@example.org'") == ["Ana"]
    assert names("email_address eq 'ben@example.org'") == []  # not contactable
    assert names(f"identifiers eq 'groundswell:{ana.pk}'") == ["Ana"]
    assert names(f"identifiers eq 'action_network:{ana.pk}'") == ["Ana"]
    assert names(f"identifiers ne 'groundswell:{ana.pk}'") == ["Ben"]
    assert names("created_date gt '2000-01-01' and modified_date lt '2999-01-01'") == ["Ana", "Ben"]
    assert names(
        "(email eq 'ana@example.org' or email eq 'x@example.org')"
        " and created_date ge '2000-01-01T00:00:00Z'"
    ) == ["Ana"]


@pytest.mark.parametrize(
    "text",
    [
        "given_name eq 'Ana'",
        "modified_date gt 'yesterday'",
        "email_address",
        "(created_date gt '2020-01-01'",
        "email_address gt 'a'",
    ],
)
def test_a_bad_filter_is_a_400_that_says_why(api: ApiClient, text: str) -> None:
    response = api.get("people", {"filter": text})

    assert response.status_code == 400
    assert response.json()["error"].startswith("filter:")


def test_paging_past_the_end_is_empty_not_404(api: ApiClient, action_now: Organization) -> None:
    for name in ("Ana", "Ben", "Cy"):
        add_supporter(action_now, name)

    first = api.get("people", {"per_page": "2"}).json()
    past = api.get("people", {"per_page": "2", "page": "99"})

    assert (first["total_pages"], first["total_records"], first["per_page"]) == (2, 3, 2)
    assert first["_links"]["next"]["href"].endswith("page=2&per_page=2")
    assert past.status_code == 200 and past.json()["_embedded"]["osdi:people"] == []
    assert api.get("people", {"per_page": "500"}).json()["per_page"] == 25
    assert api.get("people", {"page": "0"}).status_code == 400


def test_signup_helper_tags_and_records_consent_from_the_organization(
    api: ApiClient, action_now: Organization
) -> None:
    response = api.post(
        "people?background_processing=true",
        {
            "person": {
                "given_name": "Ana",
                "email_addresses": [{"address": "ana@example.org", "status": "subscribed"}],
                "phone_numbers": [{"number": "312-555-0123", "status": "subscribed"}],
                "custom_fields": {"ward": 25, "captain": True},
            },
            "add_tags": ["volunteer", "ward 25"],
        },
    )

    assert response.status_code == 200
    supporter = Supporter.objects.get(organization=action_now)
    assert supporter.custom_fields == {"ward": "25", "captain": "True"}
    channels = set(Consent.objects.active().filter(source="api").values_list("channel", flat=True))
    assert channels == {Channel.EMAIL, Channel.SMS}
    tags = api.get(f"people/{supporter.pk}/taggings").json()
    assert tags["total_records"] == 2


def test_put_changes_only_what_is_given(api: ApiClient, action_now: Organization) -> None:
    ana = add_supporter(action_now, "Ana", last_name="Reyes", consent=True)
    api.put(f"people/{ana.pk}", {"custom_fields": {"ward": "25", "shift": "am"}})

    response = api.put(
        f"people/{ana.pk}", {"family_name": "Reyes-Lopez", "custom_fields": {"shift": None}}
    )

    assert response.status_code == 200
    ana.refresh_from_db()
    assert (ana.first_name, ana.last_name) == ("Ana", "Reyes-Lopez")
    assert ana.custom_fields == {"ward": "25"}


def test_put_leaves_hidden_contact_details_alone(api: ApiClient, action_now: Organization) -> None:
    ben = given_by_them(action_now, "Ben", city="Chicago")
    luz = add_supporter(action_now, "Luz", city="Chicago")

    for supporter in (ben, luz):
        api.put(f"people/{supporter.pk}", {"postal_addresses": [{"locality": "Evanston"}]})

    ben.refresh_from_db()
    luz.refresh_from_db()
    assert ben.city == "Chicago"  # given by him, hidden: stays as it is
    assert luz.city == "Evanston"  # typed by the organization: its own to change


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        "[]",
        '{"person": {"given_name": 5, "email_addresses": [{"address": "a@example.org"}]}}',
        '{"person": {"email_addresses": [{"address": "a@example.org"}]}, "extra": 1}',
        '{"person": {"email_addresses": [{"address": "a@example.org"}], "nickname": "A"}}',
        '{"person": {"email_addresses": [{"address": "not an address"}]}}',
        '{"person": {"phone_numbers": [{"number": "12"}]}}',
        '{"person": {"given_name": "Ana"}}',
        '{"person": {"given_name": "A\\u0000na",'
        ' "email_addresses": [{"address": "a@example.org"}]}}',
        '{"person": {"email_addresses": [{"address": "a@example.org", "status": "maybe"}]}}',
        '{"person": {"given_name": "'
        + "A" * 101
        + '", "email_addresses": [{"address": "a@example.org"}]}}',
        "",
    ],
)
def test_bad_input_is_a_400_and_changes_nothing(
    api: ApiClient, action_now: Organization, body: str
) -> None:
    response = api.post("people", body)

    assert response.status_code == 400, response.content
    assert response.json()["error"]
    assert not Supporter.objects.exists()


def test_an_oversized_body_is_a_413(api: ApiClient) -> None:
    huge = '{"person": {"given_name": "' + "a" * MAX_BODY_BYTES + '"}}'

    response = api.post("people", huge)

    assert response.status_code == 413
    assert not Supporter.objects.exists()


def test_upsert_matches_by_phone_for_the_organizations_own_record(
    api: ApiClient, action_now: Organization
) -> None:
    supporter = people_actions.add_person(
        action_now, fields={"first_name": "Ben", "phone": "3125550199"}, consent_to_email=False
    ).supporter

    body = api.post("people", {"person": {"phone_numbers": [{"number": "(312) 555-0199"}]}}).json()

    assert person_id(body) == supporter.pk
    assert Supporter.objects.filter(organization=action_now).count() == 1


def test_an_address_the_organization_cannot_see_gets_the_same_answer_as_an_unknown_one(
    ocad_api: ApiClient, petition: Petition, action_now: Organization, ocad: Organization
) -> None:
    # Ana signed Action Now's petition, co-sponsored by OCAD, agreeing to hear from Action
    # Now only: OCAD knows her name and ZIP code, never her address.
    signature = sign(petition, "Ana", consents=[action_now.pk], email="ana@example.org")
    theirs = Supporter.objects.get(organization=ocad, person=signature.person)

    def posted(address: str) -> dict:
        person = {"given_name": "Luz", "email_addresses": [{"address": address}]}
        response = ocad_api.post("people", {"person": person})
        assert response.status_code == 200, response.content
        return response.json()

    def shape(body: dict) -> dict:
        """The answer without what differs for any two records (id, dates, links)."""
        left_out = ("identifiers", "created_date", "modified_date", "_links")
        emails = [{**e, "address": "…"} for e in body["email_addresses"]]
        return {k: v for k, v in body.items() if k not in left_out} | {"email_addresses": emails}

    unknown, known = posted("nobody@example.org"), posted("ana@example.org")

    assert shape(known) == shape(unknown)
    assert person_id(known) != theirs.pk
    assert known["family_name"] == "" and known["postal_addresses"] == []
    assert known["email_addresses"][0]["address"] == "ana@example.org"
    theirs.refresh_from_db()
    assert (theirs.email, theirs.supplied) == ("", {})
    read = ocad_api.get(f"people/{theirs.pk}").json()
    assert (read["given_name"], read["email_addresses"]) == ("Ana", [])


def test_a_new_address_without_a_status_is_subscribed_on_the_organizations_word(
    api: ApiClient, action_now: Organization
) -> None:
    api.post("people", {"person": {"email_addresses": [{"address": "new@example.org"}]}})

    [row] = people(api)
    assert row["email_addresses"] == [
        {"primary": True, "address": "new@example.org", "status": "subscribed"}
    ]
    consent = Consent.objects.get(organization=action_now, channel=Channel.EMAIL)
    assert (consent.source, consent.withdrawn_at) == ("api", None)


def test_the_organization_gets_back_the_addresses_it_sent_with_their_true_status(
    api: ApiClient, action_now: Organization
) -> None:
    luz = add_supporter(action_now, "Luz", consent=True)
    people_actions.withdraw_email_consent(luz.person, action_now, source="unsubscribe link")
    gone = {"address": "gone@example.org", "status": "unsubscribed"}
    api.post("people", {"person": {"given_name": "Gone", "email_addresses": [gone]}})
    # Their own unsubscribe wins over the organization's word, with or without a status.
    for status in ({}, {"status": "subscribed"}):
        address = {"address": "luz@example.org", **status}
        api.post("people", {"person": {"email_addresses": [address]}})

    emails = {row["given_name"]: row["email_addresses"] for row in people(api)}
    assert emails == {
        "Luz": [{"primary": True, "address": "luz@example.org", "status": "unsubscribed"}],
        "Gone": [{"primary": True, "address": "gone@example.org", "status": "unsubscribed"}],
    }
    assert not Consent.objects.active().exists()
