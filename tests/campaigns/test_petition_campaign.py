"""A petition attached to a campaign: the organizer picks one of their own or their
partners' campaigns; anyone else's is refused."""

from __future__ import annotations

import pytest
from django.test import Client

from groundswell.accounts.models import User
from groundswell.campaigns import actions
from groundswell.campaigns.models import Campaign
from groundswell.organizations.models import Organization
from groundswell.petitions.models import Petition
from tests.conftest import login
from tests.petitions.test_manage_create import petition_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere_campaign(other_org: Organization, outsider: User) -> Campaign:
    return actions.create_campaign(
        owner=other_org, created_by=outsider, slug="elsewhere-campaign", title="Not yours"
    )


def test_the_form_offers_own_and_partner_campaigns_only(
    client: Client, ocad_organizer: User, campaign: Campaign, elsewhere_campaign: Campaign
) -> None:
    page = login(client, ocad_organizer).get("/manage/ocad/petitions/new/").content.decode()
    assert "Police Contract Accountability" in page, "OCAD is a partner"
    assert "Not yours" not in page


def test_a_petition_is_attached_to_a_campaign(
    client: Client, organizer: User, campaign: Campaign
) -> None:
    response = login(client, organizer).post(
        "/manage/action-now/petitions/new/", petition_data(campaign=campaign.pk)
    )
    assert response.status_code == 303
    assert Petition.objects.get().campaign == campaign


def test_another_organizations_campaign_is_refused(
    client: Client, organizer: User, elsewhere_campaign: Campaign
) -> None:
    response = login(client, organizer).post(
        "/manage/action-now/petitions/new/", petition_data(campaign=elsewhere_campaign.pk)
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Petition.objects.exists()


def test_a_petition_outlives_its_campaign(campaign: Campaign, petition: Petition) -> None:
    Petition.objects.filter(pk=petition.pk).update(campaign=campaign)
    campaign.delete()
    petition.refresh_from_db()
    assert petition.campaign is None
