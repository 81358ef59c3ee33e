"""Adding someone by hand: /manage/<org>/people/new/."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.people.models import AuditEvent, Consent, Person, Supporter, Tagging
from tests.conftest import login
from tests.people.test_search import add_supporter

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
        "people_manage:person", args=["action-now", supporter.person_id]
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
