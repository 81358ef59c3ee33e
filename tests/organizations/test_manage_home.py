"""/manage/<org>/: the organization's overview with its petitions, drafts included."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.petitions import actions as petition_actions
from groundswell.petitions.models import Petition
from tests.conftest import login


def test_it_lists_owned_petitions_including_drafts(
    client: Client, organizer: User, action_now: Organization, petition: Petition
) -> None:
    draft = petition_actions.create_petition(
        owner=action_now,
        created_by=organizer,
        targets=[{"name": "City Council"}],
        slug="fund-mental-health",
        title="Reopen the mental health clinics",
        ask="Reopen them.",
    )
    login(client, organizer)
    response = client.get(reverse("organizations_manage:home", args=["action-now"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert petition.title in page
    assert draft.title in page
    assert reverse("petitions_manage:dashboard", args=["action-now", draft.slug]) in page
    assert reverse("petitions_manage:create", args=["action-now"]) in page


def test_it_lists_co_sponsored_petitions_for_the_sponsor(
    client: Client, ocad_organizer: User, petition: Petition
) -> None:
    login(client, ocad_organizer)
    response = client.get(reverse("organizations_manage:home", args=["ocad"]))
    assert response.status_code == 200
    assert "Co-sponsored petitions" in response.content.decode()
    assert petition.title in response.content.decode()


def test_it_shows_the_users_role(client: Client, organizer: User) -> None:
    login(client, organizer)
    response = client.get(reverse("organizations_manage:home", args=["action-now"]))
    assert "Your role: Organizer" in response.content.decode()
