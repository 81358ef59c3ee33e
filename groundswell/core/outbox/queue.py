"""The outbox's queue: kinds of email, queuing them in the deciding transaction, and
settling what a sender holds (see the package's docstring)."""

from __future__ import annotations

import datetime
import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, QuerySet
from django.utils import timezone

from groundswell.core.incidents import is_transient_database_error
from groundswell.core.models import OutboundEmail

logger = logging.getLogger(__name__)


# Priorities (OutboundEmail.priority): someone is waiting for it, or it goes to many.
PERSONAL = 0


BULK = 10


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
    # False only for what answers the recipient's own request about their account or
    # their data (a password reset, the link to their data): no screen may withhold it.
    screened: bool = True


_kinds: dict[str, Kind] = {}


_feeders: dict[str, Callable[[], object]] = {}


def register(
    name: str,
    *,
    build: Builder,
    sent: Hook | None = None,
    build_many: Callable[[list[dict[str, Any]]], list[EmailMessage | None]] | None = None,
    screened: bool = True,
) -> None:
    """Declare a kind of email: how to build it (one, or optionally several at once),
    and what to record once it is sent; `screened=False` exempts it from the screens
    (see Kind)."""
    _kinds[name] = Kind(name, build, sent, build_many, screened)


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
        screened: bool = True,
    ) -> None:
        self.name = name
        self.build = build
        self.after_sent = sent
        self.__doc__ = build.__doc__
        register(
            name,
            build=self._build_row,
            sent=self._sent_row if sent else None,
            screened=screened,
        )

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
    name: str, *, sent: Callable[..., object] | None = None, screened: bool = True
) -> Callable[[Callable[..., EmailMessage | None]], Email]:
    """Declare a kind of email built by the decorated function (see Email); `sent`,
    called with the same arguments, records it once it went out; `screened` as in Kind."""

    def declare(build: Callable[..., EmailMessage | None]) -> Email:
        return Email(name, build, sent, screened)

    return declare


# Asked before each email is sent: which of its recipients no email may reach (a
# person's "do not contact"); registered by people in AppConfig.ready.
Screen = Callable[[list[str]], set[str]]


_screens: dict[str, Screen] = {}


def register_screen(name: str, screen: Screen) -> None:
    """A check every email passes before it is sent, whatever its kind: `screen` gets
    the recipients' addresses and returns those to leave out."""
    _screens[name] = screen


def blocked_among(messages: Iterable[EmailMessage]) -> set[str]:
    """The recipients of these messages that a screen leaves out, asked once for all
    (a sender screens the messages of a claim together: a query per claim, not per
    email)."""
    recipients = [a for m in messages for a in (*m.to, *m.cc, *m.bcc)]
    blocked: set[str] = set()
    if recipients:
        for screen in list(_screens.values()):
            blocked |= screen(recipients)
    return blocked


def screened(message: EmailMessage, blocked: set[str] | None = None) -> EmailMessage | None:
    """The message without the recipients a screen leaves out (`blocked`, when they
    were asked already with `blocked_among`); None when none is left (the email is
    then skipped, its kind's `sent` never run)."""
    if blocked is None:
        blocked = blocked_among([message])
    if not blocked.intersection((*message.to, *message.cc, *message.bcc)):
        return message
    message.to = [a for a in message.to if a not in blocked]
    message.cc = [a for a in message.cc if a not in blocked]
    message.bcc = [a for a in message.bcc if a not in blocked]
    if not (message.to or message.cc or message.bcc):
        logger.info("An email was not sent: its recipient may not be contacted")
        return None
    return message


def register_feeder(name: str, feed: Callable[[], object]) -> None:
    """A function the sender calls before each round, to queue emails that wait
    elsewhere (the confirmations waiting on their signatures' rows)."""
    _feeders[name] = feed


def unique_key(prefix: str) -> str:
    """A key for an email decided once, by one action (it is never decided again)."""
    return f"{prefix}:{uuid.uuid4().hex}"


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


def skip_queued_since(since: datetime.datetime, note: str) -> int:
    """Drop every email queued since `since` and not sent yet (a command that made
    records for show, such as the demo, mails no one); returns how many."""
    return OutboundEmail.objects.filter(created_at__gte=since, state=State.QUEUED).update(
        state=State.SKIPPED, error=note[:300]
    )


def pending_in(group: str) -> bool:
    """Whether emails of this group are still waiting or being sent."""
    return OutboundEmail.objects.filter(group=group, state__in=[State.QUEUED, *IN_HAND]).exists()


def message_id(row: OutboundEmail) -> str:
    """The same for every try of one email, so a copy sent twice can be recognized."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    digest = hashlib.sha256(row.key.encode()).hexdigest()[:20]
    return f"<{row.pk}.{digest}@{domain}>"


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


def release(rows: Iterable[OutboundEmail], worker_id: str) -> int:
    """Give claimed, unsent emails back to the queue (stopping, or the server failed)."""
    ids = [row.pk for row in rows]
    if not ids:
        return 0
    return OutboundEmail.objects.filter(
        pk__in=ids, state=State.CLAIMED, claimed_by=worker_id
    ).update(state=State.QUEUED, claimed_by="", claimed_at=None)


NO_ANSWER = "handed over in full; the server's answer never came"


WORKER_LOST = "handed over in full; its worker stopped before the server's answer"


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
