"""/orgs/<slug>/: the organization's public page."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.petitions import actions as petition_actions
from groundswell.petitions.models import Petition
from tests.organizations.conftest import join_coalition


def test_it_shows_the_profile_and_published_petitions(
    client: Client, action_now: Organization, owner: User, petition: Petition
) -> None:
    action_now.description = "Neighbors organizing for safe, affordable communities."
    action_now.save()
    draft = petition_actions.create_petition(
        owner=action_now,
        created_by=owner,
        targets=[{"name": "City Council"}],
        slug="secret-draft",
        title="A draft nobody should see yet",
        ask="Not yet.",
    )
    response = client.get(reverse("organizations:detail", args=["action-now"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Action Now</h1>" in page
    assert "Neighbors organizing for safe, affordable communities." in page
    assert 'href="https://actionnow.example"' in page
    assert petition.get_absolute_url() in page
    assert draft.title not in page


def test_a_co_sponsor_lists_the_petitions_it_supports(
    client: Client, ocad: Organization, petition: Petition
) -> None:
    page = client.get(ocad.get_absolute_url()).content.decode()
    assert "Co-sponsored petitions" in page
    assert petition.get_absolute_url() in page
    assert "Started by Action Now" in page


def test_a_coalition_lists_its_members_and_a_member_its_coalitions(
    client: Client, action_now: Organization, ocad: Organization
) -> None:
    coalition = Organization.objects.create(
        name="Chicago Sanctuary Coalition", slug="sanctuary", is_coalition=True
    )
    join_coalition(coalition, action_now)
    join_coalition(coalition, ocad)
    page = client.get(coalition.get_absolute_url()).content.decode()
    assert "Coalition members" in page
    assert action_now.get_absolute_url() in page and ocad.get_absolute_url() in page
    member_page = client.get(action_now.get_absolute_url()).content.decode()
    assert "Member of" in member_page
    assert coalition.get_absolute_url() in member_page


def test_it_answers_404_for_an_unknown_organization(client: Client, db: None) -> None:
    assert client.get(reverse("organizations:detail", args=["nobody"])).status_code == 404


def test_it_refuses_writes(client: Client, action_now: Organization) -> None:
    assert client.post(action_now.get_absolute_url()).status_code == 405
