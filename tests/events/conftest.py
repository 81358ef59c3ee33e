"""Events test setup: an event built through the same actions organizers use."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from groundswell.accounts.models import User
from groundswell.events import actions
from groundswell.events.models import RSVP, Event, Shift
from groundswell.organizations.models import Organization

ANA = {"first_name": "Ana", "last_name": "Reyes", "email": "ana.reyes@example.org"}


def form_token(age: float = 60) -> str:
    """The public forms' token (RSVP, proposal) as a page served it `age` seconds ago."""
    import time

    from groundswell.events.views import RSVP_SCREEN

    return RSVP_SCREEN.token(now=time.time() - age)


def soon(days: float = 3, hours: float = 0) -> datetime.datetime:
    """A moment ahead, on the minute."""
    moment = timezone.now() + datetime.timedelta(days=days, hours=hours)
    return moment.replace(second=0, microsecond=0)


def make_event(
    owner: Organization,
    *,
    capacity: int | None = 2,
    starts: datetime.datetime | None = None,
    hosts: tuple[Organization, ...] = (),
    **fields: Any,
) -> Event:
    starts = starts or soon()
    defaults: dict[str, Any] = {
        "title": "Rally for the Welcoming City Ordinance",
        "description": "Bring signs; we march to City Hall.",
        "address": "121 N LaSalle St, Chicago, IL 60602",
        "accessibility": "Step-free entrance on Clark St.",
        "neighborhood": "Loop",
        "ward": 42,
    }
    defaults.update(fields)
    return actions.create_event(
        owner=owner,
        created_by=None,
        hosts=hosts,
        shifts=[
            {
                "starts_at": starts,
                "ends_at": starts + datetime.timedelta(hours=2),
                "capacity": capacity,
            }
        ],
        **defaults,
    )


def rsvp_as(
    event: Event, email: str, *, shift: Shift | None = None, **fields: Any
) -> actions.Result:
    given: dict[str, Any] = {"first_name": email.split("@")[0].title(), "last_name": "Doe"}
    given.update(fields)
    [result] = actions.rsvp(event, [shift or event.shifts.get()], email=email, **given)
    return result


@pytest.fixture
def event(action_now: Organization, ocad: Organization, owner: User) -> Event:
    """Action Now's rally, co-hosted by OCAD: one shift in three days, two spots."""
    return make_event(action_now, hosts=(ocad,))


@pytest.fixture
def shift(event: Event) -> Shift:
    return event.shifts.get()


def statuses(event: Event) -> list[tuple[str, str]]:
    return list(RSVP.objects.filter(event=event).order_by("pk").values_list("email", "status"))
