"""Cases test setup: Action Now takes cases; Cora manages them, Ada is an advocate on the
case, Dee organizes there but is on no case, Sam is at another organization."""

from __future__ import annotations

import time

import pytest

from groundswell.accounts.models import User
from groundswell.cases import actions
from groundswell.cases.models import Case, CaseType
from groundswell.organizations.models import Organization, Role
from tests.conftest import make_organizer

SECRET_DETAIL = "insulin withheld since Tuesday"
IDOC = "R12345"


@pytest.fixture
def types(action_now: Organization) -> dict[str, CaseType]:
    actions.seed_case_types(action_now)
    return {t.slug: t for t in CaseType.objects.filter(organization=action_now)}


@pytest.fixture
def manager(action_now: Organization, owner: User) -> User:
    """Cora manages Action Now's cases (its owner Maria named her)."""
    cora = make_organizer("cora@actionnow.example", action_now, Role.ORGANIZER)
    actions.add_case_manager(action_now, cora, by=owner)
    return cora


@pytest.fixture
def advocate(action_now: Organization) -> User:
    """Ada is an organizer at Action Now, the advocate on the case."""
    return make_organizer("ada@actionnow.example", action_now, Role.ORGANIZER)


@pytest.fixture
def case(
    action_now: Organization, types: dict[str, CaseType], manager: User, advocate: User
) -> Case:
    """A medical emergency taken in by Cora and assigned to Ada."""
    opened = actions.open_case(
        action_now,
        case_type=types["medical-emergency"],
        client_name="Fictional Client",
        facility="Stateville Correctional Center",
        jurisdiction="IDOC",
        idoc_number=IDOC,
        description="He collapsed in his cell.",
        medical_details=SECRET_DETAIL,
        legal_notes="Counsel: none yet.",
        by=manager,
    )
    actions.assign(opened, advocate, by=manager)
    return opened


def request_token(age: float = 60) -> str:
    """The public request form's token as a page served it `age` seconds ago."""
    from groundswell.cases.views import REQUEST_SCREEN

    return REQUEST_SCREEN.token(now=time.time() - age)
