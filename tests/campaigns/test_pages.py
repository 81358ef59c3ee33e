"""The public campaign page, the list, and the organization page's campaigns."""

from __future__ import annotations

import pytest
from django.test import Client

from groundswell.accounts.models import User
from groundswell.campaigns import actions
from groundswell.campaigns.models import Campaign, DemandStatus
from groundswell.petitions.models import Petition
from tests.campaigns.conftest import approved

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_demands_scoreboard_and_evidence(
    client: Client, campaign: Campaign
) -> None:
    first = campaign.demands.first()
    assert first is not None
    actions.change_demand(
        first, status=DemandStatus.WON, changed_by=None, note="The contract was rejected."
    )
    response = client.get("/campaigns/police-contract-accountability/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 of 3 demands won" in page
    assert "2 open" in page
    assert "The contract was rejected." in page
    assert "Open → Won" in page
    assert "Stop unanimous approval of the FOP contract" in page


def test_the_page_is_sized_for_sharing_without_third_parties(
    client: Client, campaign: Campaign
) -> None:
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Police Contract Accountability">' in page
    assert 'property="og:url" content="http' in page
    assert 'property="og:description"' in page
    for third_party in ("facebook.com", "twitter.com", "googleapis", '<script src="http'):
        assert third_party not in page


def test_a_draft_is_not_public(client: Client, draft_campaign: Campaign) -> None:
    assert client.get(draft_campaign.get_absolute_url()).status_code == 404
    assert "Police Contract" not in client.get("/campaigns/").content.decode()
    assert "Police Contract" not in client.get("/orgs/action-now/").content.decode()


def test_the_campaign_page_gathers_its_open_petitions(
    client: Client, campaign: Campaign, petition: Petition
) -> None:
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "Sign the petitions" not in page
    Petition.objects.filter(pk=petition.pk).update(campaign=campaign)
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "Sign the petitions" in page
    assert petition.get_absolute_url() in page
    assert "0 signatures" in page


def test_the_organization_pages_list_its_campaigns_with_learn_more(
    client: Client, campaign: Campaign
) -> None:
    page = client.get("/orgs/action-now/").content.decode()
    assert "Police Contract Accountability" in page
    assert "Learn more »" in page
    assert campaign.get_absolute_url() in page
    partner = client.get("/orgs/ocad/").content.decode()
    assert "Police Contract Accountability" in partner and "Led by Action Now" in partner


def test_the_list_shows_published_campaigns(client: Client, campaign: Campaign) -> None:
    page = client.get("/campaigns/").content.decode()
    assert "Police Contract Accountability" in page


def test_endorsers_are_shown_with_their_logos(
    client: Client, campaign: Campaign, owner: User
) -> None:
    from tests.campaigns.conftest import png

    endorsement = approved(campaign, logo=png())
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert endorsement.logo.url in page
    assert "1 organization endorses" in page
