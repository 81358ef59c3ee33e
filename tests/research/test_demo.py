"""The demo's research desk loads on the seed campaign and loads again unchanged."""

from __future__ import annotations

import pytest
from django.test import Client

from groundswell.campaigns.models import Campaign, Demand
from groundswell.districts.models import DistrictSet
from groundswell.legislation import actions as legislation
from groundswell.organizations.models import Organization
from groundswell.research import demo
from groundswell.research.models import ChartCitation, Clause, DonorMatch, Receipt

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once(
    client: Client, action_now: Organization, organizer: object, wards: DistrictSet
) -> None:
    campaign = Campaign.objects.create(
        owner=action_now,
        slug=demo.CAMPAIGN,
        title="Police Contract Accountability",
        status="active",
    )
    for position, title in enumerate(("Stop approval", "14 points", "Narratives")):
        Demand.objects.create(campaign=campaign, position=position, title=title)
    for ward in (3, 20, 42):
        legislation.save_decision_maker(None, name=f"Ward {ward} Alderperson")
    demo.load()
    demo.load()
    assert Clause.objects.count() == len(demo.CLAUSES)
    assert ChartCitation.objects.count() == 2
    assert (Receipt.objects.count(), DonorMatch.objects.count()) == (7, 1)
    html = client.get(f"/campaigns/{demo.CAMPAIGN}/").content.decode()
    assert "The 2021 version of the Police union contract (synthetic sample) addresses 1 of" in html
