"""The demo's cases: the Alliance's types and a few fictional cases, loaded once."""

from __future__ import annotations

import pytest

from groundswell.campaigns.models import Campaign
from groundswell.cases import demo
from groundswell.cases.campaign_section import open_case_figures
from groundswell.cases.models import Case, CaseManager, CaseType
from groundswell.organizations.models import Organization, Role
from tests.conftest import make_organizer

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_with_clearly_fictional_people() -> None:
    alliance = Organization.objects.create(name="Chicago Alliance", slug=demo.ORGANIZATION)
    make_organizer("frank@chicago-alliance.example", alliance, Role.OWNER)
    campaign = Campaign.objects.create(
        owner=alliance, slug=demo.CAMPAIGN, title="Free them", status="active"
    )
    first = demo.load()
    again = demo.load()
    assert [case.pk for case in first] == [case.pk for case in again]
    assert Case.objects.count() == len(demo.CASES)
    assert CaseType.objects.filter(organization=alliance).count() == 6
    assert CaseManager.objects.filter(organization=alliance).count() == 1
    assert all("(fictional)" in name for _, name, *_ in demo.CASES)
    [figure] = open_case_figures(campaign)  # the claims filed at the TIRC, together
    assert (figure.count, figure.status, figure.oldest_years) == (5, "Filed at the TIRC", 9)


def test_without_the_alliance_it_loads_nothing() -> None:
    assert demo.load() == []
