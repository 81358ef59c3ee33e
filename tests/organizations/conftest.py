"""Personas for the organization pages, added to the shared ones in tests/conftest.py."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from groundswell.accounts.models import User
from groundswell.organizations import actions
from groundswell.organizations.models import Organization, Role
from tests.conftest import answerer_of, make_organizer


def join_coalition(coalition: Organization, member: Organization) -> None:
    """`member` joins `coalition` the only way it can: the coalition's invitation,
    accepted by an owner or admin of the member."""
    invitation = actions.invite_to_coalition(answerer_of(coalition), member)
    actions.accept_coalition_invitation(answerer_of(member), invitation)


@pytest.fixture
def admin(action_now: Organization) -> User:
    """Lee is an admin at Action Now: manages staff and settings, but not owners."""
    return make_organizer("lee@actionnow.example", action_now, Role.ADMIN)


@pytest.fixture
def coalition(db: None) -> Organization:
    """The Chicago Sanctuary Coalition, whose members are organizations."""
    return Organization.objects.create(
        name="Chicago Sanctuary Coalition", slug="sanctuary", is_coalition=True
    )


@pytest.fixture
def coordinator(coalition: Organization) -> User:
    """Tess coordinates (owns) the coalition."""
    return make_organizer("tess@sanctuary.example", coalition, Role.OWNER)


def _staff(organization: Organization) -> list[tuple[str, str]]:
    return sorted(organization.memberships.values_list("user__email", "role"))


@pytest.fixture
def staff() -> Callable[[Organization], list[tuple[str, str]]]:
    """Who is on an organization's staff, with which role: to show a refusal changed nothing."""
    return _staff
