"""The PyPI `osdi` package's ActionNetworkService against a live Groundswell (its base
URL is a constructor argument): people, custom fields and taggings."""

from __future__ import annotations

from typing import Any

import pytest
from osdi.action_network.person import ANPerson
from osdi.action_network.service import ActionNetworkService

from groundswell.organizations.models import Organization
from groundswell.people import actions as people_actions
from groundswell.people.models import Supporter, Tagging
from tests.api.conftest import add_supporter, token_for


@pytest.fixture
def service_for(live_server: Any, action_now: Organization) -> Any:
    token = token_for(action_now)

    def connect() -> ActionNetworkService:
        service = ActionNetworkService(f"{live_server.url}/api/v2", token)
        service.model = ANPerson
        return service

    return connect


def test_create_find_and_update_a_person(service_for: Any, action_now: Organization) -> None:
    people_actions.get_or_create_tag(action_now, "volunteer")
    service = service_for()
    created = service.create_person(
        "Ana", "Reyes", "ana@example.org", custom_fields={"ward": "25"}, model=ANPerson
    )
    supporter = Supporter.objects.get(organization=action_now)
    assert created.id == str(supporter.pk)

    person = service.find_person(an_id=created.id)
    person.update_field("ward", "26")
    person.update_tag("volunteer", True)
    person.update()

    supporter.refresh_from_db()
    assert supporter.custom_fields == {"ward": "26"}
    assert Tagging.objects.filter(tag__name="volunteer", person=supporter.person).exists()
    again = service.find_person(an_id=created.id)
    assert set(again.tags) == {"volunteer"}

    again.update_tag("volunteer", False)
    again.update()
    assert not Tagging.objects.exists()


def test_find_by_email_only_where_the_organization_sees_the_address(
    service_for: Any, action_now: Organization
) -> None:
    add_supporter(action_now, "Ana", email="ana@example.org", consent=True)
    add_supporter(action_now, "Ben", email="ben@example.org", consent=False)
    # Cy gave Action Now his address on a form, without agreeing to hear from it.
    cy = people_actions.record_person(email="cy@example.org")
    people_actions.link(cy, action_now, source="form", first_name="Cy", email="cy@example.org")
    service = service_for()

    found = service.find_person(email="ana@example.org")
    assert found is not None and found.email == "ana@example.org"
    typed = service.find_person(email="ben@example.org")  # typed in by Action Now itself
    assert typed is not None and typed.email == "ben@example.org"
    assert service.find_person(email="cy@example.org") is None
