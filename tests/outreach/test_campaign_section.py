"""A campaign's page lists its published “tell your alderperson” actions."""

from __future__ import annotations

import pytest
from django.test import Client

from groundswell.accounts.models import User
from groundswell.campaigns import actions as campaign_actions
from groundswell.campaigns.models import Campaign
from groundswell.outreach import actions
from groundswell.outreach.models import OutreachAction

pytestmark = pytest.mark.django_db


def test_the_campaign_page_links_its_published_actions(
    client: Client, action: OutreachAction, owner: User
) -> None:
    campaign = campaign_actions.create_campaign(
        owner=action.owner,
        created_by=owner,
        slug="ecps",
        title="ECPS",
        summary="Pass the ordinance.",
        goal="A vote.",
        status=Campaign.Status.ACTIVE,
    )
    actions.update_action(action, campaign=campaign)
    html = client.get("/campaigns/ecps/").content.decode()
    assert f'href="/act/{action.slug}/"' in html
    assert "Contact your decision makers" in html
    actions.update_action(action, published=False)
    assert f'href="/act/{action.slug}/"' not in client.get("/campaigns/ecps/").content.decode()
