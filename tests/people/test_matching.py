"""people.actions.record_person: one person per human, matched by email, then phone."""

from __future__ import annotations

import pytest

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


def test_an_email_given_later_to_someone_known_by_phone_becomes_their_address() -> None:
    person = actions.record_person(phone="312-555-0123")
    again = actions.record_person(phone="312-555-0123", email="Luis@Example.org")
    assert again.pk == person.pk
    again.refresh_from_db()
    assert again.email_normalized == "luis@example.org"


def test_a_second_address_is_kept_and_matches_from_then_on() -> None:
    person = actions.record_person(email="ana@example.org", phone="3125550123")
    actions.record_person(email="ana.work@example.org", phone="3125550123")
    assert PersonEmail.objects.get().normalized == "ana.work@example.org"
    assert actions.find_person(email="ANA.WORK@example.org") == person


def test_someone_with_neither_email_nor_phone_is_refused() -> None:
    with pytest.raises(ValueError, match="email address or a phone"):
        actions.record_person(first_name="Nobody", phone="not a number")
    assert not Person.objects.exists()
