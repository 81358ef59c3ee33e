"""A proposer's name and address are in their copy of their data and go when they are
erased (everywhere, or by the owning organization); the event itself stays."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from groundswell.accounts.models import User
from groundswell.campaigns.models import Campaign
from groundswell.events import actions
from groundswell.events.models import Event
from groundswell.events.records import RSVPRecords
from groundswell.organizations.models import Organization
from groundswell.people.models import Erasure, Person, PersonEmail
from groundswell.people.rights import actions as rights

pytestmark = pytest.mark.django_db


def propose(campaign: Campaign, email: str = "rosa@example.org") -> Event:
    starts = timezone.now() + datetime.timedelta(days=5)
    return actions.propose_event(
        campaign,
        name="Rosa Martinez",
        email=email,
        shift={
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=1),
            "capacity": 10,
        },
        title="House meeting",
        description="Coffee with neighbors.",
    )


@pytest.fixture
def campaign(action_now: Organization) -> Campaign:
    return Campaign.objects.create(
        owner=action_now, slug="welcoming-city", title="Welcoming City", status="active"
    )


@pytest.fixture
def ocad_campaign(ocad: Organization) -> Campaign:
    return Campaign.objects.create(owner=ocad, slug="ocad-city", title="OCAD", status="active")


def blanked(event: Event) -> bool:
    event.refresh_from_db()
    return (event.proposer_name, event.proposer_email, event.proposed_by_id) == ("", "", None)


def test_a_proposal_is_in_the_proposers_copy_of_their_data(campaign: Campaign) -> None:
    propose(campaign)
    [item] = RSVPRecords().export(Person.objects.get())["proposals"]
    assert item["event"] == "House meeting"
    assert (item["name"], item["email"]) == ("Rosa Martinez", "rosa@example.org")


def test_erasing_the_proposer_blanks_their_name_and_address_and_keeps_the_event(
    campaign: Campaign,
) -> None:
    event = propose(campaign)
    Event.objects.filter(pk=event.pk).update(proposer_ip="198.51.100.7")
    rights.erase(Person.objects.get(), via=Erasure.Via.SUPPORTER)
    assert blanked(event)
    assert Event.objects.get(pk=event.pk).proposer_ip is None
    assert Event.objects.filter(pk=event.pk, title="House meeting").exists()


def test_erasure_finds_a_proposal_by_another_address_of_the_person(
    campaign: Campaign, action_now: Organization
) -> None:
    other = propose(campaign, email="Rosa.Old@Example.org")
    Event.objects.filter(pk=other.pk).update(proposed_by=None)  # linked only by address
    person = Person.objects.get()
    person.email_normalized = "rosa@example.org"
    person.save()
    PersonEmail.objects.filter(person=person).delete()
    PersonEmail.objects.create(
        person=person, address="rosa.old@example.org", normalized="rosa.old@example.org"
    )
    assert RSVPRecords().erase(person) == 1
    assert blanked(other)


def test_an_organization_forgetting_the_proposer_blanks_only_its_own_events(
    campaign: Campaign, ocad_campaign: Campaign, action_now: Organization, owner: User
) -> None:
    ours, theirs = propose(campaign), propose(ocad_campaign)
    rights.erase_from_organization(Person.objects.get(), action_now, by=owner)
    assert blanked(ours)
    theirs.refresh_from_db()
    assert theirs.proposer_name == "Rosa Martinez"
    assert theirs.proposer_email == "rosa@example.org"
