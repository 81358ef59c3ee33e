"""Replies on the inbound webhook: the provider's signature is checked (a forged request
is refused and changes nothing); STOP and its synonyms withdraw SMS consent for every
organization, on the person's timeline; START restores only what a STOP ended."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from groundswell.organizations.models import Membership, Organization
from groundswell.people import actions as people_actions
from groundswell.people.models import Activity, Channel, Consent, Person, Tag
from groundswell.texts import actions, figures, sending
from groundswell.texts.models import Blast
from groundswell.texts.providers import twilio_signature
from tests.texts.conftest import SENDER, TOKEN, FakeTwilio, write

BASE = "https://groundswell.example"
PATH = "/texts/inbound/twilio"
ANA = "+13125550101"


@pytest.fixture
def signed_base(settings: Any, twilio: FakeTwilio) -> str:
    settings.BASE_URL = BASE
    return BASE


def reply(client: Client, body: str, *, sender: str = ANA, forged: bool = False) -> Any:
    params = {"From": sender, "To": SENDER, "Body": body, "MessageSid": "SM9", "AccountSid": "AC1"}
    signature = twilio_signature("not-the-token" if forged else TOKEN, BASE + PATH, params)
    return client.post(PATH, params, HTTP_X_TWILIO_SIGNATURE=signature)


def sms_consents(person: Person) -> set[str]:
    active = Consent.objects.active().filter(person=person, channel=Channel.SMS)
    return set(active.values_list("organization__slug", flat=True))


@pytest.fixture
def ana(members: Tag, ocad: Organization) -> Person:
    """Ana also agreed to OCAD's texts."""
    person = Person.objects.get(first_name="Ana")
    people_actions.grant_consent(person, ocad, source="test", channel=Channel.SMS)
    return person


@pytest.fixture
def texted(membership: Membership, members: Tag, twilio: FakeTwilio) -> Blast:
    blast = write(membership, members)
    actions.send_now(membership, blast)
    for _ in range(2):
        sending.start()
        sending.send_due()
    return blast


def test_a_forged_reply_is_refused_and_changes_nothing(
    client: Client, signed_base: str, ana: Person
) -> None:
    assert reply(client, "STOP", forged=True).status_code == 403
    unsigned = client.post(PATH, {"From": ANA, "Body": "STOP"})
    assert unsigned.status_code == 403
    assert sms_consents(ana) == {"action-now", "ocad"}


@pytest.mark.parametrize("word", ["STOP", " stop ", "Parar", "unsubscribe", "Cancel.", "QUIT"])
def test_stop_withdraws_sms_consent_for_every_organization_on_the_timeline(
    client: Client, signed_base: str, ana: Person, texted: Blast, word: str
) -> None:
    answer = reply(client, word)
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/xml")
    assert answer.content.decode().endswith("<Response></Response>")
    assert sms_consents(ana) == set()
    assert Consent.objects.active().filter(person=ana, channel=Channel.EMAIL).count() == 0
    entries = Activity.objects.filter(person=ana, kind=Activity.Kind.CONSENT_WITHDRAWN)
    assert entries.count() == 2 and {e.summary for e in entries} == {Channel.SMS}
    assert figures.of(texted).opted_out == 1


def test_other_replies_change_nothing(client: Client, signed_base: str, ana: Person) -> None:
    assert reply(client, "Stop texting my sister about this").status_code == 200
    assert sms_consents(ana) == {"action-now", "ocad"}


def test_start_restores_only_what_a_text_stop_ended(
    client: Client, signed_base: str, ana: Person, ocad: Organization
) -> None:
    reply(client, "STOP")
    assert reply(client, "START").status_code == 200
    assert sms_consents(ana) == {"action-now", "ocad"}
    # OCAD then withdraws it on its own word (its API): a text cannot undo that.
    people_actions.withdraw_consent(ana, ocad, source="api", channel=Channel.SMS)
    reply(client, "unstop")
    assert sms_consents(ana) == {"action-now"}
    # Dee's STOP came from her own number: Ana's START does not touch it.
    assert sms_consents(Person.objects.get(first_name="Dee")) == set()
