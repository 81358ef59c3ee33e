"""The public calendar: list and month views, filters, visibility, the shareable page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from groundswell.campaigns.models import Campaign
from groundswell.events import actions
from groundswell.events.models import Event
from groundswell.organizations.models import Organization
from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db


def test_private_unlisted_pending_and_cancelled_events_are_not_listed(
    client: Client, action_now: Organization
) -> None:
    make_event(action_now, title="Public rally")
    make_event(action_now, title="Unlisted meeting", visibility=Event.Visibility.UNLISTED)
    make_event(action_now, title="Private strategy", visibility=Event.Visibility.PRIVATE)
    make_event(action_now, title="Proposed canvass", approval=Event.Approval.PENDING)
    actions.cancel_event(make_event(action_now, title="Cancelled vigil"))
    page = client.get("/events/").content.decode()
    assert "Public rally" in page
    for hidden in ("Unlisted meeting", "Private strategy", "Proposed canvass", "Cancelled vigil"):
        assert hidden not in page


def test_an_unlisted_event_opens_by_its_link_and_is_not_indexed(
    client: Client, action_now: Organization
) -> None:
    event = make_event(action_now, visibility=Event.Visibility.UNLISTED)
    page = client.get(event.get_absolute_url()).content.decode()  # its link has its key
    assert '<meta name="robots" content="noindex">' in page


def test_filters_by_organization_campaign_neighborhood_and_ward(
    client: Client, action_now: Organization, ocad: Organization
) -> None:
    campaign = Campaign.objects.create(owner=ocad, slug="erase-the-database", title="Erase")
    make_event(action_now, title="Loop rally", neighborhood="Loop", ward=42)
    make_event(ocad, title="Pilsen meeting", neighborhood="Pilsen", ward=25, campaign=campaign)
    assert "Pilsen meeting" not in client.get("/events/?organization=action-now").content.decode()
    assert "Loop rally" not in client.get("/events/?campaign=erase-the-database").content.decode()
    page = client.get("/events/?neighborhood=Pilsen").content.decode()
    assert "Pilsen meeting" in page and "Loop rally" not in page
    page = client.get("/events/?ward=42").content.decode()
    assert "Loop rally" in page and "Pilsen meeting" not in page
    # An unknown filter value is ignored, never an error page.
    assert client.get("/events/?ward=99&organization=nobody").status_code == 200


def test_the_month_view_shows_the_months_events(client: Client, action_now: Organization) -> None:
    starts = datetime.datetime(2031, 5, 2, 23, 0, tzinfo=datetime.UTC)
    make_event(action_now, title="May Day march", starts=starts)
    page = client.get("/events/month/2031/5/").content.decode()
    assert "May Day march" in page and "Events in May 2031" in page
    assert "May Day march" not in client.get("/events/month/2031/6/").content.decode()
    assert client.get("/events/month/2031/13/").status_code == 404


def test_the_event_page_is_sized_for_sharing(client: Client, event: Event, settings: Any) -> None:
    settings.BASE_URL = "https://groundswell.example"
    page = client.get(f"/events/{event.pk}/").content.decode()
    url = f"https://groundswell.example/events/{event.pk}/"
    assert f'<meta property="og:url" content="{url}">' in page
    assert '<meta property="og:title" content="Rally for the Welcoming City Ordinance">' in page
    assert "Step-free entrance on Clark St." in page
    assert "2 spots left" in page


def test_the_home_page_shows_upcoming_public_events(
    client: Client, action_now: Organization
) -> None:
    make_event(action_now, title="Public rally")
    make_event(action_now, title="Private strategy", visibility=Event.Visibility.PRIVATE)
    page = client.get("/").content.decode()
    assert "Public rally" in page and "Private strategy" not in page


def test_a_campaign_page_gathers_its_upcoming_public_events(
    action_now: Organization, rf: Any
) -> None:
    from groundswell.campaigns import registry

    campaign = Campaign.objects.create(owner=action_now, slug="welcoming", title="Welcoming")
    make_event(action_now, title="Campaign rally", campaign=campaign)
    make_event(action_now, title="Unlisted", campaign=campaign, visibility="unlisted")
    make_event(action_now, title="Not in the campaign")
    [section] = [s for s in registry.sections(campaign, rf.get("/")) if s.key == "events"]
    assert [item.title for item in section.items] == ["Campaign rally"]
    assert section.more_url == "/events/?campaign=welcoming"
