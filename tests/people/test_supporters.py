"""Supporter rows: who may see a person, and what each organization was itself given."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from groundswell.organizations.models import Organization
from groundswell.people import actions
from groundswell.people.models import Activity, Channel, Consent, Person, Supporter
from groundswell.petitions import actions as petition_actions
from groundswell.petitions.models import Petition
from tests.conftest import SIGNER, co_sponsor

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


def test_contact_details_reach_only_the_organizations_the_signer_consented_to(
    petition: Petition, action_now: Organization, ocad: Organization
) -> None:
    sign_and_confirm(petition, consents=[action_now.pk], address="123 Main St")
    owner = Supporter.objects.get(organization=action_now)
    assert (owner.email, owner.address) == (SIGNER["email"], "123 Main St")
    # Not merely hidden: never copied, so claiming her consent later unlocks nothing.
    co_sponsor = Supporter.objects.get(organization=ocad)
    assert (co_sponsor.email, co_sponsor.address) == ("", "")
    assert (co_sponsor.first_name, co_sponsor.zip_code) == ("Ana", "60608")


def test_a_co_sponsor_joining_later_sees_who_signed_but_not_how_to_reach_them(
    petition: Petition, action_now: Organization, ocad: Organization, other_org: Organization
) -> None:
    person = sign_and_confirm(petition, consents=[action_now.pk], address="123 Main St")
    co_sponsor(petition, other_org)
    supporter = Supporter.objects.visible_to(other_org).get()
    assert supporter.person == person
    assert supporter.first_name == "Ana"
    assert not supporter.contactable
    assert (supporter.email, supporter.phone, supporter.address, supporter.city) == ("",) * 4


def test_signing_again_with_consent_gives_the_organization_the_contact_details(
    petition: Petition, action_now: Organization, ocad: Organization
) -> None:
    sign_and_confirm(petition, consents=[action_now.pk], address="123 Main St")
    second = Petition.objects.get(pk=petition.pk)
    second.pk, second.slug = None, "second"
    second.save()
    second.sponsors.set([ocad])
    sign_and_confirm(second, consents=[ocad.pk], address="123 Main St")
    co_sponsor = Supporter.objects.visible_to(ocad).get()
    assert (co_sponsor.email, co_sponsor.address) == (SIGNER["email"], "123 Main St")
    assert co_sponsor.contactable


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


def test_an_organization_claiming_consent_never_undoes_the_persons_unsubscribe(
    action_now: Organization,
) -> None:
    person = actions.record_person(email="ana@example.org")
    actions.grant_consent(person, action_now, source="petition:x")
    actions.withdraw_email_consent(person, action_now, source="unsubscribe link")
    actions.grant_consent(person, action_now, source="added by an organizer", claimed=True)
    assert not Consent.objects.active().filter(person=person).exists()
    actions.grant_consent(person, action_now, source="petition:y")  # the person, again
    assert Consent.objects.active().filter(person=person).exists()


def test_consent_changes_bump_what_an_incremental_sync_reads(action_now: Organization) -> None:
    person = actions.record_person(email="ana@example.org")
    supporter = actions.link(person, action_now, source="form")
    Supporter.objects.filter(pk=supporter.pk).update(updated_at=timezone.now() - timedelta(days=1))
    before = Supporter.objects.get(pk=supporter.pk).updated_at
    actions.grant_consent(person, action_now, source="form")
    granted = Supporter.objects.get(pk=supporter.pk).updated_at
    assert granted > before
    actions.withdraw_email_consent(person, action_now, source="unsubscribe link")
    assert Supporter.objects.get(pk=supporter.pk).updated_at >= granted
