"""Supporter rows: who may see a person, and what each organization was itself given."""

from __future__ import annotations

from typing import Any

import pytest

from groundswell.organizations.models import Organization
from groundswell.people import actions
from groundswell.people.models import Activity, Channel, Person, Supporter
from groundswell.petitions import actions as petition_actions
from groundswell.petitions.models import Petition
from tests.conftest import SIGNER

pytestmark = pytest.mark.django_db


def sign_and_confirm(petition: Petition, **overrides: Any) -> Person:
    fields = {**SIGNER, "email_normalized": SIGNER["email"], **overrides}
    signature = petition_actions.record_signature(petition, **fields).signature
    result = petition_actions.verify_signature(petition_actions.verification_token(signature))
    assert result.signature is not None and result.signature.person is not None
    return result.signature.person


def test_a_confirmed_signer_is_known_to_the_owner_and_every_co_sponsor(
    petition: Petition, action_now: Organization, ocad: Organization, other_org: Organization
) -> None:
    person = sign_and_confirm(petition, address="123 Main St")
    assert set(Person.objects.visible_to(action_now)) == {person}
    assert set(Person.objects.visible_to(ocad)) == {person}
    assert not Person.objects.visible_to(other_org).exists()
    supporter = Supporter.objects.get(organization=ocad)
    assert (supporter.first_name, supporter.zip_code, supporter.source) == (
        "Ana",
        "60608",
        "petition:defend-chicago",
    )


def test_a_pending_signature_makes_nobody_visible(
    petition: Petition, action_now: Organization
) -> None:
    petition_actions.record_signature(petition, **SIGNER, email_normalized=SIGNER["email"])
    assert not Supporter.objects.exists()


def test_contact_is_only_where_the_signer_consented(
    petition: Petition, action_now: Organization, ocad: Organization
) -> None:
    sign_and_confirm(petition, consents=[action_now.pk])
    assert Supporter.objects.visible_to(action_now).get().contactable
    assert not Supporter.objects.visible_to(ocad).get().contactable


def test_a_co_sponsor_joining_later_sees_who_signed_but_not_how_to_reach_them(
    petition: Petition, action_now: Organization, ocad: Organization, other_org: Organization
) -> None:
    person = sign_and_confirm(petition, consents=[action_now.pk])
    petition_actions.update_petition(petition, sponsors=[ocad, other_org])
    supporter = Supporter.objects.visible_to(other_org).get()
    assert supporter.person == person
    assert supporter.first_name == "Ana"
    assert not supporter.contactable


def test_what_another_organization_typed_in_never_reaches_this_one(
    action_now: Organization, ocad: Organization
) -> None:
    person = actions.record_person(email="ana@example.org", first_name="Ana", zip_code="60608")
    actions.link(person, action_now, source="import:1", first_name="Ana", zip_code="60608")
    same = actions.record_person(email="ana@example.org")
    actions.link(same, ocad, source="form", email="ana@example.org")
    ocads = Supporter.objects.get(organization=ocad)
    assert (ocads.first_name, ocads.zip_code) == ("", "")


def test_a_later_action_fills_the_organizations_blanks_without_overwriting(
    action_now: Organization,
) -> None:
    person = actions.record_person(email="ana@example.org")
    actions.link(person, action_now, source="a", first_name="Ana")
    actions.link(person, action_now, source="b", first_name="Other", phone="(312) 555-0123")
    supporter = Supporter.objects.get()
    assert (supporter.first_name, supporter.phone, supporter.source) == (
        "Ana",
        "+13125550123",
        "a",
    )


def test_consent_given_and_withdrawn_are_on_the_timeline_once_each(
    action_now: Organization,
) -> None:
    person = actions.record_person(email="ana@example.org")
    actions.grant_consent(person, action_now, source="form")
    actions.grant_consent(person, action_now, source="form again")  # already active
    assert actions.withdraw_email_consent(person, action_now, source="unsubscribe link")
    assert not actions.withdraw_email_consent(person, action_now, source="twice")
    kinds = list(Activity.objects.order_by("pk").values_list("kind", "summary"))
    assert kinds == [
        (Activity.Kind.CONSENT_GIVEN, Channel.EMAIL),
        (Activity.Kind.CONSENT_WITHDRAWN, Channel.EMAIL),
    ]
    assert Person.objects.visible_to(action_now).get() == person


def test_tags_reach_only_people_the_organization_can_see(
    action_now: Organization, ocad: Organization
) -> None:
    mine = actions.record_person(email="ana@example.org")
    actions.link(mine, action_now, source="form")
    theirs = actions.record_person(email="luis@example.org")
    actions.link(theirs, ocad, source="form")
    tag = actions.get_or_create_tag(action_now, "  Ward 25   captain ")
    assert actions.get_or_create_tag(action_now, "ward 25 CAPTAIN") == tag
    assert actions.tag_people(tag, [mine.pk, theirs.pk]) == 1
    assert list(tag.taggings.values_list("person", flat=True)) == [mine.pk]
