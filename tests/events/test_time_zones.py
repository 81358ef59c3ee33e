"""Event times are typed, checked and stored in the event's own time zone, never the
server's (a second review: a London event answered 500, a real Phoenix time was refused
as not existing in Chicago, and an ambiguous Chicago time could not be chosen)."""

from __future__ import annotations

import pytest
from django.test import Client

from groundswell.accounts.models import User
from groundswell.events.models import Event
from tests.conftest import login
from tests.events.test_manage import NEW

pytestmark = pytest.mark.django_db

URL = "/manage/action-now/events/new/"


def create(client: Client, zone: str, starts: str, ends: str, **extra: str) -> tuple[int, str]:
    data = {**NEW, "time_zone": zone, "starts_at": starts, "ends_at": ends, **extra}
    response = client.post(URL, data)
    return response.status_code, response.content.decode()


def test_a_time_the_clocks_skip_in_the_events_zone_is_refused_clearly(
    client: Client, organizer: User
) -> None:
    """London's clocks go from 01:00 to 02:00 on 28 March 2027: 01:30 never happens."""
    login(client, organizer)
    for ends in ("2027-03-28T02:15", "2027-03-28T03:00"):
        code, page = create(client, "Europe/London", "2027-03-28T01:30", ends)
        assert code == 400  # never a 500
        assert "01:30 does not exist on that day in Europe/London" in page
    assert not Event.objects.exists()


def test_a_real_time_in_the_events_zone_is_not_refused_for_the_servers_sake(
    client: Client, organizer: User
) -> None:
    """02:30 on 14 March 2027 exists in Phoenix (no daylight saving), not in Chicago."""
    login(client, organizer)
    code, page = create(client, "America/Phoenix", "2027-03-14T02:30", "2027-03-14T04:00")
    assert code == 303, page[:3000]
    shift = Event.objects.get().shifts.get()
    assert shift.starts_at.isoformat() == "2027-03-14T09:30:00+00:00"  # UTC-7


def test_a_time_that_happens_twice_asks_which_one(client: Client, organizer: User) -> None:
    """Chicago's clocks go back from 02:00 to 01:00 on 7 November 2027."""
    login(client, organizer)
    code, page = create(client, "America/Chicago", "2027-11-07T01:30", "2027-11-07T03:00")
    assert code == 400
    assert "01:30 happens twice on that day in America/Chicago" in page
    assert "CDT, the first time" in page and "CST, the second time" in page
    assert not Event.objects.exists()
    code, _page = create(
        client, "America/Chicago", "2027-11-07T01:30", "2027-11-07T03:00", starts_at_fold="1"
    )
    assert code == 303
    shift = Event.objects.get().shifts.get()
    assert shift.starts_at.isoformat() == "2027-11-07T07:30:00+00:00"  # 01:30 CST


def test_the_shift_is_shown_at_the_time_typed(client: Client, organizer: User) -> None:
    login(client, organizer)
    code, _page = create(client, "Europe/London", "2027-03-28T03:00", "2027-03-28T04:30")
    assert code == 303
    event = Event.objects.get()
    page = client.get(event.get_absolute_url()).content.decode()
    assert "3" in page and "4:30" in page
    shift = event.shifts.get()
    assert shift.starts_at.isoformat() == "2027-03-28T02:00:00+00:00"  # 03:00 BST
