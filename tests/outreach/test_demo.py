"""The demo's action: the ECPS coalition's, loaded once however often the loader runs."""

from __future__ import annotations

import pytest
from django.test import Client

from groundswell.campaigns.models import Campaign
from groundswell.organizations.models import Organization
from groundswell.outreach import demo
from groundswell.outreach.models import OutreachAction

pytestmark = pytest.mark.django_db


def test_the_demo_action_is_loaded_once(client: Client) -> None:
    coalition = Organization.objects.create(
        name="ECPS Coalition", slug="ecps-coalition", is_coalition=True
    )
    Campaign.objects.create(owner=coalition, slug="ecps-ordinance", title="ECPS Ordinance")
    first = demo.load()
    assert demo.load() == first
    assert OutreachAction.objects.count() == 1
    assert first is not None and first.matter is not None and first.campaign is not None
    response = client.post(f"/act/{first.slug}/", {"lat": 41.8578, "lon": -87.6602})
    assert "Demo placeholder, not a real person" in response.content.decode()


def test_without_the_coalition_there_is_no_demo_action() -> None:
    assert demo.load() is None
