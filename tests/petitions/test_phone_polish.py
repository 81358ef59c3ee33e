"""Polish found in issue 15's review, on the public pages around petitions: an
in-person event with no address yet, a campaign nobody endorsed yet."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from groundswell.campaigns import actions as campaign_actions
from groundswell.campaigns.models import Campaign
from groundswell.events import ics
from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db


def test_an_in_person_event_without_an_address_says_it_comes_later(
    client: Client, action_now: Any
) -> None:
    event = make_event(action_now, address="", neighborhood="")
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Address to be announced: the organizers email it to everyone with a spot." in html
    assert "LOCATION:Address to be announced" in ics.calendar(event.shifts.get())


def test_a_campaign_nobody_endorsed_yet_does_not_say_0_organizations(
    client: Client, action_now: Any
) -> None:
    campaign = campaign_actions.create_campaign(
        owner=action_now,
        created_by=None,
        slug="libraries",
        title="Libraries for all",
        status=Campaign.Status.ACTIVE,
    )
    html = client.get(campaign.get_absolute_url()).content.decode()
    assert "0 organizations endorse" not in html
    assert "No organization has endorsed this campaign yet." in html


def test_the_integrity_chart_writes_hours_as_the_site_does() -> None:
    import datetime

    from django.utils import timezone

    from groundswell.petitions import integrity_report

    start = timezone.make_aware(datetime.datetime(2026, 3, 2, 18, 0))
    assert integrity_report._hour_label(start) == "Mar 2, 6 p.m."


def test_a_supporters_language_shows_by_its_name(client: Client, organizer: Any) -> None:
    from django.urls import reverse

    from groundswell.people.models import Supporter
    from tests.conftest import login

    login(client, organizer).post(
        reverse("people_manage:add", args=["action-now"]),
        {
            "first_name": "Luz",
            "last_name": "Ortega",
            "email": "luz@example.org",
            "phone": "",
            "language": "es",
            "consent": "none",
            "tags": "",
            "custom_fields": "",
        },
    )
    supporter = Supporter.objects.get()
    html = client.get(reverse("people_manage:person", args=["action-now", supporter.pk]))
    assert "<dd>Spanish</dd>" in html.content.decode()


def test_the_rsvp_message_ends_with_one_period_after_p_m(client: Client, action_now: Any) -> None:
    """ "You're going: Saturday, …, 6 p.m. to 8 p.m." and never "8 p.m..": the time brings
    its own period."""
    import datetime
    import zoneinfo

    from tests.events.conftest import ANA, form_token

    chicago = zoneinfo.ZoneInfo("America/Chicago")
    tomorrow = datetime.datetime.now(chicago).date() + datetime.timedelta(days=1)
    starts = datetime.datetime.combine(tomorrow, datetime.time(18, 0), tzinfo=chicago)
    event = make_event(action_now, starts=starts)
    response = client.post(
        f"/events/{event.pk}/rsvp",
        {
            **ANA,
            "phone": "",
            "guests": "0",
            "shifts": [event.shifts.get().pk],
            "form_token": form_token(),
        },
        follow=True,
    )
    html = response.content.decode()
    assert "You&#x27;re going:" in html
    assert "6 p.m.–8 p.m.</p>" in html
    assert "p.m.." not in html
