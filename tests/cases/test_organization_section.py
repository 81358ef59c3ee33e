"""The cases' parts of an organization's pages: the public request link, and what waits
for its case managers."""

from __future__ import annotations

import pytest
from django.test import Client

from groundswell.accounts.models import User
from groundswell.cases import actions
from groundswell.cases.models import CaseType
from groundswell.organizations.models import Organization
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_the_public_page_links_to_the_request_form_when_it_takes_requests(
    client: Client, action_now: Organization
) -> None:
    assert "/help/action-now/" not in client.get("/orgs/action-now/").content.decode()
    actions.seed_case_types(action_now)
    assert "/help/action-now/" in client.get("/orgs/action-now/").content.decode()


def test_case_managers_see_the_cases_waiting_for_an_assignment(
    action_now: Organization, types: dict[str, CaseType], manager: User, organizer: User
) -> None:
    actions.open_case(action_now, case_type=types["medical-emergency"], client_name="X")
    overview = login(Client(), manager).get("/manage/action-now/").content.decode()
    assert "1 case waits for someone to be assigned" in overview
    overview = login(Client(), organizer).get("/manage/action-now/").content.decode()
    assert "waits for someone to be assigned" not in overview
