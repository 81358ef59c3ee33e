"""GET /petitions/verify/<token>/: confirming a signature."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import signing
from django.test import Client

from groundswell.people.models import Consent, Person
from groundswell.petitions import actions
from groundswell.petitions.models import CountChange, Petition, Signature, SignatureState
from tests.conftest import SIGNER

pytestmark = pytest.mark.django_db


def signed(petition: Petition, **overrides: Any) -> Signature:
    fields = {**SIGNER, "email_normalized": SIGNER["email"], **overrides}
    return actions.record_signature(petition, **fields).signature


def test_opening_the_link_only_asks_so_a_mail_scanner_confirms_nothing(
    client: Client, petition: Petition
) -> None:
    signature = signed(petition)
    response = client.get(f"/petitions/verify/{actions.verification_token(signature)}/")
    assert response.status_code == 200
    assert "Confirm my signature" in response.content.decode()
    signature.refresh_from_db()
    assert signature.state == SignatureState.PENDING
    assert not Person.objects.exists()


def test_the_button_verifies_and_applies_the_ticked_consents(
    client: Client, petition: Petition
) -> None:
    ocad = petition.sponsors.get()
    signature = signed(petition, consents=[ocad.pk])
    response = client.post(f"/petitions/verify/{actions.verification_token(signature)}/")
    assert response.status_code == 200
    assert "Your signature is confirmed" in response.content.decode()
    signature.refresh_from_db()
    assert signature.state == SignatureState.VERIFIED
    person = Person.objects.get()
    assert signature.person == person
    consents = Consent.objects.active().filter(person=person)
    assert [c.organization for c in consents] == [ocad]
    assert CountChange.objects.filter(verified=1).count() == 1


def test_a_reused_link_changes_nothing(client: Client, petition: Petition) -> None:
    signature = signed(petition)
    token = actions.verification_token(signature)
    client.post(f"/petitions/verify/{token}/")
    changes = CountChange.objects.count()
    response = client.post(f"/petitions/verify/{token}/")
    assert response.status_code == 200
    assert "already confirmed" in response.content.decode()
    assert CountChange.objects.count() == changes
    assert Person.objects.count() == 1


def test_a_forged_link_is_refused(client: Client, petition: Petition) -> None:
    signature = signed(petition)
    forged = signing.dumps({"s": signature.pk, "e": "0" * 16}, salt="wrong salt")
    response = client.get(f"/petitions/verify/{forged}/")
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    signature.refresh_from_db()
    assert signature.state == SignatureState.PENDING


def test_a_token_for_another_email_is_refused(client: Client, petition: Petition) -> None:
    signature = signed(petition)
    other = signing.dumps(
        {"s": signature.pk, "e": "f" * 16}, salt=actions.VERIFY_SALT, compress=True
    )
    assert client.get(f"/petitions/verify/{other}/").status_code == 400
    signature.refresh_from_db()
    assert signature.state == SignatureState.PENDING


def test_a_tampered_link_is_refused(client: Client, petition: Petition) -> None:
    token = actions.verification_token(signed(petition))
    assert client.get(f"/petitions/verify/{token[:-2]}xx/").status_code == 400
    assert Signature.objects.get().state == SignatureState.PENDING


def test_an_expired_link_says_so(client: Client, petition: Petition, settings: Any) -> None:
    token = actions.verification_token(signed(petition))
    settings.VERIFICATION_MAX_AGE_DAYS = -1
    response = client.get(f"/petitions/verify/{token}/")
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert Signature.objects.get().state == SignatureState.PENDING


def test_consent_for_an_organization_not_on_the_petition_is_ignored(
    client: Client, petition: Petition, other_org: Any
) -> None:
    signature = signed(petition, consents=[other_org.pk])
    client.post(f"/petitions/verify/{actions.verification_token(signature)}/")
    assert Consent.objects.count() == 0


def test_confirming_does_not_undo_an_unsubscribe_made_since_signing(
    client: Client, petition: Petition
) -> None:
    from groundswell.people import actions as people_actions

    owner = petition.owner
    person = people_actions.record_person(email=SIGNER["email"])
    people_actions.grant_consent(person, owner, source="earlier")
    signature = signed(petition, consents=[owner.pk])
    people_actions.withdraw_email_consent(person, owner, source="unsubscribe link")
    client.post(f"/petitions/verify/{actions.verification_token(signature)}/")
    assert not Consent.objects.active().filter(person=person, organization=owner).exists()


def test_confirming_never_rewrites_a_known_persons_name(client: Client, petition: Petition) -> None:
    from groundswell.people import actions as people_actions

    people_actions.record_person(email=SIGNER["email"], first_name="Ana", last_name="Reyes")
    signature = signed(petition, first_name="Troll", last_name="Person")
    client.post(f"/petitions/verify/{actions.verification_token(signature)}/")
    person = Person.objects.get()
    assert (person.first_name, person.last_name) == ("Ana", "Reyes")
