"""Volunteers' test setup: an organization's form with interests, and sign-ups made the
way a person makes them (the form, then the emailed link)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from groundswell.core.tokens import LinkOutcome
from groundswell.organizations.models import Organization
from groundswell.volunteers import actions
from groundswell.volunteers.models import Interest, Signup, Volunteer
from groundswell.volunteers.views import SIGNUP_SCREEN

CONFIRM_LINK = re.compile(r"https?://\S+/volunteer/confirm/\S+/")


def form_token(age: float = 60) -> str:
    import time

    return SIGNUP_SCREEN.token(now=time.time() - age)


def answers(**overrides: Any) -> dict[str, Any]:
    """What Ana types into the volunteer form."""
    data: dict[str, Any] = {
        "first_name": "Ana",
        "last_name": "Reyes",
        "email": "ana.reyes@example.org",
        "phone": "",
        "reach_by": "email",
        "skills": "Spanish interpretation",
        "languages": ["en", "es"],
        "availability": ["evenings", "weekends"],
        "availability_note": "Not on Tuesdays",
        "neighborhood": "Pilsen",
        "ward": "25",
        "form_token": form_token(),
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def interests(action_now: Organization) -> list[Interest]:
    return [
        actions.add_interest(action_now, "Rallies", "Manifestaciones"),
        actions.add_interest(action_now, "Court support", "Apoyo en la corte"),
    ]


def sign_up(client: Client, organization: Organization, **overrides: Any) -> Any:
    return client.post(f"/volunteer/{organization.slug}/", answers(**overrides))


def confirm_latest(email: str = "ana.reyes@example.org") -> Volunteer:
    """Confirm the newest sign-up with this address, as its emailed link would."""
    signup = Signup.objects.filter(email=email).latest("pk")
    result = actions.confirm_signup(actions.confirmation_token(signup))
    assert result.outcome == LinkOutcome.CONFIRMED, result
    assert signup.pk and result.signup and result.signup.volunteer
    return result.signup.volunteer


def volunteer(
    organization: Organization, client: Client | None = None, **overrides: Any
) -> Volunteer:
    """A confirmed volunteer in the organization's pipeline."""
    sign_up(client or Client(), organization, **overrides)
    return confirm_latest(overrides.get("email", "ana.reyes@example.org"))
