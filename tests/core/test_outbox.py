"""The outbox: every email once per recipient, sent outside any transaction, kept
through a mail server that is down, given back by a worker that stops or dies."""

from __future__ import annotations

import datetime
import time
from typing import Any

import pytest
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from groundswell.core import liveness, outbox
from groundswell.core.models import OutboundEmail, WorkerBeat
from groundswell.core.network import InsideTransaction
from tests.smtp import Mailbox

pytestmark = pytest.mark.django_db

KIND = "tests.note"
built: list[dict[str, Any]] = []


def build_note(args: dict[str, Any]) -> EmailMessage | None:
    built.append(args)
    if args.get("stale"):
        return None
    return EmailMessage(subject=f"Note {args['n']}", body="Hello", to=[args["to"]])


outbox.register(KIND, build=build_note)


def queue(n: int, to: str = "") -> None:
    outbox.enqueue(KIND, f"{KIND}:{n}", {"n": n, "to": to or f"p{n}@example.org"})


def make_due() -> None:
    OutboundEmail.objects.filter(state="queued").update(due_at=timezone.now())
    outbox.pause.reset()


def test_the_same_key_queues_one_email(mailbox: Mailbox) -> None:
    queue(1)
    queue(1)
    outbox.enqueue_many(KIND, [(f"{KIND}:1", {"n": 1, "to": "p1@example.org"})])
    assert outbox.send_due("w") == 1
    assert [m["To"] for m in mailbox.messages] == ["p1@example.org"]
    assert outbox.send_due("w") == 0
    row = OutboundEmail.objects.get()
    assert row.state == "sent" and row.sent_at is not None and row.claimed_by == ""


def test_each_try_of_an_email_carries_the_same_message_id(mailbox: Mailbox) -> None:
    queue(1)
    row = OutboundEmail.objects.get()
    assert outbox.send_due("w") == 1
    assert mailbox.messages[0]["Message-ID"] == outbox.message_id(row)
    assert outbox.message_id(OutboundEmail.objects.get()) == outbox.message_id(row)


def test_an_email_no_longer_called_for_is_skipped(mailbox: Mailbox) -> None:
    outbox.enqueue(KIND, f"{KIND}:stale", {"n": 1, "to": "x@example.org", "stale": True})
    assert outbox.send_due("w") == 0
    assert mailbox.messages == []
    assert OutboundEmail.objects.get().state == "skipped"


def test_a_server_that_defers_gets_each_email_again_later_then_gives_up(
    mailbox: Mailbox,
) -> None:
    mailbox.refusing = True  # 451 to every message
    queue(1)
    for tries in range(1, len(outbox.RETRY_DELAYS) + 1):
        assert outbox.send_due("w") == 0
        row = OutboundEmail.objects.get()
        assert (row.state, row.attempts) == ("queued", tries)
        assert row.due_at > timezone.now()
        make_due()
    assert outbox.send_due("w") == 0
    assert OutboundEmail.objects.get().state == "failed"
    assert mailbox.messages == []


def test_a_refused_recipient_fails_that_email_only(mailbox: Mailbox, settings: Any) -> None:
    queue(1, to="bad@example.org")
    queue(2)
    mailbox.refuse_recipients = {"bad@example.org"}
    assert outbox.send_due("w") == 1
    states = dict(OutboundEmail.objects.values_list("key", "state"))
    assert states == {f"{KIND}:1": "failed", f"{KIND}:2": "sent"}


def test_a_server_that_is_down_pauses_the_sending_and_loses_nothing(
    mailbox: Mailbox, settings: Any
) -> None:
    from tests.smtp import free_port

    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nobody listens there
    for n in range(3):
        queue(n)
    assert outbox.send_due("w") == 0
    assert outbox.pause.active()
    assert set(OutboundEmail.objects.values_list("state", flat=True)) == {"queued"}
    assert outbox.send_due("w") == 0  # paused: not even tried
    settings.EMAIL_PORT = port
    make_due()
    assert outbox.send_due("w") == 3
    assert len(mailbox.messages) == 3


def test_sending_inside_a_transaction_is_refused(mailbox: Mailbox) -> None:
    queue(1)
    rows = outbox.claim("w")
    with pytest.raises(InsideTransaction), transaction.atomic():
        outbox.send_claimed(rows, "w")
    assert mailbox.messages == []


def test_a_stopping_sender_gives_back_what_it_did_not_send(mailbox: Mailbox) -> None:
    for n in range(5):
        queue(n)
    rows = outbox.claim("w")
    sent: list[int] = []

    def stopping() -> bool:
        sent.append(1)
        return len(sent) > 2

    assert outbox.send_claimed(rows, "w", stopping=stopping) == 2
    states = sorted(OutboundEmail.objects.values_list("state", flat=True))
    assert states == ["queued", "queued", "queued", "sent", "sent"]


def test_emails_claimed_by_a_dead_worker_are_taken_back(mailbox: Mailbox) -> None:
    for n in range(3):
        queue(n)
    dead = WorkerBeat.objects.create(
        worker_id="dead",
        host="elsewhere",
        pid=1,
        started_at=timezone.now(),
        beat_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    assert len(outbox.claim(dead.worker_id)) == 3
    assert outbox.send_due("w") == 0  # claimed by another
    reclaimed = liveness.reclaim()
    assert (reclaimed.workers, reclaimed.emails) == (1, 3)
    assert WorkerBeat.objects.get(pk=dead.pk).lost
    assert outbox.send_due("w") == 3
    assert len(mailbox.messages) == 3


def test_emails_of_a_live_worker_are_left_alone(mailbox: Mailbox) -> None:
    queue(1)
    WorkerBeat.objects.create(
        worker_id="alive",
        host=liveness.HOST,
        pid=__import__("os").getpid(),
        started_at=timezone.now(),
        beat_at=timezone.now(),
    )
    outbox.claim("alive")
    assert liveness.reclaim().emails == 0
    assert OutboundEmail.objects.get().state == "claimed"


def test_unknown_kinds_cannot_be_queued() -> None:
    with pytest.raises(LookupError):
        outbox.enqueue("tests.nothing", "k")


def test_personal_emails_go_before_a_mailing(mailbox: Mailbox) -> None:
    outbox.enqueue_many(
        KIND,
        [(f"{KIND}:bulk:{n}", {"n": n, "to": f"b{n}@example.org"}) for n in range(30)],
        priority=outbox.BULK,
    )
    queue(1, to="signer@example.org")  # decided after the mailing
    rows = outbox.claim("w", size=5)
    assert rows[0].args["to"] == "signer@example.org"


def test_claims_of_a_live_workers_threads_are_left_alone_and_a_dead_ones_taken(
    mailbox: Mailbox,
) -> None:
    import os

    queue(1)
    queue(2)
    for worker_id, pid in (("alive", os.getpid()), ("gone", 2**22 - 3)):
        WorkerBeat.objects.create(
            worker_id=worker_id,
            host=liveness.HOST,
            pid=pid,
            started_at=timezone.now(),
            beat_at=timezone.now(),
        )
    outbox.claim("alive#0", size=1)
    outbox.claim("gone#3", size=1)
    if not liveness.process_gone(2**22 - 3):
        pytest.skip("that pid happens to be in use")
    assert liveness.reclaim().emails == 1
    assert dict(OutboundEmail.objects.values_list("claimed_by", "state")) == {
        "alive#0": "claimed",
        "": "queued",
    }
    assert outbox.release_worker("alive") == 1


@pytest.mark.django_db(transaction=True)  # the sending thread has a connection of its own
def test_an_email_handed_over_is_marked_so_while_the_server_answers(mailbox: Mailbox) -> None:
    import threading

    queue(1)
    rows = outbox.claim("w")
    mailbox.hold_data_after = 0  # the server has the whole message, and takes its time
    sending = threading.Thread(target=outbox.send_claimed, args=(rows, "w"))
    sending.start()
    try:
        assert mailbox.holding.wait(10)
        # While the server holds its answer (a worker killed now would leave this):
        deadline = time.monotonic() + 10
        while OutboundEmail.objects.get().state != "handed" and time.monotonic() < deadline:
            time.sleep(0.02)
        assert OutboundEmail.objects.get().state == "handed"
    finally:
        mailbox.release()
        sending.join(10)
    assert OutboundEmail.objects.get().state == "sent"


def test_a_lost_worker_s_handed_email_counts_as_sent_and_its_claimed_ones_go_back(
    mailbox: Mailbox,
) -> None:
    for n in range(2):
        queue(n)
    dead = WorkerBeat.objects.create(
        worker_id="dead",
        host="elsewhere",
        pid=1,
        started_at=timezone.now(),
        beat_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    first, second = outbox.claim(f"{dead.worker_id}#0")
    OutboundEmail.objects.filter(pk=first.pk).update(state="handed")
    assert liveness.reclaim().emails == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, first.error) == ("sent", outbox.WORKER_LOST)
    assert second.state == "queued"
    assert outbox.send_due("w") == 1
    assert [m["To"] for m in mailbox.messages] == ["p1@example.org"]
