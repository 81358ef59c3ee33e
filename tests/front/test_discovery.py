"""Finding petitions (issue 15): "Top signed" is this week's most signed and differs from
the newest; the list can be searched and filtered by topic, organization and ward."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from groundswell.campaigns import actions as campaign_actions
from groundswell.campaigns.models import Campaign
from groundswell.petitions import actions
from groundswell.petitions.models import DailyCount, Petition, PetitionCount

pytestmark = pytest.mark.django_db


def open_petition(owner: Any, slug: str, title: str, **extra: Any) -> Petition:
    petition = actions.create_petition(
        owner=owner,
        created_by=None,
        targets=[{"name": "Brandon Johnson", "title": "Mayor"}],
        slug=slug,
        title=title,
        ask="Sign.",
        **extra,
    )
    actions.publish(petition)
    return petition


def signed(petition: Petition, *, total: int, days_ago: int) -> None:
    """Counts as the worker folds them: per day, and the petition's total."""
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    DailyCount.objects.create(petition=petition, day=day, total=total, verified=total)
    count, _ = PetitionCount.objects.get_or_create(petition=petition)
    count.total += total
    count.verified += total
    count.shown += total
    count.save()


@pytest.fixture
def three(action_now: Any, ocad: Any) -> dict[str, Petition]:
    old_big = open_petition(action_now, "old-big", "Fund the clinics")
    signed(old_big, total=900, days_ago=30)
    signed(old_big, total=2, days_ago=1)
    rising = open_petition(ocad, "rising", "Stop the raids")
    signed(rising, total=40, days_ago=2)
    newest = open_petition(action_now, "newest", "Open the library on Sundays")
    return {"old_big": old_big, "rising": rising, "newest": newest}


def test_top_signed_is_this_weeks_most_signed_and_differs_from_newest(
    client: Client, three: dict[str, Petition]
) -> None:
    html = client.get("/").content.decode()
    top = html[html.index("Top signed this week") : html.index("Newest petitions")]
    newest = html[html.index("Newest petitions") :]
    assert top.index("Stop the raids") < top.index("Fund the clinics")
    assert "Open the library" not in top
    assert "Open the library" in newest
    assert "Stop the raids" not in newest
    assert "40 this week" in top
    assert "<progress" in top


def test_the_list_orders_by_this_week_newest_or_most(
    client: Client, three: dict[str, Petition]
) -> None:
    def order(query: str) -> list[str]:
        html = client.get(f"/petitions/?{query}").content.decode()
        titles = ["Stop the raids", "Fund the clinics", "Open the library"]
        return sorted(titles, key=html.index)

    assert order("") == ["Stop the raids", "Fund the clinics", "Open the library"]
    assert order("order=new")[0] == "Open the library"
    assert order("order=most")[0] == "Fund the clinics"


def test_search_and_filters(
    client: Client, three: dict[str, Petition], ocad: Any, action_now: Any
) -> None:
    html = client.get("/petitions/?q=raids").content.decode()
    assert "Stop the raids" in html and "Fund the clinics" not in html
    assert "1 open petition found" in html

    html = client.get(f"/petitions/?organization={action_now.slug}").content.decode()
    assert "Fund the clinics" in html and "Stop the raids" not in html

    campaign = campaign_actions.create_campaign(
        owner=action_now,
        created_by=None,
        slug="libraries",
        title="Libraries for all",
        status=Campaign.Status.ACTIVE,
    )
    Petition.objects.filter(pk=three["newest"].pk).update(campaign=campaign)
    html = client.get("/petitions/?campaign=libraries").content.decode()
    assert "Open the library" in html and "Fund the clinics" not in html
    assert '<option value="libraries" selected>Libraries for all</option>' in html

    html = client.get("/petitions/?ward=abc").content.decode()
    assert "Choose a ward by its number, like 25." in html
    assert "Fund the clinics" in html  # the bad value is left out, not an error page
