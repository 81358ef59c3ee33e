"""Fuzzing /api/v2 from its own OpenAPI document with schemathesis: valid and invalid
requests to every operation, authenticated as an organization with data; none may
make a 5xx. Bounded (FUZZ_EXAMPLES per operation) to keep CI fast."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from groundswell.organizations.models import Organization
from groundswell.people import actions
from groundswell.people import actions as people_actions
from groundswell.petitions import actions as petition_actions
from tests.api.conftest import add_supporter, token_for
from tests.api.test_forms import confirmed_signup
from tests.events.conftest import make_event, rsvp_as

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))

schema = schemathesis.openapi.from_wsgi("/api/v2/openapi.json", get_wsgi_application())


@pytest.fixture
def token(db: None, settings: Any) -> Iterator[str]:
    """Action Now with supporters, a tag, a list, a petition with a signature, an event
    with RSVPs and a volunteer sign-up; the
    WSGI app shares the test's database connection (as Django's test client does)."""
    settings.API_RATE = (100_000, 60)
    organization = Organization.objects.create(name="Action Now", slug="action-now")
    ana = add_supporter(organization, "Ana", consent=True, zip_code="60608")
    add_supporter(organization, "Ben", phone="3125550123")
    tag = people_actions.get_or_create_tag(organization, "volunteer")
    people_actions.tag_people(tag, [ana.person_id])
    people_list = actions.create_list(organization, "Ward 25")
    actions.add_to_list(people_list, [ana.person_id])
    petition = petition_actions.create_petition(
        owner=organization,
        created_by=None,
        targets=[{"name": "Mayor"}],
        slug="p",
        title="P",
        ask="Do it",
    )
    petition_actions.record_vouched_signature(
        petition,
        ana.person,
        organization=organization,
        first_name="Ana",
        last_name="",
        email=ana.email,
    )
    event = make_event(organization, capacity=1)
    rsvp_as(event, ana.email)
    rsvp_as(event, "ben@example.org")  # the waitlist
    confirmed_signup(organization, "cara@example.org")
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield token_for(organization)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_request_makes_a_server_error(case: Any, token: str) -> None:
    response = case.call(headers={"OSDI-API-Token": token})
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} gave {response.status_code}: "
        f"{response.text[:500]}\n{case.as_curl_command()}"
    )
    if response.status_code >= 400:
        assert "error" in response.json(), response.text[:300]
