"""The outbox's sending: claiming due emails, sending each outside any transaction,
recording it handed over and sent, and riding out a mail server that fails."""

from __future__ import annotations

import contextlib
import datetime
import logging
import smtplib
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from groundswell.core.incidents import Backoff, Incident, describe, is_transient_database_error
from groundswell.core.models import OutboundEmail
from groundswell.core.network import outside_transaction
from groundswell.core.outbox.queue import (
    IN_HAND,
    NO_ANSWER,
    State,
    _kinds,
    blocked_among,
    feed,
    message_id,
    release,
    release_mine,
    screened,
)
from groundswell.core.smtp import hands_off

# After the n-th failed try of one email, wait RETRY_DELAYS[n - 1]: about 11 hours in all.
logger = logging.getLogger(__name__)

RETRY_DELAYS = (60, 300, 1800, 3600, 3 * 3600, 6 * 3600)


# Claimed at a time by one sender: small, so a worker that dies holds little and several
# workers share a long mailing.
CLAIM_SIZE = 20


# After the mail server failed as a whole, wait this long, doubling, before the next try.
PAUSE_FIRST = 5.0


PAUSE_LIMIT = 300.0


# This many emails deferred (4xx) one after another: the server is struggling; pause.
DEFERRALS_BEFORE_PAUSE = 3


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


def _mark_handed(row: OutboundEmail, worker_id: str) -> bool:
    """The server has the whole message (core/smtp.py): from now on, a worker that dies
    leaves it counted as sent rather than sent again. Written while the server commits
    it; a database that does not answer just leaves the email claimed (False)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(_MARK_HANDED_SQL, [row.pk, worker_id])
            return bool(cursor.rowcount)
    except Exception as exc:
        logger.warning("Could not record email %s as handed over: %s", row.key, describe(exc))
        return False


def _mark_sent(row: OutboundEmail, worker_id: str, note: str = "") -> bool:
    """One self-committing statement, at once after the server's acceptance. True if
    it was this worker's to mark."""
    with connection.cursor() as cursor:
        cursor.execute(_MARK_SENT_SQL, [timezone.now(), note, row.pk, worker_id])
        return bool(cursor.rowcount)


def _mark_all_sent(rows: list[OutboundEmail], worker_id: str) -> int:
    """Mark handed emails the server accepted as sent, all in one statement (see
    `_batched`); returns how many were this worker's to mark."""
    if not rows:
        return 0
    return OutboundEmail.objects.filter(
        pk__in=[row.pk for row in rows], state__in=IN_HAND, claimed_by=worker_id
    ).update(state=State.SENT, sent_at=timezone.now(), claimed_by="", error="")


def _batched(row: OutboundEmail) -> bool:
    """Whether this email's "sent" may wait for the end of its connection's batch: its
    row is already "handed" (which a dead worker's successor counts as sent), and its
    kind records nothing once sent (a `sent` hook must run for each email that went out,
    so such emails are marked at once, the record right after). One commit per email
    instead of two, on the busiest path (mailings)."""
    kind = _kinds.get(row.kind)
    return kind is not None and kind.sent is None


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


def _retry_later(row: OutboundEmail, worker_id: str, error: str) -> None:
    tries = row.attempts + 1
    if tries > len(RETRY_DELAYS):
        _finish(row, worker_id, state=State.FAILED, attempts=tries, error=error[:300])
        logger.error("Gave up on email %s after %d tries: %s", row.key, tries, error)
        return
    due = timezone.now() + datetime.timedelta(seconds=RETRY_DELAYS[tries - 1])
    _finish(row, worker_id, state=State.QUEUED, attempts=tries, due_at=due, error=error[:300])


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


def _screen_prebuilt(
    rows: list[OutboundEmail], prebuilt: dict[int, EmailMessage | None]
) -> set[str]:
    """The prebuilt messages' recipients the screens leave out, asked once for all."""
    return blocked_among(
        message
        for row in rows
        if (message := prebuilt.get(row.pk)) is not None
        and (kind := _kinds.get(row.kind)) is not None
        and kind.screened
    )


def _build(
    row: OutboundEmail, prebuilt: dict[int, EmailMessage | None], blocked: set[str]
) -> EmailMessage | None:
    kind = _kinds.get(row.kind)
    if kind is None:
        raise LookupError(f"no email kind {row.kind!r} is registered")
    if row.pk in prebuilt:
        message = prebuilt[row.pk]
        if message is not None and kind.screened:
            message = screened(message, blocked)  # a recipient's "do not contact" (people)
    else:
        message = kind.build(row.args)
        if message is not None and kind.screened:
            message = screened(message)
    if message is not None:
        message.extra_headers["Message-ID"] = message_id(row)
    return message


def _connection() -> Any:
    """The configured email backend; Django's SMTP backend is taken with its hand-off
    hook (core/smtp.py), so a handed-over email is recorded as such."""
    if settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
        return get_connection("groundswell.core.smtp.EmailBackend")
    return get_connection()


@contextlib.contextmanager
def _lazy_flush() -> Iterator[None]:
    """While a sender marks its emails: each commit is written for the database's next
    flush to disk instead of waiting for its own (SQLite's synchronous=NORMAL in WAL
    mode, PostgreSQL's synchronous_commit=off), for this connection only.

    A worker killed at any instant loses none of these marks (the operating system has
    them): what a kill -9 must settle (see the package's docstring) settles the same.
    Only a power cut or a crash of the machine itself may lose the last moment's
    marks; those emails then go again, with their same Message-ID. Waiting for the disk
    at every email was what bounded a mailing's speed (a flush per message)."""
    vendor = connection.vendor
    relax, restore = {
        "sqlite": ("PRAGMA synchronous=NORMAL", "PRAGMA synchronous=FULL"),
        "postgresql": ("SET synchronous_commit TO off", "RESET synchronous_commit"),
    }.get(vendor, ("", ""))
    if relax and not connection.in_atomic_block:
        with contextlib.suppress(Exception), connection.cursor() as cursor:
            cursor.execute(relax)
    try:
        yield
    finally:
        if relax and not connection.in_atomic_block:
            with contextlib.suppress(Exception), connection.cursor() as cursor:
                cursor.execute(restore)


def send_claimed(
    rows: list[OutboundEmail],
    worker_id: str,
    *,
    stopping: Callable[[], bool] = lambda: False,
    smtp: Any = None,
) -> int:
    """Send claimed emails one by one over one connection; returns how many went out.

    Raises ServerDown (after giving the unsent rows back) when the server fails as a
    whole, and a transient database error as it comes (the rows stay claimed by a live
    worker, which gives them back when it stops, or is found lost). `smtp`: an email
    backend the caller keeps open across claims (closed here only if it failed).
    """
    outside_transaction("Sending email")
    with _lazy_flush():
        return _send_claimed(rows, worker_id, stopping, smtp)


def _send_claimed(
    rows: list[OutboundEmail], worker_id: str, stopping: Callable[[], bool], kept: Any
) -> int:
    sent = deferred = 0
    smtp = kept or _connection()
    opened: bool | None = None
    failed = True
    remaining = list(rows)
    # Accepted by the server and recorded "handed": marked sent together at the end.
    accepted: list[OutboundEmail] = []
    try:
        prebuilt = _prebuild(remaining)
        blocked = _screen_prebuilt(remaining, prebuilt)
        while remaining:
            if stopping():
                break
            row = remaining[0]
            try:
                message = _build(row, prebuilt, blocked)
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
                handed.append(_mark_handed(row, worker_id))

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
            if handed and handed[0] and _batched(row):
                accepted.append(row)
            else:
                _record_sent(row, worker_id, stopping)
            sent += 1
        failed = False
    except ServerDown as exc:
        if remaining and not deferred and not exc.after_handing:
            # Counted as a try, so one message that always breaks the connection ends
            # up failed instead of blocking the queue.
            _retry_later(remaining.pop(0), worker_id, str(exc))
        release(remaining, worker_id)
        raise
    finally:
        if failed or kept is None:
            with contextlib.suppress(Exception):  # a connection already broken
                smtp.close()
        if accepted:
            # Left handed if the database is away for good: still counted as sent.
            _persist(
                lambda: _mark_all_sent(accepted, worker_id),
                f"Recording {len(accepted)} emails as sent",
                stopping,
            )
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
    smtp = _connection()  # one connection for the round's claims, opened at the first
    try:
        while not stopping() and (limit is None or claimed < limit):
            feed()
            rows = claim(worker_id)
            if not rows:
                break
            claimed += len(rows)
            try:
                sent += send_claimed(rows, worker_id, stopping=stopping, smtp=smtp)
            except ServerDown as exc:
                delay = pause.extend()
                logger.warning("Mail server unavailable (%s); trying again in %.0f s", exc, delay)
                return sent
            pause.reset()
    finally:
        with contextlib.suppress(Exception):  # a connection already broken
            smtp.close()
    return sent
