"""The demo's campaigns (front.demo_campaigns): the seed pages' texts, safe to load again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from groundswell.campaigns.models import Campaign, Demand, DemandChange, Endorsement
from groundswell.front.demo_campaigns import CAMPAIGNS, load_campaigns
from groundswell.front.management.commands.load_demo import load_accounts, load_organizations

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_organizations(settings: Any, tmp_path: Path) -> Any:
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    organizations = load_organizations()
    logins, _admin = load_accounts(organizations, "demo password")
    owners = {membership.organization.slug: user for membership, user in logins}
    return organizations, owners


def totals() -> tuple[int, int, int, int]:
    return (
        Campaign.objects.count(),
        Demand.objects.count(),
        DemandChange.objects.count(),
        Endorsement.objects.count(),
    )


def test_it_loads_the_seed_campaigns_once(demo_organizations: Any, client: Client) -> None:
    load_campaigns(*demo_organizations)
    first = totals()
    assert first[0] == len(CAMPAIGNS)
    load_campaigns(*demo_organizations)
    assert totals() == first, "a second run adds nothing"

    ecps = Campaign.objects.get(slug="ecps-ordinance")
    assert ecps.owner.slug == "ecps-coalition"
    assert "more than 100 organizations" in ecps.summary
    page = client.get("/campaigns/expand-sanctuary/").content.decode()
    assert "18 organizations endorse" in page
    assert "Mujeres Latinas en Acción" in page
    assert "0 of 2 demands won" in page
    organization_page = client.get("/orgs/chicago-alliance/").content.decode()
    assert "Free all survivors of police torture" in organization_page
    assert "Learn more »" in organization_page
