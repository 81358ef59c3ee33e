"""One check of the email addresses the public gives us (people.addresses.validate_email),
used by every public form and the API: an address must be able to reach a person, so
no bare host (`x@localhost`), no address literal (`test@[127.0.0.1]`), and a local part
of at most 64 characters."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from groundswell.accounts.models import User
from groundswell.campaigns import actions as campaign_actions
from groundswell.campaigns.models import Campaign, Endorsement
from groundswell.campaigns.views import ENDORSEMENT_SCREEN
from groundswell.events.models import RSVP, Event
from groundswell.events.views import RSVP_SCREEN
from groundswell.organizations.models import Organization
from groundswell.people.actions import find_person
from groundswell.people.addresses import validate_email
from groundswell.people.models import Person, Supporter
from groundswell.petitions.models import Petition, Signature
from groundswell.volunteers.models import Signup
from tests.api.conftest import ApiClient, token_for
from tests.conftest import SIGNER, form_token, login
from tests.events.conftest import ANA, make_event
from tests.people.importing import HEADER, import_csv
from tests.volunteers.conftest import answers

pytestmark = pytest.mark.django_db

REFUSED = ["x@localhost", "test@[127.0.0.1]", "test@[IPv6:::1]", f"{'a' * 65}@example.org"]


@pytest.mark.parametrize("address", REFUSED)
def test_an_address_that_cannot_reach_a_person_is_refused(address: str) -> None:
    with pytest.raises(ValidationError):
        validate_email(address)


@pytest.mark.parametrize(
    "address", ["ana@example.org", f"{'a' * 64}@example.org", "ana.reyes+petition@mail.example.co"]
)
def test_an_ordinary_address_is_accepted(address: str) -> None:
    validate_email(address)


@pytest.mark.parametrize("address", REFUSED)
def test_the_sign_form(client: Client, petition: Petition, address: str) -> None:
    data = {**SIGNER, "email": address, "form_token": form_token()}
    response = client.post(f"/petitions/{petition.slug}/sign", data)
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert not Signature.objects.exists()


@pytest.mark.parametrize("address", REFUSED)
def test_the_sign_on_form(client: Client, action_now: Organization, address: str) -> None:
    campaign = campaign_actions.create_campaign(
        owner=action_now, created_by=None, slug="contract", title="Police Contract"
    )
    campaign_actions.update_campaign(campaign, status=Campaign.Status.ACTIVE)
    data = {
        "organization_name": "Southwest Organizing Project",
        "contact_name": "Omar Haddad",
        "contact_email": address,
        "form_token": ENDORSEMENT_SCREEN.token(now=time.time() - 60),
        "homepage": "",
    }
    response = client.post(f"/campaigns/{campaign.slug}/endorse/", data)
    assert response.status_code == 400
    assert not Endorsement.objects.exists()


@pytest.mark.parametrize("address", REFUSED)
def test_the_volunteer_form(client: Client, action_now: Organization, address: str) -> None:
    response = client.post(f"/volunteer/{action_now.slug}/", answers(email=address))
    assert response.status_code == 400
    assert not Signup.objects.exists()


@pytest.mark.parametrize("address", REFUSED)
def test_the_rsvp_form(client: Client, action_now: Organization, address: str) -> None:
    event: Event = make_event(action_now)
    data = {
        **ANA,
        "email": address,
        "guests": "0",
        "shifts": [s.pk for s in event.shifts.all()],
        "form_token": RSVP_SCREEN.token(now=time.time() - 60),
    }
    assert client.post(f"/events/{event.pk}/rsvp", data).status_code == 400
    assert not RSVP.objects.exists()


@pytest.mark.parametrize("address", REFUSED)
def test_the_event_proposal_form(client: Client, action_now: Organization, address: str) -> None:
    campaign = Campaign.objects.create(
        owner=action_now, slug="welcoming-city", title="Welcoming City", status="active"
    )
    data = {
        "name": "Rosa Martinez",
        "email": address,
        "campaign": campaign.pk,
        "title": "House meeting",
        "description": "Coffee.",
        "kind": "in_person",
        "address": "1800 S Blue Island Ave",
        "starts_at": "2031-04-10T18:00",
        "ends_at": "2031-04-10T19:30",
        "form_token": RSVP_SCREEN.token(now=time.time() - 60),
    }
    assert client.post("/events/propose/", data).status_code == 400
    assert not Event.objects.exists()


@pytest.mark.parametrize("address", REFUSED)
def test_the_data_request_form(client: Client, address: str) -> None:
    response = client.post("/people/my-data/", {"email": address})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()


@pytest.mark.parametrize("address", REFUSED)
def test_the_api(client: Client, action_now: Organization, address: str) -> None:
    api = ApiClient(client, token_for(action_now))
    body = {"person": {"given_name": "Ana", "email_addresses": [{"address": address}]}}
    response = api.post("people", body)
    assert response.status_code == 400, response.content
    assert "is not an email address" in response.json()["error"]
    assert not Supporter.objects.exists()


@pytest.mark.parametrize("address", REFUSED)
def test_the_organizer_add_a_person_form(
    client: Client, organizer: User, action_now: Organization, address: str
) -> None:
    response = login(client, organizer).post(
        f"/manage/{action_now.slug}/people/new/",
        {"first_name": "Ana", "email": address, "language": "en", "consent": "none"},
    )
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert not Supporter.objects.exists()


@pytest.mark.parametrize("address", REFUSED)
def test_an_import(
    client: Client, organizer: User, action_now: Organization, drain: Any, address: str
) -> None:
    login(client, organizer)
    job = import_csv(client, action_now, f"{HEADER}Ana,Reyes,{address},,60608,\n", drain)
    assert (job.created_count, job.failed_count) == (0, 1)
    assert not Supporter.objects.exists()


def test_an_international_domain_is_one_address_however_it_is_written(
    client: Client, organizer: User, action_now: Organization, drain: Any
) -> None:
    login(client, organizer)
    content = (
        f"{HEADER}Ana,Reyes,user@bücher.example,,60608,\nAna,Reyes,user@xn--bcher-kva.example,,,\n"
    )
    job = import_csv(client, action_now, content, drain)
    assert (job.created_count, job.failed_count) == (1, 0)
    person = Person.objects.get()
    assert person.email_normalized == "user@xn--bcher-kva.example"
    assert find_person(email="USER@Bücher.example") == person
