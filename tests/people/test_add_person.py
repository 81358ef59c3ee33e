"""Adding someone by hand: /manage/<org>/people/new/."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.people import actions
from groundswell.people.actions import find_person
from groundswell.people.models import (
    AuditEvent,
    Consent,
    Person,
    PersonEmail,
    PersonPhone,
    Supporter,
    Tagging,
)
from groundswell.petitions.models import Petition
from tests.conftest import login
from tests.people.test_export import rows
from tests.people.test_search import add_supporter
from tests.petitions.test_export import sign

pytestmark = pytest.mark.django_db

ADD_URL = reverse("people_manage:add", args=["action-now"])


def form(**fields: str) -> dict[str, Any]:
    return {
        "first_name": "Luz",
        "last_name": "Ortega",
        "email": "luz@example.org",
        "phone": "",
        "language": "es",
        "consent": "none",
        "tags": "",
        "custom_fields": "",
        **fields,
    }


def test_it_adds_a_supporter_with_what_was_typed_and_no_consent(
    client: Client, organizer: User, action_now: Organization
) -> None:
    response = login(client, organizer).post(
        ADD_URL, form(zip_code="60608", tags="door knock", custom_fields="met at: church")
    )
    assert response.status_code == 303
    supporter = Supporter.objects.get(organization=action_now)
    assert response["Location"] == reverse(
        "people_manage:person", args=["action-now", supporter.pk]
    )
    assert (supporter.first_name, supporter.email, supporter.zip_code, supporter.language) == (
        "Luz",
        "luz@example.org",
        "60608",
        "es",
    )
    assert supporter.custom_fields == {"met at": "church"}
    assert Tagging.objects.filter(person=supporter.person, tag__name="door knock").exists()
    assert not Consent.objects.exists()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CHANGED, person=supporter.person
    ).exists()


def test_stating_they_agreed_to_email_records_consent(
    client: Client, organizer: User, action_now: Organization
) -> None:
    login(client, organizer).post(ADD_URL, form(consent="email", consent_note="sign-in sheet"))
    consent = Consent.objects.get(organization=action_now)
    assert consent.withdrawn_at is None
    assert "sign-in sheet" in consent.source


def test_a_phone_alone_is_enough(client: Client, organizer: User, action_now: Organization) -> None:
    login(client, organizer).post(ADD_URL, form(email="", phone="(312) 555-0100"))
    assert Supporter.objects.get(organization=action_now).phone == "+13125550100"


def test_it_refuses_without_email_or_phone_and_consent_without_email(
    client: Client, organizer: User, action_now: Organization
) -> None:
    login(client, organizer)
    for bad, message in (
        (form(email="", phone=""), "Give an email address or a phone number"),
        (form(email="", phone="312-555-0100", consent="email"), "Consent to email needs"),
        (form(email="nope"), "Enter a valid email address"),
        (form(consent="maybe"), "Select a valid choice"),
    ):
        response = client.post(ADD_URL, bad)
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not Person.objects.exists()
    assert not Supporter.objects.exists()


def test_adding_someone_already_known_fills_blanks_only(
    client: Client, organizer: User, action_now: Organization
) -> None:
    ana = add_supporter(action_now, "Ana", email="ana@example.org")
    response = login(client, organizer).post(
        ADD_URL, form(first_name="Other", email="ANA@example.org", city="Chicago"), follow=True
    )
    assert "already among your supporters" in response.content.decode()
    ana.refresh_from_db()
    assert (ana.first_name, ana.city) == ("Ana", "Chicago")
    assert Supporter.objects.filter(organization=action_now).count() == 1


def test_an_organizers_address_with_someone_elses_phone_is_a_new_person_not_their_alias(
    client: Client, outsider: User, action_now: Organization, other_org: Organization
) -> None:
    # Otherwise /people/my-data/ at the organizer's address would mail them her record.
    victim = actions.record_person(email="victim@example.org", first_name="Vic")
    PersonPhone.objects.create(person=victim, number="+13125550123")  # as stored before
    actions.link(victim, action_now, source="import:1", phone="+13125550123", address="1 Secret")
    response = login(client, outsider).post(
        reverse("people_manage:add", args=["elsewhere"]),
        form(first_name="X", email="attacker@evil.example", phone="(312) 555-0123"),
    )
    assert response.status_code == 303
    assert not PersonEmail.objects.exists()
    attacker = find_person(email="attacker@evil.example")
    assert attacker is not None and attacker != victim
    assert not Supporter.objects.filter(person=victim, organization=other_org).exists()
    assert list(PersonPhone.objects.values_list("person", flat=True)) == [victim.pk]


def test_a_phone_match_never_gives_someone_known_by_phone_a_primary_address(
    client: Client, outsider: User, action_now: Organization
) -> None:
    luis = actions.record_person(phone="312-555-0123", first_name="Luis")
    actions.link(luis, action_now, source="import:1", phone="312-555-0123")
    login(client, outsider).post(
        reverse("people_manage:add", args=["elsewhere"]),
        form(email="attacker@evil.example", phone="312-555-0123"),
    )
    luis.refresh_from_db()
    assert luis.email_normalized is None and luis.email == ""
    assert find_person(email="attacker@evil.example") != luis


@pytest.fixture
def cosigned(petition: Petition, action_now: Organization) -> Supporter:
    """Ana signed Action Now's petition, co-sponsored by OCAD, agreeing to hear from
    Action Now only: OCAD knows her name and ZIP code, never her address."""
    signature = sign(
        petition,
        "Ana",
        consents=[action_now.pk],
        email="ana@example.org",
        zip_code="60623",
        address="77 Hidden Ave",
    )
    return Supporter.objects.get(organization__slug="ocad", person=signature.person)


def added(client: Client, org: str, **fields: str) -> tuple[Any, Any]:
    """The answer to the add form, and the page it leads to (with its message)."""
    response = client.post(reverse("people_manage:add", args=[org]), form(**fields))
    return response, client.get(response["Location"])


def test_an_address_the_organization_cannot_see_gets_the_same_answer_as_an_unknown_one(
    client: Client, ocad_organizer: User, ocad: Organization, cosigned: Supporter
) -> None:
    login(client, ocad_organizer)
    unknown, unknown_page = added(client, "ocad", first_name="Luz", email="nobody@example.org")
    known, known_page = added(client, "ocad", first_name="Luz", email="ANA@example.org")

    assert unknown.status_code == known.status_code == 303
    for response, page in ((unknown, unknown_page), (known, known_page)):
        supporter = page.context["supporter"]
        assert response["Location"] == reverse("people_manage:person", args=["ocad", supporter.pk])
        assert [str(m) for m in page.context["messages"]] == ["Added to your supporters."]
    record = known_page.context["supporter"]
    assert record.pk != cosigned.pk
    text = known_page.content.decode()
    assert "ANA@example.org" in text  # typed by OCAD's organizer: its own
    for hidden in ("Reyes", "60623", "77 Hidden Ave"):  # the signature's, never joined to it
        assert hidden not in text, hidden
    cosigned.refresh_from_db()
    assert (cosigned.first_name, cosigned.email, cosigned.supplied) == ("Ana", "", {})
    page = client.get(reverse("people_manage:person", args=["ocad", cosigned.pk]))
    assert not page.context["contactable"]
    assert "ana@example.org" not in page.content.decode().lower()
    assert Supporter.objects.filter(organization=ocad).count() == 3


def test_stating_consent_for_such_an_address_unlocks_nothing_the_organization_was_not_given(
    client: Client, ocad_organizer: User, ocad: Organization, cosigned: Supporter
) -> None:
    login(client, ocad_organizer)
    for typed in (
        form(first_name="", email="junk@attacker.example", phone="312-555-0199", consent="email"),
        form(first_name="", email="ana@example.org", consent="email"),
    ):
        assert client.post(reverse("people_manage:add", args=["ocad"]), typed).status_code == 303
    page = client.get(reverse("people_manage:person", args=["ocad", cosigned.pk]))
    assert not page.context["contactable"]
    assert "77 Hidden Ave" not in page.content.decode()
    exported = rows(client.get(reverse("people_manage:export", args=["ocad"])))
    assert all(row["address"] == "" for row in exported)
    by_email = {row["email"]: row for row in exported}
    assert by_email["ana@example.org"]["email_consent"] == "yes"  # its own record of her
    assert by_email[""]["first_name"] == "Ana"  # the signer, still without an address


def test_their_unsubscribe_wins_over_an_address_typed_in_again(
    client: Client, ocad_organizer: User, petition: Petition, ocad: Organization
) -> None:
    signature = sign(petition, "Ana", consents=[ocad.pk], email="ana@example.org")
    actions.withdraw_email_consent(signature.person, ocad, source="unsubscribe link")
    login(client, ocad_organizer)
    response, page = added(
        client, "ocad", first_name="Luz", email="ana@example.org", consent="email"
    )
    assert response.status_code == 303
    assert [str(m) for m in page.context["messages"]] == ["Added to your supporters."]
    record = page.context["supporter"]
    assert "ana@example.org" in page.content.decode()
    assert not Consent.objects.active().filter(organization=ocad).exists()
    assert "withdrawn on" in page.content.decode()
    assert "Reyes" not in page.content.decode()
    assert record.person_id != signature.person_id


def test_where_an_added_person_lands_says_nothing_of_who_else_knows_them(
    client: Client, outsider: User, action_now: Organization
) -> None:
    for n in range(3):
        add_supporter(action_now, f"Filler{n}")
    known = add_supporter(action_now, "Known")
    login(client, outsider)
    add_url = reverse("people_manage:add", args=["elsewhere"])
    fresh = client.post(add_url, form(email="fresh@example.org"))
    again = client.post(add_url, form(email=known.email))
    ids = [
        Supporter.objects.get(organization__slug="elsewhere", email=e).pk
        for e in ("fresh@example.org", known.email)
    ]
    assert [fresh["Location"], again["Location"]] == [
        reverse("people_manage:person", args=["elsewhere", pk]) for pk in ids
    ]
    assert ids[1] == ids[0] + 1  # the next of Elsewhere's own rows, however old she is
    assert str(known.person_id) not in again["Location"].split("/")
