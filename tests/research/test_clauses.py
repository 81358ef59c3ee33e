"""Clauses: tagged with a category, linked to demands, quoted on the public demand
page and the campaign's page, and checked against the newest version."""

from __future__ import annotations

import pytest
from django.test import Client

from groundswell.campaigns.models import Campaign
from groundswell.organizations.models import Membership
from groundswell.research import clauses
from groundswell.research.actions import ResearchRefused, documents
from groundswell.research.models import Category, Clause, Version
from tests.conftest import login

pytestmark = pytest.mark.django_db

DELAY = "An officer shall not be interrogated until forty-eight (48) hours"
EVIDENCE = "the officer shall be given the names of the complainants"


def tag(dee: Membership, version: Version, number: str, quote: str, *demands: int) -> Clause:
    return documents.tag_clause(
        dee,
        version.sections.get(number=number),
        quote=quote,
        category=Category.RESTRICTING_INTERROGATIONS,
        demand_ids=list(demands),
    )


def test_a_quote_must_be_in_its_section(
    dee: Membership, versions: tuple[Version, Version], campaign: Campaign
) -> None:
    with pytest.raises(ResearchRefused, match="not in this section"):
        tag(dee, versions[0], "6.1", DELAY)
    assert not Clause.objects.exists()


def test_only_demands_of_the_organizations_campaigns_are_linked(
    dee: Membership, versions: tuple[Version, Version], other_org: object
) -> None:
    other = Campaign.objects.create(owner=other_org, slug="theirs", title="Theirs")  # type: ignore[misc]
    demand = other.demands.create(title="Their demand")
    with pytest.raises(ResearchRefused):
        tag(dee, versions[0], "6.2", DELAY, demand.pk)
    assert not Clause.objects.exists()


def test_the_newest_version_tells_which_points_it_addresses(
    dee: Membership, versions: tuple[Version, Version], campaign: Campaign
) -> None:
    delay, records = campaign.demands.order_by("position")
    old = versions[0]
    tag(dee, old, "6.2", DELAY, delay.pk)  # 48 hours became 24: changed
    tag(dee, old, "8A.1", "destroyed five (5) years", records.pk)  # gone in 2021
    tag(dee, old, "6.3", EVIDENCE, records.pk)  # still there
    found = {d.demand.title: d for d in clauses.for_campaign(campaign)}
    assert [s.state for s in found[delay.title].clauses] == [clauses.CHANGED]
    assert found[delay.title].addressed
    assert sorted(s.state for s in found[records.title].clauses) == [
        clauses.REMOVED,
        clauses.UNCHANGED,
    ]
    assert not found[records.title].addressed


def test_the_public_demand_page_and_the_campaign_quote_the_clause(
    client: Client, dee: Membership, versions: tuple[Version, Version], campaign: Campaign
) -> None:
    delay = campaign.demands.get(position=1)
    clause = tag(dee, versions[0], "6.2", DELAY, delay.pk)
    page = client.get(f"/research/demands/{delay.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert DELAY in html and "Section 6.2 Interrogation" in html
    assert "Changed in the 2021 version" in html
    campaign_page = client.get(f"/campaigns/{campaign.slug}/").content.decode()
    assert "The research behind our demands" in campaign_page
    assert DELAY in campaign_page
    assert "addresses 1 of the 1 point that cites it" in campaign_page
    side_by_side = client.get(f"/research/clauses/{clause.pk}/").content.decode()
    assert "<del>" in side_by_side and "twenty-four (24)" in side_by_side


def test_a_draft_campaigns_demand_has_no_public_page(
    client: Client, dee: Membership, versions: tuple[Version, Version], campaign: Campaign
) -> None:
    campaign.status = Campaign.Status.DRAFT
    campaign.save()
    demand = campaign.demands.get(position=1)
    clause = tag(dee, versions[0], "6.2", DELAY, demand.pk)
    assert client.get(f"/research/demands/{demand.pk}/").status_code == 404
    assert client.get(f"/research/clauses/{clause.pk}/").status_code == 404


def test_an_organizer_tags_a_clause_through_the_form(
    client: Client, organizer: object, versions: tuple[Version, Version], campaign: Campaign
) -> None:
    login(client, organizer)  # type: ignore[arg-type]
    section = versions[0].sections.get(number="6.2")
    demand = campaign.demands.get(position=1)
    url = f"/manage/action-now/research/sections/{section.pk}/clause/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"quote": "words not there", "category": "interrogation"})
    assert bad.status_code == 400 and not Clause.objects.exists()
    good = client.post(url, {"quote": DELAY, "category": "interrogation", "demands": [demand.pk]})
    assert good.status_code == 303
    assert list(Clause.objects.get().demands.all()) == [demand]
    difference = client.get(
        f"/manage/action-now/research/documents/{versions[0].document.slug}/difference/",
        {"section": "6.2"},
    )
    assert "forty-eight (48)" in difference.content.decode()


def test_an_outsider_cannot_reach_the_desk(
    client: Client, outsider: object, versions: tuple[Version, Version]
) -> None:
    login(client, outsider)  # type: ignore[arg-type]
    section = versions[0].sections.get(number="6.2")
    assert client.get("/manage/action-now/research/").status_code == 403
    assert (
        client.get(f"/manage/elsewhere/research/sections/{section.pk}/clause/").status_code == 404
    )
