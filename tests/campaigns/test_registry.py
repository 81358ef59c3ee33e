"""campaigns.registry: higher apps' parts on a campaign page, and the people registry's
view of sign-ons (copy of one's data, erasure)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.http import HttpRequest
from django.test import Client

from groundswell.campaigns import actions, registry
from groundswell.campaigns.models import Campaign, Endorsement
from groundswell.campaigns.records import EndorsementRecords
from groundswell.people.models import Person
from tests.campaigns.conftest import approved

pytestmark = pytest.mark.django_db


class Broken:
    name = "broken"
    order = 0

    def section(self, campaign: Campaign, request: HttpRequest) -> registry.Section | None:
        raise RuntimeError("a provider's bug")


class Events:
    name = "test-events"
    order = 20

    def section(self, campaign: Campaign, request: HttpRequest) -> registry.Section | None:
        return registry.Section(
            key="events",
            heading="Upcoming events",
            items=[registry.Item(title="Roll call", url="/events/1/", detail="Saturday")],
        )


@pytest.fixture
def providers() -> Iterator[None]:
    saved = dict(registry._providers)
    yield
    registry._providers.clear()
    registry._providers.update(saved)


def test_sections_appear_in_order_and_a_broken_one_is_left_out(
    client: Client, campaign: Campaign, providers: Any
) -> None:
    registry.register(Broken())
    registry.register(Events())
    response = client.get(campaign.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="events-heading">Upcoming events' in page
    assert 'href="/events/1/"' in page and "Saturday" in page


def test_the_petitions_provider_is_registered() -> None:
    assert "petitions" in [p.name for p in registry.providers()]


def test_erasure_removes_the_contact_and_keeps_the_public_endorsement(
    campaign: Campaign,
) -> None:
    endorsement = approved(campaign)
    person = Person.objects.get()
    records = EndorsementRecords()
    [item] = records.export(person)["items"]
    assert item["contact_email"] == "omar@swop.example"
    assert records.erase(person) == 1
    endorsement.refresh_from_db()
    assert (endorsement.contact_email, endorsement.contact_name, endorsement.person) == (
        "",
        "",
        None,
    )
    assert endorsement.organization_name == "Southwest Organizing Project"
    assert Endorsement.objects.approved().count() == 1
    # The same organization and address may sign on again afterwards.
    assert actions.record_endorsement(
        campaign,
        organization_name="Southwest Organizing Project",
        contact_name="Omar",
        contact_email="omar@swop.example",
    ).endorsement


def test_the_owner_can_find_the_contacts_who_endorsed(campaign: Campaign) -> None:
    approved(campaign)
    records = EndorsementRecords()
    [(key, label)] = records.actions(campaign.owner)
    assert label == "Endorsed: Police Contract Accountability"
    assert list(records.people_who(key, campaign.owner)) == [{"person_id": Person.objects.get().pk}]
    assert not records.people_who(key, campaign.partners.get()).exists()
    assert [e.kind for e in records.timeline(Person.objects.get(), campaign.owner)] == [
        "endorsement"
    ]
