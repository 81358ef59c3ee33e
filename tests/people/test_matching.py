"""people.actions.record_person: one person per human, matched by email, else by phone,
and never given an email address or phone number by input that found them otherwise
(whoever holds a person's address can ask for everything held about them)."""

from __future__ import annotations

import pytest

from groundswell.organizations.models import Organization
from groundswell.people import actions
from groundswell.people.models import Person, PersonEmail, PersonPhone

pytestmark = pytest.mark.django_db


def test_the_same_address_typed_differently_is_one_person() -> None:
    first = actions.record_person(email="Jane.Doe+petition@GoogleMail.com", first_name="Jane")
    second = actions.record_person(email="janedoe@gmail.com")
    assert first.pk == second.pk
    assert Person.objects.count() == 1


def test_a_known_person_keeps_their_name_and_only_blanks_are_filled() -> None:
    actions.record_person(email="ana@example.org", first_name="Ana")
    person = actions.record_person(
        email="ana@example.org", first_name="Someone Else", last_name="Reyes", zip_code="60608"
    )
    assert (person.first_name, person.last_name, person.zip_code) == ("Ana", "Reyes", "60608")


def test_a_phone_number_matches_however_it_is_written() -> None:
    person = actions.record_person(phone="(312) 555-0123", first_name="Luis")
    again = actions.record_person(phone="+1 312 555 0123")
    assert again.pk == person.pk
    assert list(PersonPhone.objects.values_list("number", flat=True)) == ["+13125550123"]
    assert person.email_normalized is None


def test_an_address_typed_with_a_known_phone_makes_a_new_person_not_their_address() -> None:
    # Unverified: the address could be anyone's, and it would receive their data.
    by_phone = actions.record_person(phone="312-555-0123")
    typed = actions.record_person(phone="312-555-0123", email="Luis@Example.org")
    assert typed.pk != by_phone.pk
    by_phone.refresh_from_db()
    assert by_phone.email_normalized is None
    assert not PersonEmail.objects.exists()
    assert typed.email_normalized == "luis@example.org"
    assert PersonPhone.objects.get().person == by_phone  # the number stays theirs


def test_a_second_address_with_a_known_phone_is_a_new_person_not_an_alias() -> None:
    ana = actions.record_person(email="ana@example.org", phone="3125550123")
    other = actions.record_person(email="attacker@example.net", phone="3125550123")
    assert other.pk != ana.pk
    assert not PersonEmail.objects.exists()
    assert actions.find_person(email="attacker@example.net") == other


def test_a_phone_typed_with_a_known_address_is_not_added_to_that_person() -> None:
    ana = actions.record_person(email="ana@example.org")
    again = actions.record_person(email="ana@example.org", phone="312-555-0123")
    assert again.pk == ana.pk
    assert not PersonPhone.objects.exists()
    # So the number cannot later lead someone else's phone-only record to her.
    assert actions.record_person(phone="312-555-0123").pk != ana.pk


def test_a_phone_first_seen_with_an_email_address_matches_no_one_from_elsewhere(
    action_now: Organization, other_org: Organization
) -> None:
    # An organizer typing their own address with someone's not-yet-known number must
    # not catch that person's later records: a number identifies people known by it alone.
    claimed = actions.record_person(email="attacker@example.net", phone="312-555-0123")
    later = actions.record_person(phone="312-555-0123", first_name="Vic")
    assert later.pk != claimed.pk
    assert later.email_normalized is None
    claimed.refresh_from_db()
    assert claimed.first_name == ""


def test_an_organization_finds_its_own_supporter_by_the_phone_it_sees(
    action_now: Organization, other_org: Organization
) -> None:
    ana = actions.record_person(email="ana@example.org")
    actions.link_supplied(ana, action_now, source="manual", phone="312-555-0123")
    assert actions.record_person(phone="(312) 555-0123", organization=action_now) == ana
    assert actions.record_person(phone="(312) 555-0123", organization=other_org) != ana


def test_a_number_the_organization_may_not_see_finds_no_one(action_now: Organization) -> None:
    # Given on a form without consent: typing it must not tell whose it is.
    ana = actions.record_person(email="ana@example.org")
    actions.link(ana, action_now, source="form", first_name="Ana", phone="312-555-0123")
    typed = actions.record_person(phone="(312) 555-0123", organization=action_now)
    assert typed != ana


def test_an_address_held_by_someone_the_organization_knows_without_it_is_kept_apart(
    action_now: Organization, other_org: Organization
) -> None:
    ana = actions.record_person(email="ana@example.org")
    actions.link(ana, action_now, source="petition:x", first_name="Ana", zip_code="60623")

    apart = actions.record_person(email="Ana@Example.org", organization=action_now)
    # Unknown to Elsewhere: matched, its new record holding only what it typed.
    assert actions.record_person(email="ana@example.org", organization=other_org) == ana
    # The address stays hers alone; the record typed in is kept apart, yet hers.
    assert (apart.holder, apart.email, apart.email_normalized) == (ana, "Ana@Example.org", None)
    assert actions.find_person(email="ana@example.org") == ana
    assert not PersonEmail.objects.exists()
    # Typed again, it is the organization's own record (it sees the address there).
    actions.link_supplied(apart, action_now, source="manual", email="Ana@Example.org")
    assert actions.record_person(email="ana@example.org", organization=action_now) == apart


def test_someone_with_neither_email_nor_phone_is_refused() -> None:
    with pytest.raises(ValueError, match="email address or a phone"):
        actions.record_person(first_name="Nobody", phone="not a number")
    assert not Person.objects.exists()
