"""Petitions and signatures over the API: owners write, co-sponsors read and record the
signatures they collected; an API signature is verified on the organization's word."""

from __future__ import annotations

import pytest

from groundswell.organizations.models import Organization
from groundswell.people.models import Channel, Consent, Supporter
from groundswell.petitions import actions as petition_actions
from groundswell.petitions.models import Petition, Signature, SignatureState, Status
from tests.api.conftest import ApiClient, add_supporter

pytestmark = pytest.mark.django_db


def test_created_as_a_draft_and_published_by_status(
    api: ApiClient, action_now: Organization
) -> None:
    body = api.post(
        "petitions",
        {"title": "Fund the Peacekeepers", "petition_text": "Do it", "target": [{"name": "Mayor"}]},
    ).json()
    petition = Petition.objects.get(owner=action_now)
    assert body["groundswell:status"] == Status.DRAFT and "browser_url" not in body

    opened = api.put(f"petitions/{petition.pk}", {"groundswell:status": "open"}).json()

    assert opened["groundswell:status"] == Status.OPEN
    assert opened["browser_url"].endswith(petition.get_absolute_url())
    assert api.put(f"petitions/{petition.pk}", {"groundswell:status": "draft"}).status_code == 400


def test_an_open_petition_without_a_decision_maker_is_refused_and_nothing_is_created(
    api: ApiClient,
) -> None:
    response = api.post(
        "petitions",
        {"title": "Fund the Peacekeepers", "petition_text": "Do it", "groundswell:status": "open"},
    )

    assert response.status_code == 400
    assert response.json()["error"] == "Add at least one decision maker before publishing."
    assert not Petition.objects.exists()


def test_a_won_petition_is_not_reopened_by_status(api: ApiClient, petition: Petition) -> None:
    petition_actions.declare_victory(petition)

    response = api.put(f"petitions/{petition.pk}", {"groundswell:status": "open"})

    assert response.status_code == 400
    assert response.json()["error"] == "Only a closed petition can be reopened."
    petition.refresh_from_db()
    assert petition.status == Status.WON


def test_a_co_sponsor_reads_but_cannot_change_the_petition(
    ocad_api: ApiClient, petition: Petition
) -> None:
    assert ocad_api.get(f"petitions/{petition.pk}").json()["title"] == petition.title

    response = ocad_api.put(f"petitions/{petition.pk}", {"title": "Changed"})

    assert response.status_code == 403
    petition.refresh_from_db()
    assert petition.title != "Changed"


def test_an_outsiders_token_does_not_see_the_petition(
    client: object, other_org: Organization, petition: Petition
) -> None:
    from django.test import Client

    from tests.api.conftest import token_for

    outsider = ApiClient(Client(), token_for(other_org))
    assert outsider.get(f"petitions/{petition.pk}").status_code == 404
    assert outsider.get("petitions").json()["total_records"] == 0


def test_record_signature_helper_with_a_person_hash(
    api: ApiClient, action_now: Organization, ocad: Organization, petition: Petition
) -> None:
    response = api.post(
        f"petitions/{petition.pk}/signatures",
        {
            "person": {
                "given_name": "Ana",
                "email_addresses": [{"address": "ana@example.org", "status": "subscribed"}],
                "postal_addresses": [{"postal_code": "60608"}],
            },
            "comments": "For my block",
            "add_tags": ["signer"],
        },
    )

    assert response.status_code == 200
    signature = Signature.objects.get(petition=petition)
    assert signature.state == SignatureState.VERIFIED and signature.verified_at is not None
    assert signature.source == "api:action-now" and not signature.verification_due
    assert signature.consents == [action_now.pk]
    assert Consent.objects.get(organization=action_now, channel=Channel.EMAIL).source == "api"
    # The co-sponsor learns of the signer, but not their email: no consent to it.
    co_sponsor_record = Supporter.objects.get(organization=ocad)
    assert co_sponsor_record.first_name == "Ana" and co_sponsor_record.email == ""
    assert api.get(f"petitions/{petition.pk}/signatures").json()["total_records"] == 1


def test_record_signature_helper_with_a_person_link(
    api: ApiClient, action_now: Organization, petition: Petition
) -> None:
    ana = add_supporter(action_now, "Ana")
    href = f"http://testserver/api/v2/people/{ana.pk}"

    first = api.post(
        f"petitions/{petition.pk}/signatures", {"_links": {"osdi:person": {"href": href}}}
    )
    again = api.post(
        f"petitions/{petition.pk}/signatures", {"_links": {"osdi:person": {"href": href}}}
    )

    assert first.status_code == again.status_code == 200
    assert first.json()["identifiers"] == again.json()["identifiers"]
    assert Signature.objects.filter(petition=petition).count() == 1
    assert api.get(f"people/{ana.pk}/signatures").json()["total_records"] == 1


def test_a_signature_for_someone_the_organization_does_not_know_is_refused(
    api: ApiClient, ocad: Organization, petition: Petition
) -> None:
    theirs = add_supporter(ocad, "Ana")

    response = api.post(
        f"petitions/{petition.pk}/signatures",
        {"_links": {"osdi:person": {"href": f"http://testserver/api/v2/people/{theirs.pk}"}}},
    )

    assert response.status_code == 404
    assert not Signature.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"_links": {"osdi:person": {"href": "http://testserver/api/v2/tags/1"}}},
        {"person": {"phone_numbers": [{"number": "3125550123"}]}},
        {"person": {"email_addresses": [{"address": "a@example.org"}]}, "comments": 5},
    ],
)
def test_a_bad_signature_is_a_400_and_changes_nothing(
    api: ApiClient, petition: Petition, body: dict
) -> None:
    response = api.post(f"petitions/{petition.pk}/signatures", body)

    assert response.status_code == 400, response.content
    assert not Signature.objects.exists()
    assert not Supporter.objects.exists()


def test_unconfirmed_web_signatures_are_not_served(
    api: ApiClient, action_now: Organization, petition: Petition
) -> None:
    from groundswell.petitions import actions as petition_actions

    petition_actions.record_signature(
        petition,
        first_name="Ana",
        last_name="R",
        email="ana@example.org",
        email_normalized="ana@example.org",
        zip_code="60608",
        send_email=False,
    )

    assert api.get(f"petitions/{petition.pk}/signatures").json()["total_records"] == 0
