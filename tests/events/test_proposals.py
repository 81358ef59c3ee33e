"""Volunteer-hosted events: a supporter proposes one under a campaign; organizers decide."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from groundswell.accounts.models import User
from groundswell.campaigns.models import Campaign
from groundswell.events.models import Event
from groundswell.organizations.models import Organization
from tests.conftest import login
from tests.events.conftest import form_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(action_now: Organization) -> Campaign:
    return Campaign.objects.create(
        owner=action_now, slug="welcoming-city", title="Welcoming City", status="active"
    )


PROPOSAL = {
    "name": "Rosa Martinez",
    "email": "rosa@example.org",
    "title": "House meeting on the ordinance",
    "description": "Coffee and a conversation with neighbors.",
    "kind": "in_person",
    "address": "1800 S Blue Island Ave",
    "neighborhood": "Pilsen",
    "ward": "25",
    "starts_at": "2031-04-10T18:00",
    "ends_at": "2031-04-10T19:30",
    "capacity": "15",
}


def test_a_proposal_waits_for_approval_then_is_published(
    client: Client, campaign: Campaign, owner: User, drain: Any, mailbox: Any
) -> None:
    assert client.get(f"/events/propose/?campaign={campaign.slug}").status_code == 200
    response = client.post(
        "/events/propose/", {**PROPOSAL, "campaign": campaign.pk, "form_token": form_token()}
    )
    assert response.status_code == 303
    event = Event.objects.get()
    assert (event.approval, event.owner, event.proposer_email) == (
        "pending",
        campaign.owner,
        "rosa@example.org",
    )
    assert client.get(f"/events/{event.pk}/").status_code == 404
    drain()
    [notice] = mailbox.wait_for(1)
    assert notice["To"] == "staff@actionnow.example"
    mailbox.clear()

    login(client, owner)
    page = client.get("/manage/action-now/events/").content.decode()
    assert "House meeting on the ordinance" in page
    client.post(f"/manage/action-now/events/{event.pk}/approve/")
    assert Event.objects.get().approval == "approved"
    client.logout()
    assert client.get(f"/events/{event.pk}/").status_code == 200
    drain()
    [decision] = mailbox.wait_for(1)
    assert decision["To"] == "rosa@example.org"
    assert decision["Subject"].startswith("Your event is approved")


def test_a_rejected_proposal_stays_unpublished(
    client: Client, campaign: Campaign, owner: User
) -> None:
    client.post(
        "/events/propose/", {**PROPOSAL, "campaign": campaign.pk, "form_token": form_token()}
    )
    event = Event.objects.get()
    login(client, owner)
    client.post(f"/manage/action-now/events/{event.pk}/reject/")
    assert Event.objects.get().approval == "rejected"
    assert client.get(f"/events/{event.pk}/").status_code == 404


def test_bad_proposals_are_explained(client: Client, campaign: Campaign) -> None:
    bad = {
        **PROPOSAL,
        "campaign": campaign.pk,
        "address": "",
        "starts_at": "2001-01-01T10:00",
        "ends_at": "2001-01-01T11:00",
    }
    response = client.post("/events/propose/", bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the address where people meet." in page
    assert "Choose a time in the future." in page
    assert Event.objects.count() == 0
