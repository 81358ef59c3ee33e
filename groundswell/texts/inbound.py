"""Replies to our texts: STOP and its synonyms withdraw SMS consent; START re-subscribes
where the person's own text stop was all that ended it.

Opting out: STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, PARAR (and REVOKE, OPTOUT,
the FCC's newer words), alone in the reply, in any case, spaces and a final full stop
or exclamation mark ignored. It withdraws the SMS consent of everyone known by that
number to EVERY organization, not only the one that texted last: the reply goes to the
platform's one sending number, which all organizations share, and carriers and Twilio
treat it as "no more texts from this number" (Twilio refuses any later text with error
21610, so a consent left active elsewhere would be a fiction). Each withdrawal is on
the person's timeline (people.actions.withdraw_consent: "text reply STOP").

Opting back in: START or UNSTOP, the person's own express request from that phone,
restores only the SMS consents that a text STOP withdrew (withdrawn_source is
STOP_SOURCE). A consent withdrawn any other way (the organization's own word, an
unsubscribe elsewhere, before an erasure) needs new consent through an action of
theirs; a text cannot claim it. Other replies change nothing.
"""

from __future__ import annotations

import re

from django.db.models import Q
from django.utils import timezone

from groundswell.people import actions as people_actions
from groundswell.people.models import Channel, Consent, Person
from groundswell.people.phones import normalize_phone
from groundswell.texts.models import Recipient, RecipientState

STOP_WORDS = frozenset(
    {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "PARAR", "REVOKE", "OPTOUT"}
)
START_WORDS = frozenset({"START", "UNSTOP"})
STOP_SOURCE = "text reply STOP"
START_SOURCE = "text reply START"
PROVIDER_SOURCE = "the text provider: unsubscribed number"
_TRIM = re.compile(r"[\s.!¡]+")


def keyword(body: str) -> str:
    """The reply as a keyword: upper case, without spaces or end punctuation."""
    return _TRIM.sub("", body or "").upper()


def people_with(number: str) -> list[Person]:
    """Everyone known by this number: on an organization's record, as a person's own
    number, or as a number we texted."""
    texted = Recipient.objects.filter(number=number).values("person_id")
    return list(
        Person.objects.filter(
            Q(supporters__phone=number) | Q(phones__number=number) | Q(pk__in=texted)
        ).distinct()
    )


def opt_out(number: str, *, source: str = STOP_SOURCE) -> int:
    """Withdraw every SMS consent of the people known by this number; returns how many
    consents changed."""
    changed = 0
    for person in people_with(number):
        consents = Consent.objects.active().filter(person=person, channel=Channel.SMS)
        for consent in consents.select_related("organization"):
            changed += people_actions.withdraw_consent(
                person, consent.organization, source=source, channel=Channel.SMS, by_person=True
            )
    Recipient.objects.filter(
        number=number, state=RecipientState.SENT, opted_out_at__isnull=True
    ).update(opted_out_at=timezone.now())
    return changed


def opt_in(number: str) -> int:
    """Restore the SMS consents a text STOP from this number withdrew; returns how many."""
    restored = 0
    for person in people_with(number):
        stopped = Consent.objects.filter(
            person=person, channel=Channel.SMS, withdrawn_source=STOP_SOURCE
        ).exclude(withdrawn_at__isnull=True)
        for consent in stopped.select_related("organization"):
            people_actions.grant_consent(
                person, consent.organization, source=START_SOURCE, channel=Channel.SMS
            )
            restored += 1
    return restored


def receive(sender: str, body: str) -> str:
    """Act on one inbound text; returns what it was ("stop", "start" or "")."""
    number = normalize_phone(sender)
    if number is None:
        return ""
    word = keyword(body)
    if word in STOP_WORDS:
        opt_out(number)
        return "stop"
    if word in START_WORDS:
        opt_in(number)
        return "start"
    return ""
