"""The outbox: every email Groundswell sends, one row per recipient, sent outside any
transaction, to each recipient once.

Deciding to send and sending are two steps:

1. The change that calls for an email queues it (`enqueue`) in the change's own
   transaction: it is then as durable as the change. Each email has a `key` that names
   it (e.g. "petitions.update:12:person:345"), unique, so work that is run again after a
   crash — a task materializing an update's recipients, a periodic job — queues nothing
   twice.
2. A worker claims a few queued rows (a short transaction), then, with no transaction
   open, builds each message from its kind's registered builder (so an email reflects
   the facts when it goes out: an erased person or a cancelled RSVP gets nothing) and
   hands it to the mail server, then marks it sent. Each row is marked the moment the
   server has it (handed, which counts as sent), so a worker killed halfway leaves the
   rest queued and the sent ones sent: a rerun mails the rest and nobody twice. A kind
   without a `sent` hook (a mailing's) is marked sent for the whole claim at once, at
   its end; until then its rows are handed.

The one email a kill -9 catches in flight is settled by how far it got: a row is
marked "handed" the moment the message's last byte reaches the server (core/smtp.py),
while the server commits it; if its worker dies before the answer, it counts as sent
(the server had all of it), and the claimed rows not yet handed go back in line. Every
try carries the same Message-ID, which mail systems use to drop a duplicate. The rows
of a worker that died are settled by core/liveness.py.

Apps register their kinds in AppConfig.ready():

    outbox.register("petitions.update", build=build_update_email, sent=count_update_sent)

`build(args)` returns the message, or None when it is no longer called for; `sent(args)`
(optional) runs in the transaction that marks the row sent. A mail server that refuses
one recipient for good (5xx) fails that row; one that is down or answers 4xx puts the
row back with a growing delay (RETRY_DELAYS, about 11 hours in all), and the sender
pauses before its next try.

Before any email is sent, the registered screens (`register_screen`) may leave out
recipients: people's contact restrictions ("do not contact") hold for every kind.
"""

from groundswell.core.outbox.queue import (
    BULK,
    IN_HAND,
    NO_ANSWER,
    PERSONAL,
    WORKER_LOST,
    Builder,
    Email,
    Hook,
    Kind,
    State,
    bump,
    cancel,
    claimer_worker,
    counts_by_state,
    email,
    enqueue,
    enqueue_many,
    feed,
    logger,
    message_id,
    oldest_due,
    pending_in,
    prune,
    register,
    register_feeder,
    register_screen,
    release,
    release_mine,
    release_worker,
    screened,
    skip_queued_since,
    take_back,
    unique_key,
)
from groundswell.core.outbox.sending import (
    CLAIM_SIZE,
    DEFERRALS_BEFORE_PAUSE,
    PAUSE_FIRST,
    PAUSE_LIMIT,
    RETRY_DELAYS,
    ServerDown,
    claim,
    pause,
    send_claimed,
    send_due,
)

__all__ = [
    "BULK",
    "CLAIM_SIZE",
    "DEFERRALS_BEFORE_PAUSE",
    "IN_HAND",
    "NO_ANSWER",
    "PAUSE_FIRST",
    "PAUSE_LIMIT",
    "PERSONAL",
    "RETRY_DELAYS",
    "WORKER_LOST",
    "Builder",
    "Email",
    "Hook",
    "Kind",
    "ServerDown",
    "State",
    "bump",
    "cancel",
    "claim",
    "claimer_worker",
    "counts_by_state",
    "email",
    "enqueue",
    "enqueue_many",
    "feed",
    "logger",
    "message_id",
    "oldest_due",
    "pause",
    "pending_in",
    "prune",
    "register",
    "register_feeder",
    "register_screen",
    "release",
    "release_mine",
    "release_worker",
    "screened",
    "send_claimed",
    "send_due",
    "skip_queued_since",
    "take_back",
    "unique_key",
]
