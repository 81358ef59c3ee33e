"""A record an organization typed in at an address held by someone it already knows
without seeing that address (people.actions.record_person): kept apart from them, so
nothing it could not see is joined to what it typed, yet theirs: their unsubscribe
reaches it, their erasure takes it, their copy of their data shows it."""

from __future__ import annotations

import pytest
from django.test import Client

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization, Role
from groundswell.people import actions
from groundswell.people.models import Consent, Erasure, Person, Supporter
from groundswell.people.rights import actions as rights
from tests.conftest import login, make_organizer
from tests.people.test_erasure import erase_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(action_now: Organization) -> Person:
    """Ana gave Action Now her name and ZIP code on a form, and her address without
    agreeing to hear from it: Action Now cannot see her address."""
    ana = actions.record_person(email="ana@example.org", first_name="Ana")
    actions.link(
        ana, action_now, source="form", first_name="Ana", zip_code="60623", email="ana@example.org"
    )
    return ana


def typed_in(organization: Organization, *, consent: bool = True) -> Supporter:
    """Its organizer types her address in from a sign-in sheet."""
    return actions.add_person(
        organization,
        fields={"first_name": "Luz", "email": "ana@example.org"},
        consent_to_email=consent,
        consent_note="sign-in sheet",
    ).supporter


def test_the_typed_record_is_kept_apart_and_theirs(action_now: Organization, ana: Person) -> None:
    record = typed_in(action_now)
    assert record.person.holder == ana
    assert Supporter.objects.filter(organization=action_now).count() == 2
    assert typed_in(action_now) == record  # typed again: its own record of that address


def test_their_unsubscribe_reaches_the_record_kept_apart(
    action_now: Organization, ana: Person
) -> None:
    record = typed_in(action_now)
    actions.grant_consent(ana, action_now, source="form")  # she agrees to hear from it later
    assert record.person.holder == ana
    assert Consent.objects.active().filter(organization=action_now).count() == 2

    actions.withdraw_email_consent(ana, action_now, source="unsubscribe link")

    assert not Consent.objects.active().filter(organization=action_now).exists()


def test_the_organization_withdrawing_one_record_leaves_the_other_alone(
    action_now: Organization, ana: Person
) -> None:
    # Otherwise withdrawing one would show it which of its records are the same person.
    record = typed_in(action_now)
    actions.grant_consent(ana, action_now, source="form")
    actions.withdraw_consent(ana, action_now, source="api")
    assert record.person.holder == ana
    assert Consent.objects.active().filter(person=record.person).exists()


def test_their_earlier_unsubscribe_wins_over_the_organizations_word(
    action_now: Organization, ana: Person
) -> None:
    actions.grant_consent(ana, action_now, source="form")
    actions.withdraw_email_consent(ana, action_now, source="unsubscribe link")
    record = typed_in(action_now)
    consent = Consent.objects.get(person=record.person)
    assert consent.withdrawn_at is not None
    assert consent.withdrawn_source == "unsubscribe link"


def test_their_copy_of_their_data_shows_it(action_now: Organization, ana: Person) -> None:
    typed_in(action_now)
    copy = rights.data_copy(ana)
    names = [o["details"]["first_name"] for o in copy["organizations"]]
    assert sorted(names) == ["Ana", "Luz"]
    assert [c["how"] for c in copy["consents"]] == ["manual: sign-in sheet"]


def test_erasing_them_everywhere_erases_it(action_now: Organization, ana: Person) -> None:
    record = typed_in(action_now)
    rights.erase(ana, via=Erasure.Via.SUPPORTER)
    assert not Person.objects.filter(pk=record.person_id).exists()
    assert not Supporter.objects.exists()


def test_the_organization_erasing_its_record_of_them_keeps_the_one_kept_apart(
    client: Client, action_now: Organization, ana: Person
) -> None:
    # Deleting it with them would tell the organization the two were the same person.
    record = typed_in(action_now)
    admin: User = make_organizer("ali@actionnow.example", action_now, Role.ADMIN)
    login(client, admin)
    theirs = Supporter.objects.get(organization=action_now, person=ana)
    assert client.post(erase_url(action_now, theirs)).status_code == 303
    assert list(Supporter.objects.filter(organization=action_now)) == [record]
    assert Erasure.objects.get().records["person"] == 0
