"""Which contact fields of its record of a person an organization may change: one rule
(people.actions.changeable, held by update_supporter), the same through the organizer's
edit screen, the API and the admin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.people import actions
from groundswell.people.models import Supporter
from tests.api.conftest import ApiClient, token_for
from tests.conftest import PASSWORD, login

pytestmark = pytest.mark.django_db

NEW_EMAIL, NEW_PHONE = "new@example.org", "+13125550100"


def typed_by_the_organization(organization: Organization) -> Supporter:
    """Its organizer added Luz by hand, without her consent: her address is its own."""
    return actions.add_person(
        organization,
        fields={"first_name": "Luz", "email": "luz@example.org"},
        consent_to_email=False,
    ).supporter


def given_by_them(organization: Organization, *, consent: bool = False) -> Supporter:
    """Luz gave the organization her name and address on one of its forms."""
    luz = actions.record_person(email="luz@example.org", first_name="Luz")
    supporter = actions.link(
        luz, organization, source="form", first_name="Luz", email="luz@example.org"
    )
    if consent:
        actions.grant_consent(luz, organization, source="form")
    return supporter


def signed_without_consent(organization: Organization) -> Supporter:
    """Luz signed a petition the organization co-sponsors, without agreeing to hear
    from it: it knows her name and ZIP code (petitions.records.fields_of)."""
    luz = actions.record_person(email="luz@example.org", first_name="Luz")
    return actions.link(luz, organization, source="petition:x", first_name="Luz", zip_code="60623")


def withdrawn_since(organization: Organization) -> Supporter:
    supporter = given_by_them(organization, consent=True)
    actions.withdraw_email_consent(supporter.person, organization, source="unsubscribe link")
    return supporter


# What it may change: the address it typed itself (and add a phone beside it); nothing
# of what she gave it without consent; everything while she consents.
RECORDS: dict[str, tuple[Callable[[Organization], Supporter], bool]] = {
    "typed by the organization": (typed_by_the_organization, True),
    "given with consent": (lambda org: given_by_them(org, consent=True), True),
    "given without consent": (given_by_them, False),
    "signed without consent": (signed_without_consent, False),
    "consent withdrawn since": (withdrawn_since, False),
}


def by_the_edit_screen(client: Client, organizer: User, supporter: Supporter) -> None:
    response = login(client, organizer).post(
        reverse("people_manage:edit", args=[supporter.organization.slug, supporter.pk]),
        {
            "first_name": supporter.first_name,
            "zip_code": supporter.zip_code,
            "language": "en",
            "email": NEW_EMAIL,
            "phone": NEW_PHONE,
        },
    )
    assert response.status_code == 303


def by_the_api(client: Client, organizer: User, supporter: Supporter) -> None:
    api = ApiClient(client, token_for(supporter.organization))
    response = api.put(
        f"people/{supporter.pk}",
        {"email_addresses": [{"address": NEW_EMAIL}], "phone_numbers": [{"number": NEW_PHONE}]},
    )
    assert response.status_code == 200


@pytest.mark.parametrize("interface", [by_the_edit_screen, by_the_api])
@pytest.mark.parametrize("record", RECORDS)
def test_one_rule_decides_which_contact_fields_change_everywhere(
    client: Client,
    organizer: User,
    action_now: Organization,
    record: str,
    interface: Callable[[Client, User, Supporter], None],
) -> None:
    make, may_change = RECORDS[record]
    supporter = make(action_now)
    before = (supporter.email, supporter.phone)

    interface(client, organizer, supporter)

    supporter.refresh_from_db()
    after = (supporter.email, supporter.phone)
    assert after == ((NEW_EMAIL, NEW_PHONE) if may_change else before)
    if may_change:  # and it is the organization's own from then on
        assert {"email", "phone"} <= set(supporter.supplied)


@pytest.mark.parametrize("record", RECORDS)
def test_the_edit_screen_offers_only_the_contact_fields_it_may_change(
    client: Client, organizer: User, action_now: Organization, record: str
) -> None:
    make, may_change = RECORDS[record]
    supporter = make(action_now)
    page = login(client, organizer).get(
        reverse("people_manage:edit", args=["action-now", supporter.pk])
    )
    fields = set(page.context["form"].fields)
    assert ({"email", "phone"} <= fields) is may_change
    assert ({"email", "phone"} <= actions.changeable(supporter)) is may_change
    if not may_change:
        assert "luz@example.org" not in page.content.decode()


def test_the_admin_changes_no_supporters_record(client: Client, action_now: Organization) -> None:
    operator = User.objects.create_superuser("ops@groundswell.example", PASSWORD)
    supporter = given_by_them(action_now)
    client.force_login(operator)
    url = reverse("admin:people_supporter_change", args=[supporter.pk])
    data: dict[str, Any] = {"email": NEW_EMAIL, "phone": NEW_PHONE}
    assert client.post(url, data).status_code == 403
    supporter.refresh_from_db()
    assert (supporter.email, supporter.phone) == ("luz@example.org", "")
