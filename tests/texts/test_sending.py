"""Sending a blast: only consenting, unsuppressed, unrestricted mobile numbers, each
texted once even when a worker dies mid-send, quiet hours deferring (never dropping),
the provider's refusals and slow-downs obeyed."""

from __future__ import annotations

import datetime
import zoneinfo
from collections import Counter

import pytest
from django.utils import timezone

from groundswell.organizations.models import Membership
from groundswell.people import actions as people_actions
from groundswell.people.models import Channel, Consent, Person, Tag
from groundswell.texts import actions, figures, sending
from groundswell.texts.models import BlastState, Recipient, RecipientState
from tests.texts.conftest import FakeTwilio, texter, write

WANTED = ["+13125550101", "+13125550102"]  # Ana, and Ben as typed "(312) 555-0102"


def run(rounds: int = 3) -> None:
    for _ in range(rounds):
        sending.start()
        sending.send_due()


def test_only_consenting_unsuppressed_unrestricted_mobiles_are_counted_and_texted(
    membership: Membership, members: Tag, twilio: FakeTwilio
) -> None:
    blast = write(membership, members)
    assert actions.audience.count(membership.organization, blast.audience) == 2
    actions.send_now(membership, blast)
    run()
    assert sorted(twilio.numbers()) == WANTED
    body = twilio.received[0].form["Body"]
    assert body.startswith("Action Now: Rally Saturday") and body.endswith(
        "STOP to stop these texts."
    )
    blast.refresh_from_db()
    assert blast.state == BlastState.SENT
    shown = figures.of(blast)
    assert (shown.recipients, shown.sent, shown.failed, shown.percent) == (2, 2, 0, 100)


def test_a_worker_killed_mid_send_resumes_with_no_duplicate(
    membership: Membership, members: Tag, twilio: FakeTwilio
) -> None:
    for n in range(10, 30):
        person = texter(membership.organization, f"P{n}", f"+131255501{n}")
        person.taggings.create(tag=members)
    blast = write(membership, members)
    actions.send_now(membership, blast)
    sending.start()
    assert sending.materialize(blast.pk) == 0  # fixing them again adds nobody
    rows = list(Recipient.objects.filter(blast=blast).order_by("pk"))
    assert len(rows) == 22
    # A worker sends three, hands the fourth to the provider, and dies before the answer.
    for row in rows[:3]:
        sending.send_one(row.pk)
    assert sending.hand(rows[3].pk, timezone.now())
    # Another worker goes on now: the row in the dead worker's hands is left alone...
    sending.send_due()
    assert Recipient.objects.get(pk=rows[3].pk).state == RecipientState.SENDING
    # ...and, once it is older than any request may take, is unknown: never sent twice.
    sending.send_due(timezone.now() + sending.LEASE + datetime.timedelta(seconds=1))
    run()

    sent = Counter(twilio.numbers())
    assert set(sent.values()) == {1}
    assert len(sent) == 21 and rows[3].number not in sent
    blast.refresh_from_db()
    assert blast.state == BlastState.SENT
    shown = figures.of(blast)
    assert (shown.sent, shown.unknown) == (21, 1)


def test_quiet_hours_defer_texts_to_the_morning_at_the_recipients(
    membership: Membership, members: Tag, twilio: FakeTwilio, settings: object
) -> None:
    settings.TEXTS_QUIET_HOURS = "21:00-09:00"  # type: ignore[attr-defined]
    chicago = zoneinfo.ZoneInfo("America/Chicago")
    night = datetime.datetime(2026, 12, 7, 22, 30, tzinfo=chicago)
    blast = write(membership, members)
    actions.send_now(membership, blast)
    sending.start()
    assert sending.send_due(night) == 0
    assert twilio.received == []
    morning = datetime.datetime(2026, 12, 8, 9, 0, tzinfo=chicago)
    waiting = Recipient.objects.filter(blast=blast, state=RecipientState.PENDING)
    assert {r.not_before for r in waiting} == {morning}
    assert figures.of(blast).deferred == 2
    assert sending.send_due(morning - datetime.timedelta(minutes=1)) == 0
    assert sending.send_due(morning + datetime.timedelta(seconds=1)) == 2
    assert sorted(twilio.numbers()) == WANTED


def test_someone_who_replies_stop_before_their_turn_is_not_texted(
    membership: Membership, members: Tag, twilio: FakeTwilio
) -> None:
    blast = write(membership, members)
    actions.send_now(membership, blast)
    sending.start()
    ana = Person.objects.get(first_name="Ana")
    people_actions.withdraw_consent(
        ana, membership.organization, source="test", channel=Channel.SMS, by_person=True
    )
    run()
    assert twilio.numbers() == ["+13125550102"]
    assert Recipient.objects.get(blast=blast, person=ana).state == RecipientState.SKIPPED


def test_a_busy_provider_is_tried_again_later_and_a_refusal_is_final(
    membership: Membership, members: Tag, twilio: FakeTwilio
) -> None:
    twilio.answers = [429]
    blast = write(membership, members)
    actions.send_now(membership, blast)
    sending.start()
    assert sending.send_due() == 0  # the 429 stops the round
    later = timezone.now() + datetime.timedelta(minutes=5)
    twilio.answers = [400]
    sending.send_due(later)
    assert len(twilio.received) == 3
    states = sorted(Recipient.objects.filter(blast=blast).values_list("state", flat=True))
    assert states == [RecipientState.FAILED, RecipientState.SENT]
    blast.refresh_from_db()
    assert blast.state == BlastState.SENT


def test_the_rate_is_shared_by_every_worker(
    membership: Membership, members: Tag, twilio: FakeTwilio, settings: object
) -> None:
    settings.TEXTS_RATE = 1.0  # type: ignore[attr-defined]
    blast = write(membership, members)
    actions.send_now(membership, blast)
    sending.start()
    now = timezone.now()
    assert sending.send_due(now) == 1
    assert sending.send_due(now) == 0  # a second worker in the same second: nothing left


@pytest.mark.parametrize("body", ["", "x" * 1600])
def test_an_empty_or_overlong_text_is_refused(
    membership: Membership, members: Tag, body: str
) -> None:
    with pytest.raises(actions.Refused):
        write(membership, members, body=body)


def test_a_text_sent_is_on_the_timeline_and_goes_when_its_organization_forgets_them(
    membership: Membership, members: Tag, twilio: FakeTwilio
) -> None:
    from groundswell.people.timeline import timeline
    from groundswell.texts.records import TextRecords

    blast = write(membership, members)
    actions.send_now(membership, blast)
    run()
    ana = Person.objects.get(first_name="Ana")
    entries = [e for e in timeline(ana, membership.organization) if e.kind == "text_sent"]
    assert [e.summary for e in entries] == [blast.body]
    assert TextRecords().export(ana)["items"][0]["number"] == "+13125550101"
    assert TextRecords().forget(ana, membership.organization) == 1
    assert not Recipient.objects.filter(person=ana).exists()


def test_workers_take_a_seconds_budget_in_chunks_and_never_more(db: None, settings: object) -> None:
    settings.TEXTS_RATE = 100.0  # type: ignore[attr-defined]
    now = timezone.now()
    chunks = []
    while chunk := sending.take_budget(now):
        chunks.append(chunk)
    assert chunks == [sending.CHUNK] * 5  # 100 texts in the first second, 20 at a time
    later = now + datetime.timedelta(seconds=0.5)
    assert sum(iter(lambda: sending.take_budget(later), 0)) == 50


def test_a_number_the_provider_says_unsubscribed_loses_its_sms_consent(
    membership: Membership, members: Tag, twilio: FakeTwilio
) -> None:
    twilio.answers, twilio.codes = [400], [21610]  # Ana had replied STOP to Twilio itself
    blast = write(membership, members)
    actions.send_now(membership, blast)
    run()
    ana = Person.objects.get(first_name="Ana")
    assert Recipient.objects.get(blast=blast, person=ana).state == RecipientState.FAILED
    assert not Consent.objects.active().filter(person=ana, channel=Channel.SMS).exists()
