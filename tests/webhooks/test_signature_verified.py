"""signature.verified: a confirmed signature reaches the endpoints of the petition's
owner and co-sponsors, each seeing the signer as the OSDI API serves them to it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from groundswell.api import actions as api_actions
from groundswell.organizations.models import Organization
from groundswell.people.models import Supporter
from groundswell.people.signals import supporter_changed
from groundswell.petitions import actions as petition_actions
from groundswell.petitions.models import Petition
from groundswell.petitions.signals import signature_verified
from groundswell.webhooks import triggers
from groundswell.webhooks.models import Delivery
from tests.webhooks.conftest import Receiver, endpoint, sign_and_verify

pytestmark = pytest.mark.django_db

SIGNATURES = ["signature.verified"]


def test_owner_and_co_sponsor_each_hear_with_their_own_view_of_the_signer(
    petition: Petition, action_now: Organization, ocad: Organization, receiver: Receiver, drain: Any
) -> None:
    endpoint(action_now, receiver, "/owner", events=SIGNATURES)
    endpoint(ocad, receiver, "/ocad", events=SIGNATURES)

    signature = sign_and_verify(petition)  # Ana ticked Action Now's box, not OCAD's
    drain(periodic=False)

    [to_owner] = receiver.at("/owner")
    [to_ocad] = receiver.at("/ocad")
    assert to_owner.event == to_ocad.event == "signature.verified"
    owners = to_owner.json[0]["osdi:signature"]
    ocads = to_ocad.json[0]["osdi:signature"]
    assert owners["person"]["email_addresses"] == [
        {"primary": True, "address": "ana.reyes@example.org", "status": "subscribed"}
    ]
    assert owners["person"]["postal_addresses"][0]["address_lines"] == ["1 Main St"]
    assert ocads["person"]["email_addresses"] == []
    assert "address_lines" not in ocads["person"]["postal_addresses"][0]
    assert ocads["person"]["given_name"] == "Ana"
    assert "ana.reyes" not in to_ocad.body.decode()
    # Identifiers and links are each organization's own, as its API token sees them.
    owner_supporter = Supporter.objects.get(organization=action_now)
    ocad_supporter = Supporter.objects.get(organization=ocad)
    assert owners["identifiers"] == [
        f"groundswell:{signature.pk}",
        f"action_network:{signature.pk}",
    ]
    assert owners["_links"]["osdi:person"]["href"].endswith(f"/api/v2/people/{owner_supporter.pk}")
    assert ocads["_links"]["osdi:person"]["href"].endswith(f"/api/v2/people/{ocad_supporter.pk}")
    assert owners["_links"]["osdi:petition"]["href"].endswith(f"/api/v2/petitions/{petition.pk}")


def test_the_body_is_what_the_api_serves_that_organization(
    petition: Petition,
    action_now: Organization,
    receiver: Receiver,
    drain: Any,
    client: Client,
    settings: Any,
) -> None:
    settings.BASE_URL = "http://testserver"
    endpoint(action_now, receiver, events=SIGNATURES)
    signature = sign_and_verify(petition)
    drain(periodic=False)
    _token, secret = api_actions.create_token(action_now, name="sync")
    headers = {"HTTP_OSDI_API_TOKEN": secret}

    [received] = receiver.received
    item = received.json[0]
    sent = item["osdi:signature"]
    person = sent.pop("person")

    supporter = Supporter.objects.get(organization=action_now)
    api_person = client.get(f"/api/v2/people/{supporter.pk}", **headers).json()
    api_signature = client.get(
        f"/api/v2/petitions/{petition.pk}/signatures/{signature.pk}", **headers
    ).json()
    assert person == api_person
    assert sent == api_signature
    assert item["groundswell:event"] == "signature.verified"
    assert item["idempotency_key"] == str(Delivery.objects.get().pk)


def test_an_organization_not_on_the_petition_hears_nothing(
    petition: Petition, other_org: Organization, receiver: Receiver, drain: Any
) -> None:
    endpoint(other_org, receiver)

    sign_and_verify(petition)
    drain(periodic=False)

    assert receiver.received == []
    assert not Delivery.objects.exists()


def test_a_signature_recorded_over_the_api_is_an_event_too(
    petition: Petition, action_now: Organization, receiver: Receiver, drain: Any
) -> None:
    from groundswell.people import actions as people_actions

    endpoint(action_now, receiver, events=SIGNATURES)
    person = people_actions.record_person(email="luis@example.org", first_name="Luis")

    petition_actions.record_vouched_signature(
        petition,
        person,
        organization=action_now,
        first_name="Luis",
        last_name="",
        email=person.email,
    )
    drain(periodic=False)

    [received] = receiver.received
    assert received.json[0]["osdi:signature"]["person"]["given_name"] == "Luis"


def test_an_organization_without_endpoints_costs_confirming_no_query(
    petition: Petition, other_org: Organization, receiver: Receiver
) -> None:
    endpoint(other_org, receiver)  # someone has an endpoint: the cache is not empty
    triggers.organizations_listening()

    def confirm(email: str) -> int:
        signature = petition_actions.record_signature(
            petition,
            first_name="Ana",
            last_name="Reyes",
            email=email,
            email_normalized=email,
            zip_code="60608",
            consents=[petition.owner_id],
        ).signature
        token = petition_actions.verification_token(signature)
        with CaptureQueriesContext(connection) as queries:
            petition_actions.verify_signature(token)
        return len(queries)

    confirm("warm-up@example.org")
    listening = confirm("one@example.org")
    supporter_changed.disconnect(dispatch_uid="webhooks.supporter_changed")
    signature_verified.disconnect(dispatch_uid="webhooks.signature_verified")
    try:
        deaf = confirm("two@example.org")
    finally:
        triggers.connect()

    assert listening == deaf
