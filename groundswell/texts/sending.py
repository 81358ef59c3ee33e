"""Sending blasts in the worker: fix the recipients, text them at the configured rate
outside quiet hours, and close the blast once every one is settled.

1. `start` (a clock job) fixes the recipients of each sending blast (`materialize`):
   one row per textable person and number, inserted in batches that ignore rows
   already there, so a worker killed halfway and another running it again add each
   once. `materialized` is set when all are in.
2. `send_due` (a clock job, every second) first defers the waiting rows whose
   recipient is in quiet hours (their `not_before` becomes the hours' end), then takes
   the rate's budget (TEXTS_RATE for all workers together: a conditional UPDATE of the
   one `Pace` row, so two workers never spend the same second), and sends that many:
   each row is claimed by a conditional UPDATE from "waiting" to "sending" (handed),
   checked once more (consent, suppression), and sent with no transaction open.
   The provider's answer then moves it to sent, failed, back to waiting (a 429), or
   unknown.
3. At most once: Twilio takes no idempotency key, so a row found "sending" after a
   worker died mid-request (older than LEASE, longer than any request may take) is
   marked unknown, never sent again. A worker killed anywhere else leaves rows either
   waiting (sent by the next one) or settled: nobody is texted twice, and the only
   gap is the one text per killed worker that may or may not have gone out.
4. A blast closes when none of its rows waits or is being sent.
"""

from __future__ import annotations

import datetime
import logging
import time

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from groundswell.texts import audience, inbound, providers
from groundswell.texts.compose import compose
from groundswell.texts.models import Blast, BlastState, Pace, Recipient, RecipientState
from groundswell.texts.quiet import quiet_until, zone_of

logger = logging.getLogger(__name__)

BATCH = 1000
LEASE = datetime.timedelta(seconds=providers.TIMEOUT_SECONDS * 6)
MAX_ATTEMPTS = 5
RETRY_SECONDS = 30.0
# The most the rate's budget may have saved up (a worker that was away sends no burst).
BURST_SECONDS = 2.0
# Texts one worker takes from the budget at a time, and the longest a round may go on.
CHUNK = 20
ROUND_SECONDS = 5.0
PACE = "texts"


def start() -> int:
    """Fix the recipients of every sending blast that has none yet (or was cut off
    while fixing them); returns how many blasts were worked on."""
    unfinished = list(
        Blast.objects.filter(state=BlastState.SENDING, materialized=False).values_list(
            "pk", flat=True
        )
    )
    for pk in unfinished:
        materialize(pk)
    return len(unfinished)


def materialize(blast_id: int) -> int:
    """Fix the blast's recipients (idempotent); returns how many rows this run added."""
    blast = Blast.objects.select_related("organization").get(pk=blast_id)
    if blast.state != BlastState.SENDING:
        return 0
    zone = zone_of(blast.organization)
    found = audience.recipients(blast.organization, blast.audience)
    before = Recipient.objects.filter(blast=blast).count()
    for at in range(0, len(found), BATCH):
        rows = [
            Recipient(
                blast=blast,
                person_id=person_id,
                number=number,
                key=f"{blast.pk}:{number}",
                time_zone=zone,
            )
            for person_id, number in found[at : at + BATCH]
        ]
        Recipient.objects.bulk_create(rows, ignore_conflicts=True)
    Blast.objects.filter(pk=blast_id, materialized=False).update(materialized=True)
    return Recipient.objects.filter(blast=blast).count() - before


def _due(now: datetime.datetime) -> Q:
    return Q(
        blast__state=BlastState.SENDING,
        blast__materialized=True,
        state=RecipientState.PENDING,
    ) & (Q(not_before__isnull=True) | Q(not_before__lte=now))


def recover(now: datetime.datetime) -> int:
    """Rows handed to the provider by a worker that died before reading the answer:
    unknown (they may have arrived; see the module's docstring)."""
    return Recipient.objects.filter(state=RecipientState.SENDING, handed_at__lt=now - LEASE).update(
        state=RecipientState.UNKNOWN, error="the worker stopped mid-request"
    )


def defer_quiet(now: datetime.datetime) -> int:
    """Hold the due rows of recipients now in quiet hours until the hours end."""
    deferred = 0
    groups = (
        Recipient.objects.filter(_due(now))
        .values_list("blast_id", "time_zone")
        .distinct()
        .order_by()
    )
    for blast_id, zone in list(groups):
        until = quiet_until(zone, now)
        if until is not None:
            deferred += Recipient.objects.filter(
                _due(now), blast_id=blast_id, time_zone=zone
            ).update(not_before=until)
    return deferred


def take_budget(now: datetime.datetime, most: int = CHUNK) -> int:
    """How many texts this worker may send now (at most `most`), taken from the pace
    all workers share: a token bucket whose `spent_at` moves on by 1/TEXTS_RATE
    seconds per text taken, by a conditional UPDATE (0 if another worker moved it
    first). Several workers each take a chunk, so their requests overlap."""
    pace, _created = Pace.objects.get_or_create(name=PACE)
    rate = float(settings.TEXTS_RATE)
    floor = now - datetime.timedelta(seconds=BURST_SECONDS)
    start = max(pace.spent_at, floor) if pace.spent_at else now - datetime.timedelta(seconds=1)
    take = min(int((now - start).total_seconds() * rate), most)
    if take < 1:
        return 0
    spent = start + datetime.timedelta(seconds=take / rate)
    took = Pace.objects.filter(name=PACE, spent_at=pace.spent_at).update(spent_at=spent)
    return take if took else 0


def hand(recipient_id: int, now: datetime.datetime) -> bool:
    """Claim one waiting row for this worker: True if it was still waiting."""
    return bool(
        Recipient.objects.filter(pk=recipient_id, state=RecipientState.PENDING).update(
            state=RecipientState.SENDING, handed_at=now, attempts=F("attempts") + 1
        )
    )


def _settle_row(recipient_id: int, state: str, **fields: object) -> None:
    Recipient.objects.filter(pk=recipient_id, state=RecipientState.SENDING).update(
        state=state, **fields
    )


def send_one(recipient_id: int, now: datetime.datetime | None = None) -> providers.Result | None:
    """Claim, check and send one row; None when it was not sent (taken by another
    worker, or no longer textable)."""
    now = now or timezone.now()
    if not hand(recipient_id, now):
        return None
    row = Recipient.objects.select_related("blast__organization").get(pk=recipient_id)
    blast = row.blast
    if blast.state != BlastState.SENDING:
        _settle_row(row.pk, RecipientState.CANCELLED)
        return None
    if not audience.still_textable(blast.organization, row.person_id, row.number):
        _settle_row(row.pk, RecipientState.SKIPPED)
        return None
    text = compose(blast.organization.name, blast.body, blast.language)
    result = providers.provider().send(row.number, text)  # no transaction is open here
    outcome = result.outcome
    if outcome == providers.Outcome.SENT:
        _settle_row(
            row.pk, RecipientState.SENT, sent_at=timezone.now(), provider_id=result.provider_id
        )
    elif outcome == providers.Outcome.RETRY and row.attempts < MAX_ATTEMPTS:
        wait = result.retry_after if result.retry_after is not None else RETRY_SECONDS
        later = timezone.now() + datetime.timedelta(seconds=wait * row.attempts)
        _settle_row(row.pk, RecipientState.PENDING, not_before=later, error=result.error)
    elif outcome == providers.Outcome.UNKNOWN:
        _settle_row(row.pk, RecipientState.UNKNOWN, error=result.error)
    else:
        _settle_row(row.pk, RecipientState.FAILED, error=result.error)
        if result.opted_out:
            inbound.opt_out(row.number, source=inbound.PROVIDER_SOURCE)
    return result


def send_due(now: datetime.datetime | None = None) -> int:
    """A clock job: send what is due within the rate, a chunk at a time, for at most
    ROUND_SECONDS; returns how many went out."""
    fixed = now is not None
    now = now or timezone.now()
    recover(now)
    defer_quiet(now)
    sent = 0
    until = time.monotonic() + ROUND_SECONDS
    while time.monotonic() < until:
        due = Recipient.objects.filter(_due(now))
        budget = take_budget(now) if due.exists() else 0
        if not budget:
            break
        trouble = False
        for pk in list(due.order_by("pk").values_list("pk", flat=True)[:budget]):
            result = send_one(pk)
            if result is None:
                continue
            if result.outcome == providers.Outcome.SENT:
                sent += 1
            elif result.outcome in (providers.Outcome.RETRY, providers.Outcome.UNKNOWN):
                trouble = True  # the provider is in trouble: leave the rest for later
                break
        if trouble:
            break
        if not fixed:
            now = timezone.now()
    settle_all()
    return sent


def settle_all() -> int:
    """Close each sending blast none of whose rows waits or is being sent."""
    closed = 0
    for blast in Blast.objects.filter(state=BlastState.SENDING, materialized=True):
        busy = Recipient.objects.filter(
            blast=blast, state__in=(RecipientState.PENDING, RecipientState.SENDING)
        ).exists()
        if not busy:
            closed += Blast.objects.filter(pk=blast.pk, state=BlastState.SENDING).update(
                state=BlastState.SENT, finished_at=timezone.now()
            )
    return closed
