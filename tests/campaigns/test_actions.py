"""Campaign actions: demands in order, their history, the scoreboard."""

from __future__ import annotations

import datetime

import pytest

from groundswell.accounts.models import User
from groundswell.campaigns import actions
from groundswell.campaigns.models import Campaign, DemandChange, DemandStatus
from groundswell.organizations.models import Organization
from tests.campaigns.conftest import DEMANDS

pytestmark = pytest.mark.django_db


def titles(campaign: Campaign) -> list[str]:
    return list(campaign.demands.values_list("title", flat=True))


def test_a_campaign_keeps_its_demands_in_the_order_given(campaign: Campaign) -> None:
    assert titles(campaign) == DEMANDS
    assert [d.number for d in campaign.demands.all()] == [1, 2, 3]


def test_the_owner_is_never_its_own_partner(
    action_now: Organization, ocad: Organization, owner: User
) -> None:
    campaign = actions.create_campaign(
        owner=action_now, created_by=owner, partners=[action_now, ocad], slug="c", title="C"
    )
    assert list(campaign.partners.all()) == []
    assert [i.organization for i in campaign.partner_invitations.all()] == [ocad]
    assert campaign.organizations == [action_now]


def test_a_new_demand_goes_last(campaign: Campaign) -> None:
    demand = actions.add_demand(campaign, title="A fourth demand")
    assert demand.number == 4
    assert titles(campaign)[-1] == "A fourth demand"


def test_moving_a_demand_swaps_it_with_its_neighbour(campaign: Campaign) -> None:
    last = campaign.demands.last()
    assert last is not None
    assert actions.move_demand(last, -1)
    assert titles(campaign) == [DEMANDS[0], DEMANDS[2], DEMANDS[1]]
    first = campaign.demands.first()
    assert first is not None
    assert not actions.move_demand(first, -1), "the first demand cannot move up"
    assert titles(campaign) == [DEMANDS[0], DEMANDS[2], DEMANDS[1]]


def test_a_status_change_is_kept_with_who_when_and_its_evidence(
    campaign: Campaign, owner: User
) -> None:
    demand = campaign.demands.first()
    assert demand is not None
    actions.change_demand(
        demand,
        status=DemandStatus.IN_PROGRESS,
        changed_by=owner,
        evidence_date=datetime.date(2018, 5, 1),
        note="Introduced to the City Council.",
    )
    actions.change_demand(
        demand,
        status=DemandStatus.WON,
        changed_by=owner,
        evidence_url="https://example.org/vote",
    )
    demand.refresh_from_db()
    assert demand.status == DemandStatus.WON
    history = list(DemandChange.objects.filter(demand=demand))
    assert [(c.from_status, c.to_status) for c in history] == [
        ("in_progress", "won"),
        ("open", "in_progress"),
    ]
    assert history[1].evidence_date == datetime.date(2018, 5, 1)
    assert history[1].changed_by == owner
    assert history[0].evidence_url == "https://example.org/vote"


def test_evidence_without_a_status_change_leaves_the_status(campaign: Campaign) -> None:
    demand = campaign.demands.first()
    assert demand is not None
    change = actions.change_demand(
        demand, status=DemandStatus.OPEN, changed_by=None, note="Still waiting for a vote."
    )
    assert not change.changes_status
    demand.refresh_from_db()
    assert demand.status == DemandStatus.OPEN and demand.status_changed_at is None


def test_the_scoreboard_counts_each_status(campaign: Campaign) -> None:
    first, second, _third = campaign.demands.all()
    actions.change_demand(first, status=DemandStatus.WON, changed_by=None, note="Won")
    actions.change_demand(second, status=DemandStatus.PARTLY_WON, changed_by=None, note="Partly")
    score = actions.scoreboard(list(campaign.demands.all()))
    assert (score.total, score.won, score.partly_won, score.open) == (3, 1, 1, 1)
