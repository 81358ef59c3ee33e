"""Sending mailings in the worker: fix the recipients, hand them to the outbox at the
configured rate, and close the mailing once every one is settled.

1. `start_due` (a clock job) takes each scheduled mailing whose time has come (a
   conditional UPDATE: one worker wins) and fixes its recipients (`materialize`): one
   row per mailable person of its audience, inserted in batches that ignore rows already
   there, so a worker killed halfway and a second one running it again add each person
   once. `materialized` is set when all are in.
2. `feed` (an outbox feeder, run before each claim of every sending thread) moves
   waiting recipients into the outbox, as many as MAILINGS_RATE allows since the last
   feed (the budget is taken by a conditional UPDATE of `fed_at`, so two workers never
   spend it twice). Each recipient leaves "pending" in the transaction that queues its
   email under a key unique to the mailing and person: a feed repeated after a crash
   queues none twice, and none is left behind.
3. The outbox sends (claims, hands over, marks sent: core/outbox), resumable after a
   kill with nobody mailed twice; `record_sent` (a clock job, each second) marks the
   recipients whose email went out, and notes it on their timelines, in batches.
4. `settle` closes a sending mailing when nobody waits and the outbox holds none of its
   emails: recipients whose email failed or was dropped are "not sent".

Pausing stops the feeding (the few seconds' worth already in the outbox still go);
cancelling also drops what the outbox has not sent yet.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from groundswell.core import outbox
from groundswell.mailings import audience, emails
from groundswell.mailings.models import (
    UNDER_WAY,
    Mailing,
    MailingState,
    Recipient,
    RecipientState,
)
from groundswell.people.models import Activity

logger = logging.getLogger(__name__)

BATCH = 1000
# The most the rate's budget may have saved up (a worker that was away sends no burst).
BURST_SECONDS = 2.0
# The most recipients one feed queues (a short transaction), and the fewest and most
# the outbox may hold of one mailing (BURST_SECONDS' worth in between), so a pause or a
# cancel takes effect within seconds and record_sent reads little.
FEED_MAX = 2000
BACKLOG_MIN = 200
BACKLOG_MAX = 4000


def start_due() -> int:
    """Start the scheduled mailings whose time has come, and finish fixing the
    recipients of any whose start was cut off; returns how many were worked on."""
    now = timezone.now()
    due = Mailing.objects.filter(state=MailingState.SCHEDULED, send_at__lte=now)
    for pk in list(due.values_list("pk", flat=True)):
        Mailing.objects.filter(pk=pk, state=MailingState.SCHEDULED).update(
            state=MailingState.SENDING, started_at=now
        )
    unfinished = list(
        Mailing.objects.filter(state=MailingState.SENDING, materialized=False).values_list(
            "pk", flat=True
        )
    )
    for pk in unfinished:
        materialize(pk)
    return len(unfinished)


def materialize(mailing_id: int) -> int:
    """Fix the mailing's recipients (idempotent: see the module's docstring); returns
    how many rows this run added."""
    mailing = Mailing.objects.select_related("organization").get(pk=mailing_id)
    ids = list(
        audience.people(mailing.organization, mailing.audience)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    added = 0
    for start in range(0, len(ids), BATCH):
        rows = [Recipient(mailing=mailing, person_id=pk) for pk in ids[start : start + BATCH]]
        added += len(Recipient.objects.bulk_create(rows, ignore_conflicts=True))
    Mailing.objects.filter(pk=mailing_id, materialized=False).update(materialized=True)
    return added


def _budget(mailing: Mailing, now: datetime.datetime) -> int:
    rate = float(settings.MAILINGS_RATE)
    since = (now - mailing.fed_at).total_seconds() if mailing.fed_at else 1.0
    budget = int(rate * min(max(since, 0.0), BURST_SECONDS))
    room = min(BACKLOG_MAX, max(BACKLOG_MIN, int(rate * BURST_SECONDS)))
    if budget >= 1:
        waiting = Recipient.objects.filter(mailing=mailing, state=RecipientState.QUEUED)
        room -= waiting[:room].count()
    return max(0, min(budget, room, FEED_MAX))


def feed() -> int:
    """Queue the next recipients of each sending mailing, within the rate; returns how
    many were queued."""
    sending = Mailing.objects.filter(state=MailingState.SENDING, materialized=True)
    queued = 0
    for mailing in sending.select_related("organization"):
        now = timezone.now()
        budget = _budget(mailing, now)
        if budget < 1:
            continue
        # Take the budget: only the worker whose UPDATE finds the same fed_at spends it.
        took = Mailing.objects.filter(
            pk=mailing.pk, state=MailingState.SENDING, fed_at=mailing.fed_at
        ).update(fed_at=now)
        if not took:
            continue
        fed = _queue(mailing, budget)
        if not fed:
            settle(mailing.pk)
        queued += fed
    return queued


def _queue(mailing: Mailing, size: int) -> int:
    with transaction.atomic():
        batch = list(
            Recipient.objects.filter(mailing=mailing, state=RecipientState.PENDING)
            .order_by("pk")
            .values_list("pk", "person_id")[:size]
        )
        if not batch:
            return 0
        subject = mailing.subject[:300]
        outbox.enqueue_many(
            emails.MAILING,
            (
                (
                    emails.key(mailing.pk, person_id),
                    {
                        "mailing": mailing.pk,
                        "recipient": pk,
                        "person": person_id,
                        "organization": mailing.organization_id,
                        "subject": subject,
                    },
                )
                for pk, person_id in batch
            ),
            group=mailing.group,
            priority=outbox.BULK,
        )
        Recipient.objects.filter(
            pk__in=[pk for pk, _person in batch], state=RecipientState.PENDING
        ).update(state=RecipientState.QUEUED)
    return len(batch)


def record_sent(mailing: Mailing) -> int:
    """Mark the recipients whose email the outbox has sent, and note it on each one's
    timeline, in batches (a short transaction each); returns how many."""
    from groundswell.core.models import OutboundEmail

    summary = emails.versions(mailing)[mailing.language].subject.fill({})[:300]
    recorded = 0
    last = 0
    while True:
        queued = list(
            Recipient.objects.filter(mailing=mailing, state=RecipientState.QUEUED, pk__gt=last)
            .order_by("pk")
            .values_list("pk", "person_id")[:BATCH]
        )
        if not queued:
            return recorded
        last = queued[-1][0]
        by_key = {emails.key(mailing.pk, person): (pk, person) for pk, person in queued}
        sent = list(
            OutboundEmail.objects.filter(
                key__in=list(by_key), state=OutboundEmail.State.SENT
            ).values_list("key", "sent_at")
        )
        if not sent:
            continue
        with transaction.atomic():
            ids = [by_key[k][0] for k, _at in sent]
            changed = Recipient.objects.filter(pk__in=ids, state=RecipientState.QUEUED).update(
                state=RecipientState.SENT, sent_at=timezone.now()
            )
            if changed:
                fresh = set(
                    Recipient.objects.filter(pk__in=ids, state=RecipientState.SENT)
                    .exclude(Exists(_noted(mailing)))
                    .values_list("person_id", flat=True)
                )
                Activity.objects.bulk_create(
                    [
                        Activity(
                            person_id=by_key[k][1],
                            organization_id=mailing.organization_id,
                            kind=Activity.Kind.EMAIL_SENT,
                            summary=summary,
                            source=f"mailing:{mailing.pk}",
                            occurred_at=at or timezone.now(),
                        )
                        for k, at in sent
                        if by_key[k][1] in fresh
                    ]
                )
        recorded += changed


def _noted(mailing: Mailing) -> QuerySet[Activity]:
    return Activity.objects.filter(
        person=OuterRef("person"), source=f"mailing:{mailing.pk}", kind=Activity.Kind.EMAIL_SENT
    )


def record_all() -> int:
    """A clock job: record_sent for every mailing under way."""
    under_way = Mailing.objects.filter(state__in=UNDER_WAY).select_related("organization")
    return sum(record_sent(mailing) for mailing in under_way)


def settle(mailing_id: int) -> bool:
    """Close a sending mailing whose recipients are all settled; True if it closed."""
    mailing = Mailing.objects.filter(pk=mailing_id, state=MailingState.SENDING).first()
    if mailing is None or not mailing.materialized:
        return False
    if Recipient.objects.filter(mailing=mailing, state=RecipientState.PENDING).exists():
        return False
    if outbox.pending_in(mailing.group):
        return False
    record_sent(mailing)
    with transaction.atomic():
        closed = Mailing.objects.filter(pk=mailing_id, state=MailingState.SENDING).update(
            state=MailingState.SENT, finished_at=timezone.now()
        )
        # Their email failed for good or was dropped: nothing more will happen to them.
        Recipient.objects.filter(mailing=mailing, state=RecipientState.QUEUED).update(
            state=RecipientState.SKIPPED
        )
    return bool(closed)


def settle_all() -> int:
    """A clock job: close every sending mailing that is done."""
    ids = Mailing.objects.filter(state=MailingState.SENDING, materialized=True).values_list(
        "pk", flat=True
    )
    return sum(settle(pk) for pk in list(ids))
