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
   server accepted it, so a worker killed halfway leaves the rest queued and the sent
   ones sent: a rerun mails the rest and nobody twice.

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
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import logging
import smtplib
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import close_old_connections, connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from groundswell.core.incidents import Backoff, Incident, describe, is_transient_database_error
from groundswell.core.models import OutboundEmail
from groundswell.core.network import outside_transaction
from groundswell.core.smtp import hands_off

logger = logging.getLogger(__name__)

# After the n-th failed try of one email, wait RETRY_DELAYS[n - 1]: about 11 hours in all.
RETRY_DELAYS = (60, 300, 1800, 3600, 3 * 3600, 6 * 3600)
# Claimed at a time by one sender: small, so a worker that dies holds little and several
# workers share a long mailing.
CLAIM_SIZE = 20
# Priorities (OutboundEmail.priority): someone is waiting for it, or it goes to many.
PERSONAL, BULK = 0, 10
# After the mail server failed as a whole, wait this long, doubling, before the next try.
PAUSE_FIRST, PAUSE_LIMIT = 5.0, 300.0
# This many emails deferred (4xx) one after another: the server is struggling; pause.
DEFERRALS_BEFORE_PAUSE = 3

State = OutboundEmail.State
# A worker holds these: claimed (not yet sent) or handed (sent, the answer awaited).
IN_HAND = (State.CLAIMED, State.HANDED)
Builder = Callable[[dict[str, Any]], EmailMessage | None]
Hook = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class Kind:
    name: str
    build: Builder
    sent: Hook | None = None
    # Optional: the messages of several emails at once (one query for all of them),
    # in order; the busiest kinds use it.
    build_many: Callable[[list[dict[str, Any]]], list[EmailMessage | None]] | None = None


_kinds: dict[str, Kind] = {}
_feeders: dict[str, Callable[[], object]] = {}


def register(
    name: str,
    *,
    build: Builder,
    sent: Hook | None = None,
    build_many: Callable[[list[dict[str, Any]]], list[EmailMessage | None]] | None = None,
) -> None:
    """Declare a kind of email: how to build it (one, or optionally several at once),
    and what to record once it is sent."""
    _kinds[name] = Kind(name, build, sent, build_many)


class Email:
    """A kind of email decided by one action and built from a few ids: the function it
    decorates builds the message (or None) from the arguments `enqueue` was given.

        @outbox.email("organizations.invitation")
        def send_invitation(invitation_id: int, language: str | None) -> EmailMessage | None:
            ...

        send_invitation.enqueue(invitation.pk, "es")   # in the action's transaction
    """

    def __init__(
        self,
        name: str,
        build: Callable[..., EmailMessage | None],
        sent: Callable[..., object] | None = None,
    ) -> None:
        self.name = name
        self.build = build
        self.after_sent = sent
        self.__doc__ = build.__doc__
        register(name, build=self._build_row, sent=self._sent_row if sent else None)

    def _sent_row(self, args: dict[str, Any]) -> None:
        if self.after_sent:
            self.after_sent(*args.get("args", []))

    def _build_row(self, args: dict[str, Any]) -> EmailMessage | None:
        return self.build(*args.get("args", []))

    def enqueue(
        self, *args: Any, key: str | None = None, due_at: datetime.datetime | None = None
    ) -> None:
        """Queue it (in the caller's transaction). Without a `key` each call is a new
        email; with one, the email is queued once whatever the calls."""
        enqueue(self.name, key or unique_key(self.name), {"args": list(args)}, due_at=due_at)

    def __call__(self, *args: Any) -> EmailMessage | None:
        return self.build(*args)


def email(
    name: str, *, sent: Callable[..., object] | None = None
) -> Callable[[Callable[..., EmailMessage | None]], Email]:
    """Declare a kind of email built by the decorated function (see Email); `sent`,
    called with the same arguments, records it once it went out."""

    def declare(build: Callable[..., EmailMessage | None]) -> Email:
        return Email(name, build, sent)

    return declare


def register_feeder(name: str, feed: Callable[[], object]) -> None:
    """A function the sender calls before each round, to queue emails that wait
    elsewhere (the confirmations waiting on their signatures' rows)."""
    _feeders[name] = feed


def unique_key(prefix: str) -> str:
    """A key for an email decided once, by one action (it is never decided again)."""
    return f"{prefix}:{uuid.uuid4().hex}"


# --- Queuing -----------------------------------------------------------------------------


def enqueue(
    kind: str,
    key: str,
    args: dict[str, Any] | None = None,
    *,
    group: str = "",
    due_at: datetime.datetime | None = None,
    priority: int = PERSONAL,
) -> None:
    """Queue one email, in the caller's transaction; an email with this key that was
    queued before stays as it is (so deciding twice sends once)."""
    enqueue_many(kind, [(key, args or {})], group=group, due_at=due_at, priority=priority)


def enqueue_many(
    kind: str,
    items: Iterable[tuple[str, dict[str, Any]]],
    *,
    group: str = "",
    due_at: datetime.datetime | None = None,
    priority: int = PERSONAL,
) -> int:
    """Queue several emails of one kind; returns how many were offered. BULK priority
    lets personal emails (confirmations, resets) go first."""
    if kind not in _kinds:
        raise LookupError(f"no email kind {kind!r} is registered")
    due_at = due_at or timezone.now()
    rows = [
        OutboundEmail(
            kind=kind,
            key=key[:200],
            args=args,
            group=group[:100],
            due_at=due_at,
            priority=priority,
        )
        for key, args in items
    ]
    OutboundEmail.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)


def cancel(key_prefix: str) -> int:
    """Drop queued emails whose key starts with this prefix (what they announced was
    undone, or their recipient erased); returns how many."""
    return OutboundEmail.objects.filter(key__startswith=key_prefix, state=State.QUEUED).update(
        state=State.SKIPPED, error="cancelled"
    )


def pending_in(group: str) -> bool:
    """Whether emails of this group are still waiting or being sent."""
    return OutboundEmail.objects.filter(group=group, state__in=[State.QUEUED, *IN_HAND]).exists()


# --- Sending -----------------------------------------------------------------------------


class _Pause:
    """After the mail server failed as a whole: when this process may try again."""

    def __init__(self) -> None:
        self.until = 0.0
        self.delay = 0.0
        self.lock = threading.Lock()

    def active(self) -> bool:
        return time.monotonic() < self.until

    def extend(self) -> float:
        with self.lock:
            self.delay = min(PAUSE_LIMIT, max(PAUSE_FIRST, self.delay * 2))
            self.until = time.monotonic() + self.delay
            return self.delay

    def reset(self) -> None:
        with self.lock:
            self.until = 0.0
            self.delay = 0.0


pause = _Pause()


def message_id(row: OutboundEmail) -> str:
    """The same for every try of one email, so a copy sent twice can be recognized."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    digest = hashlib.sha256(row.key.encode()).hexdigest()[:20]
    return f"<{row.pk}.{digest}@{domain}>"


def claim(worker_id: str, size: int = CLAIM_SIZE) -> list[OutboundEmail]:
    """Take up to `size` due emails for this worker, oldest first (one short
    transaction; SKIP LOCKED lets several workers claim side by side on PostgreSQL,
    SQLite's single writer serializes them)."""
    now = timezone.now()
    due = OutboundEmail.objects.filter(state=State.QUEUED, due_at__lte=now)
    if not due.exists():
        return []  # a read: an idle sender never takes SQLite's write lock
    with transaction.atomic():
        ids = list(
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(state=State.QUEUED, due_at__lte=now)
            .order_by("priority", "due_at", "id")
            .values_list("pk", flat=True)[:size]
        )
        if not ids:
            return []
        OutboundEmail.objects.filter(pk__in=ids, state=State.QUEUED).update(
            state=State.CLAIMED, claimed_by=worker_id, claimed_at=now
        )
    return list(
        OutboundEmail.objects.filter(
            pk__in=ids, state=State.CLAIMED, claimed_by=worker_id
        ).order_by("priority", "due_at", "id")
    )


def _finish(row: OutboundEmail, worker_id: str, **fields: Any) -> bool:
    return bool(
        OutboundEmail.objects.filter(pk=row.pk, state__in=IN_HAND, claimed_by=worker_id).update(
            claimed_by="", **fields
        )
    )


def _mark_handed(row: OutboundEmail, worker_id: str) -> None:
    """The server has the whole message (core/smtp.py): from now on, a worker that dies
    leaves it counted as sent rather than sent again. Written while the server commits
    it; a database that does not answer just leaves the email claimed."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(_MARK_HANDED_SQL, [row.pk, worker_id])
    except Exception as exc:
        logger.warning("Could not record email %s as handed over: %s", row.key, describe(exc))


def _mark_sent(row: OutboundEmail, worker_id: str, note: str = "") -> bool:
    """One self-committing statement, at once after the server's acceptance. True if
    it was this worker's to mark."""
    with connection.cursor() as cursor:
        cursor.execute(_MARK_SENT_SQL, [timezone.now(), note, row.pk, worker_id])
        return bool(cursor.rowcount)


def _after_sent(row: OutboundEmail) -> None:
    """What the kind records once its email went out (a count, a timeline entry); run
    after the mark, so a kill costs at most that record, never a second email."""
    kind = _kinds.get(row.kind)
    if kind is not None and kind.sent is not None:
        with transaction.atomic():
            kind.sent(row.args)


_table = OutboundEmail._meta.db_table
_MARK_SENT_SQL = (
    f"UPDATE {_table} SET state = 'sent', sent_at = %s, claimed_by = '', error = %s "  # noqa: S608
    "WHERE id = %s AND state IN ('claimed', 'handed') AND claimed_by = %s"
)
_MARK_HANDED_SQL = (
    f"UPDATE {_table} SET state = 'handed' "  # noqa: S608
    "WHERE id = %s AND state = 'claimed' AND claimed_by = %s"
)


def _record_sent(
    row: OutboundEmail, worker_id: str, stopping: Callable[[], bool], note: str = ""
) -> None:
    """Mark an email the server accepted as sent, then run its kind's record, each
    waiting out a database that is briefly away: left claimed, it would be sent again."""
    mark = lambda: _mark_sent(row, worker_id, note)  # noqa: E731
    if _persist(mark, f"Recording email {row.key} as sent", stopping):
        _persist(lambda: _after_sent(row), f"Recording what email {row.key} did", stopping)


def _persist(write: Callable[[], object], what: str, stopping: Callable[[], bool]) -> object:
    backoff = Backoff(first=0.2, limit=5.0)
    trouble = Incident(logger, what)
    while True:
        try:
            result = write()
            trouble.recovered()
            return result
        except Exception as exc:
            if not is_transient_database_error(exc):
                raise
            trouble.failed(exc)
            close_old_connections()
            if stopping() and trouble.failures > 20:
                raise
            time.sleep(backoff.next())


def claimer_worker(claimed_by: str) -> str:
    """The worker a claim belongs to (a sending thread claims as "<worker>#<n>")."""
    return claimed_by.partition("#")[0]


def take_back(held: QuerySet[OutboundEmail], note: str) -> int:
    """Settle emails a sender holds and will not finish: the claimed ones go back in
    line; a handed one (the server had all of it, its answer never came) counts as
    sent, with `note` saying so (core/smtp.py says why). Returns how many."""
    handed = held.filter(state=State.HANDED).update(
        state=State.SENT, sent_at=timezone.now(), claimed_by="", error=note
    )
    if handed:
        logger.warning("%d email(s) handed over without an answer counted as sent", handed)
    return handed + held.filter(state=State.CLAIMED).update(
        state=State.QUEUED, claimed_by="", claimed_at=None
    )


def release_mine(worker_id: str) -> int:
    """Settle what this sender still holds from an interrupted round."""
    return take_back(OutboundEmail.objects.filter(claimed_by=worker_id), NO_ANSWER)


def release_worker(worker_id: str) -> int:
    """Give back what every sending thread of a stopping worker still holds."""
    return take_back(
        OutboundEmail.objects.filter(claimed_by__startswith=f"{worker_id}#"), NO_ANSWER
    )


def _retry_later(row: OutboundEmail, worker_id: str, error: str) -> None:
    tries = row.attempts + 1
    if tries > len(RETRY_DELAYS):
        _finish(row, worker_id, state=State.FAILED, attempts=tries, error=error[:300])
        logger.error("Gave up on email %s after %d tries: %s", row.key, tries, error)
        return
    due = timezone.now() + datetime.timedelta(seconds=RETRY_DELAYS[tries - 1])
    _finish(row, worker_id, state=State.QUEUED, attempts=tries, due_at=due, error=error[:300])


def release(rows: Iterable[OutboundEmail], worker_id: str) -> int:
    """Give claimed, unsent emails back to the queue (stopping, or the server failed)."""
    ids = [row.pk for row in rows]
    if not ids:
        return 0
    return OutboundEmail.objects.filter(
        pk__in=ids, state=State.CLAIMED, claimed_by=worker_id
    ).update(state=State.QUEUED, claimed_by="", claimed_at=None)


def _server_level(exc: smtplib.SMTPException) -> bool:
    """The server as a whole failed (gone, refusing us, closing with 421), not this
    message: pause the sending, count nothing against the message."""
    if isinstance(
        exc,
        smtplib.SMTPServerDisconnected
        | smtplib.SMTPConnectError
        | smtplib.SMTPHeloError
        | smtplib.SMTPAuthenticationError
        | smtplib.SMTPNotSupportedError
        | smtplib.SMTPSenderRefused,
    ):
        return True
    return getattr(exc, "smtp_code", 0) == 421


def _permanent(exc: smtplib.SMTPException) -> bool:
    """A 5xx answer about this message or recipient: trying again will not help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _text in exc.recipients.values())
    code = getattr(exc, "smtp_code", 0)
    return isinstance(code, int) and code >= 500


class ServerDown(Exception):
    """The mail server cannot be reached or dropped the connection."""

    def __init__(self, message: str, *, after_handing: bool = False) -> None:
        super().__init__(message)
        self.after_handing = after_handing


NO_ANSWER = "handed over in full; the server's answer never came"
WORKER_LOST = "handed over in full; its worker stopped before the server's answer"


def _prebuild(rows: list[OutboundEmail]) -> dict[int, EmailMessage | None]:
    """The messages of the kinds that build several at once (a query for all)."""
    built: dict[int, EmailMessage | None] = {}
    by_kind: dict[str, list[OutboundEmail]] = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row)
    for name, of_kind in by_kind.items():
        kind = _kinds.get(name)
        if kind is None or kind.build_many is None:
            continue
        try:
            messages = kind.build_many([row.args for row in of_kind])
        except Exception as exc:
            if is_transient_database_error(exc):
                raise
            logger.exception("Emails of kind %s could not be built together", name)
            continue  # each is built alone, so the one at fault fails alone
        built.update(zip((row.pk for row in of_kind), messages, strict=True))
    return built


def _build(row: OutboundEmail, prebuilt: dict[int, EmailMessage | None]) -> EmailMessage | None:
    kind = _kinds.get(row.kind)
    if kind is None:
        raise LookupError(f"no email kind {row.kind!r} is registered")
    message = prebuilt[row.pk] if row.pk in prebuilt else kind.build(row.args)
    if message is not None:
        message.extra_headers["Message-ID"] = message_id(row)
    return message


def _connection() -> Any:
    """The configured email backend; Django's SMTP backend is taken with its hand-off
    hook (core/smtp.py), so a handed-over email is recorded as such."""
    if settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
        return get_connection("groundswell.core.smtp.EmailBackend")
    return get_connection()


def send_claimed(
    rows: list[OutboundEmail], worker_id: str, *, stopping: Callable[[], bool] = lambda: False
) -> int:
    """Send claimed emails one by one over one connection; returns how many went out.

    Raises ServerDown (after giving the unsent rows back) when the server fails as a
    whole, and a transient database error as it comes (the rows stay claimed by a live
    worker, which gives them back when it stops, or is found lost).
    """
    outside_transaction("Sending email")
    sent = deferred = 0
    smtp = _connection()
    opened: bool | None = None
    remaining = list(rows)
    try:
        prebuilt = _prebuild(remaining)
        while remaining:
            if stopping():
                break
            row = remaining[0]
            try:
                message = _build(row, prebuilt)
            except Exception as exc:
                if is_transient_database_error(exc):
                    raise
                logger.exception("Email %s could not be built", row.key)
                _finish(row, worker_id, state=State.FAILED, error=describe(exc))
                remaining.pop(0)
                continue
            if message is None:
                _finish(row, worker_id, state=State.SKIPPED)
                remaining.pop(0)
                continue
            handed: list[bool] = []

            def hand_over(row: OutboundEmail = row, handed: list[bool] = handed) -> None:
                handed.append(True)
                _mark_handed(row, worker_id)

            try:
                # Opened once and kept: send_messages on a closed backend would open and
                # close a connection for every message.
                if opened is None:
                    opened = smtp.open()
                if hands_off(smtp):
                    smtp.send_handed(message, hand_over)
                else:
                    smtp.send_messages([message])
            except Exception as exc:
                # smtplib's errors are OSErrors too: an answer the server gave is one
                # thing, a connection that broke (no answer at all) another.
                no_answer = isinstance(exc, smtplib.SMTPServerDisconnected) or (
                    isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)
                )
                if not no_answer:
                    if not isinstance(exc, smtplib.SMTPException):
                        raise
                    error: smtplib.SMTPException = exc
                    if _server_level(error):
                        raise ServerDown(describe(error)) from error
                    remaining.pop(0)
                    if _permanent(error):
                        logger.warning("Mail server refused email %s: %s", row.key, describe(error))
                        _finish(row, worker_id, state=State.FAILED, error=describe(error))
                        continue
                    _retry_later(row, worker_id, describe(error))
                    deferred += 1
                    if deferred >= DEFERRALS_BEFORE_PAUSE:
                        raise ServerDown(f"{deferred} emails deferred in a row") from error
                    continue
                if not handed:
                    raise ServerDown(describe(exc)) from exc
                # The server had the whole message and then went silent: as after a
                # crash at this point, it counts as sent (core/smtp.py says why).
                remaining.pop(0)
                _record_sent(row, worker_id, stopping, note=NO_ANSWER)
                sent += 1
                raise ServerDown(describe(exc), after_handing=True) from exc
            deferred = 0
            remaining.pop(0)
            _record_sent(row, worker_id, stopping)
            sent += 1
    except ServerDown as exc:
        if remaining and not deferred and not exc.after_handing:
            # Counted as a try, so one message that always breaks the connection ends
            # up failed instead of blocking the queue.
            _retry_later(remaining.pop(0), worker_id, str(exc))
        release(remaining, worker_id)
        raise
    finally:
        with contextlib.suppress(Exception):  # a connection already broken
            smtp.close()
    release(remaining, worker_id)
    return sent


def send_due(
    worker_id: str,
    *,
    stopping: Callable[[], bool] = lambda: False,
    limit: int | None = None,
) -> int:
    """Feed, claim and send due emails until none are left (or `limit` were claimed);
    returns how many were sent. `worker_id` names the claimer: a worker, or one of its
    sending threads ("<worker>#2"). The feeders run before each claim, so a signer's
    confirmation never waits behind a long mailing. While the mail server is failing
    this does nothing until the pause has passed."""
    if pause.active():
        return 0
    if OutboundEmail.objects.filter(state__in=IN_HAND, claimed_by=worker_id).exists():
        release_mine(worker_id)
    sent = claimed = 0
    while not stopping() and (limit is None or claimed < limit):
        feed()
        rows = claim(worker_id)
        if not rows:
            break
        claimed += len(rows)
        try:
            sent += send_claimed(rows, worker_id, stopping=stopping)
        except ServerDown as exc:
            delay = pause.extend()
            logger.warning("Mail server unavailable (%s); trying again in %.0f s", exc, delay)
            return sent
        pause.reset()
    return sent


def feed() -> None:
    """Run the feeders (emails waiting elsewhere, moved into the outbox)."""
    for name, feeder in list(_feeders.items()):
        try:
            feeder()
        except Exception as exc:
            if is_transient_database_error(exc):
                raise
            logger.exception("Email feeder %s failed", name)


def prune(keep_days: int = 7) -> int:
    """Delete finished emails older than `keep_days` (their rows hold addresses' ids and
    what was sent; the groups' figures are kept where the groups are)."""
    before = timezone.now() - datetime.timedelta(days=keep_days)
    deleted, _ = OutboundEmail.objects.filter(
        state__in=[State.SENT, State.SKIPPED, State.FAILED], created_at__lt=before
    ).delete()
    return deleted


def oldest_due() -> datetime.datetime | None:
    """When the longest-waiting due email became due (None: nothing is waiting)."""
    row = (
        OutboundEmail.objects.filter(state=State.QUEUED, due_at__lte=timezone.now())
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    return row


def counts_by_state() -> dict[str, int]:
    from django.db.models import Count

    return dict(
        OutboundEmail.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n")
    )


def bump(model: Any, pk: int, field: str) -> None:
    """Add one to a counter column (a group's emailed count), for `sent` hooks."""
    model.objects.filter(pk=pk).update(**{field: F(field) + 1})
