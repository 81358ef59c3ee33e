"""Bounces and spam complaints, read from the mailbox mail servers send them to.

Two kinds of report arrive there, both multipart/report (RFC 6522), read with the
standard library's `email` package:

- delivery status notifications (RFC 3464, report-type=delivery-status): one block per
  recipient with its Action and Status. "failed" with a 5.x.x status is a hard bounce;
  "delayed", or a 4.x.x status, a soft one.
- abuse reports (ARF, RFC 5965, report-type=feedback-report), which a mailbox provider
  sends when its user pressed "this is spam": the address is the report's
  Original-Rcpt-To, or else the quoted message's To.

A hard bounce or a complaint makes the person undeliverable for every organization's
mailings (mailings.models.Undeliverable, asked by mailings.audience) and puts the
address on the people's suppression list for every organization
(people.actions.suppression); a complaint also withdraws the person's email consent to
the organization whose mailing it was. Soft bounces count up; MAILINGS_SOFT_BOUNCE_LIMIT
of them make the address undeliverable too. The quoted message's X-Groundswell-Mailing
header names the mailing, whose figures count the bounce or complaint.

The mailbox is an IMAP folder (MAILINGS_BOUNCE_IMAP_URL, imaps://user:pass@host/INBOX)
or a local Maildir (MAILINGS_BOUNCE_MAILDIR, which a local SMTP receiver can deliver to);
each message is deleted once read. `manage.py read_bounces` and a worker job read it.
"""

from __future__ import annotations

import email
import email.policy
import imaplib
import logging
import mailbox
from dataclasses import dataclass, field
from email.message import Message
from email.parser import HeaderParser
from email.utils import parseaddr
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from groundswell.mailings.emails import HEADER
from groundswell.mailings.models import Mailing, Recipient, Undeliverable
from groundswell.people import actions as people_actions
from groundswell.people.actions import suppression
from groundswell.people.addresses import normalize_email
from groundswell.people.models import Person, Suppression

logger = logging.getLogger(__name__)

HARD = "hard"
SOFT = "soft"
COMPLAINT = "complaint"
# Reasons on the people's suppression list (which keeps erasures and withdrawals too).
SUPPRESSED_AS = {HARD: Suppression.Reason.BOUNCED, COMPLAINT: Suppression.Reason.COMPLAINED}


@dataclass
class Report:
    kind: str
    addresses: list[str] = field(default_factory=list)
    mailing_id: int | None = None


def _address(value: str) -> str:
    """ "rfc822; ana@example.org" → "ana@example.org"."""
    _type, _sep, address = value.partition(";")
    return (address or value).strip().strip("<>").strip()


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=False)
    if isinstance(payload, list):
        return "\n".join(m.as_string() if isinstance(m, Message) else str(m) for m in payload)
    return str(payload)


def _quoted_headers(report: Message) -> Message | None:
    for part in report.walk():
        kind = part.get_content_type()
        if kind == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                return inner[0]
        if kind == "text/rfc822-headers":
            return HeaderParser().parsestr(_part_text(part).lstrip())
    return None


def _mailing_id(quoted: Message | None) -> int | None:
    value = str(quoted.get(HEADER, "")).strip() if quoted is not None else ""
    return int(value) if value.isdigit() else None


def _blocks(text: str) -> list[Message]:
    parser = HeaderParser()
    chunks = [c for c in text.replace("\r\n", "\n").split("\n\n") if c.strip()]
    return [parser.parsestr(chunk.strip() + "\n") for chunk in chunks]


def parse(raw: bytes) -> list[Report]:
    """The reports one message carries (none for anything else: an autoreply, spam)."""
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    if message.get_content_type() != "multipart/report":
        return []
    report_type = str(message.get_param("report-type", "") or "").lower()
    quoted = _quoted_headers(message)
    mailing_id = _mailing_id(quoted)
    reports: list[Report] = []
    for part in message.walk():
        kind = part.get_content_type()
        if report_type == "delivery-status" and kind == "message/delivery-status":
            hard = Report(HARD, mailing_id=mailing_id)
            soft = Report(SOFT, mailing_id=mailing_id)
            for block in _blocks(_part_text(part)):
                recipient = block.get("Final-Recipient") or block.get("Original-Recipient")
                if not recipient:
                    continue
                action = str(block.get("Action", "")).strip().lower()
                status = str(block.get("Status", "")).strip()
                if action == "failed" and status.startswith("5"):
                    hard.addresses.append(_address(str(recipient)))
                elif action in ("failed", "delayed") or status.startswith("4"):
                    soft.addresses.append(_address(str(recipient)))
            reports += [r for r in (hard, soft) if r.addresses]
        elif report_type == "feedback-report" and kind == "message/feedback-report":
            fields = HeaderParser().parsestr(_part_text(part).strip() + "\n")
            address = fields.get("Original-Rcpt-To") or (quoted.get("To") if quoted else "")
            if address:
                found = parseaddr(str(address))[1] or _address(str(address))
                reports.append(Report(COMPLAINT, [found], mailing_id))
    return reports


def record(report: Report) -> int:
    """Act on a report (see the module's docstring); returns how many people it
    concerned."""
    now = timezone.now()
    mailing = (
        Mailing.objects.select_related("organization").filter(pk=report.mailing_id).first()
        if report.mailing_id
        else None
    )
    done = 0
    for address in report.addresses:
        normalized = normalize_email(address)
        if not normalized:
            continue
        person = Person.objects.filter(email_normalized=normalized).first()
        with transaction.atomic():
            if report.kind in SUPPRESSED_AS:
                suppression.suppress(
                    [suppression.email_value(normalized)], reason=SUPPRESSED_AS[report.kind]
                )
            if person is None:
                continue
            done += 1
            if report.kind == SOFT:
                _soft_bounce(person)
            else:
                reason = (
                    Undeliverable.Reason.COMPLAINT
                    if report.kind == COMPLAINT
                    else Undeliverable.Reason.HARD_BOUNCE
                )
                Undeliverable.objects.update_or_create(
                    person=person,
                    defaults={"reason": reason, "blocked_at": now, "updated_at": now},
                )
            if mailing is not None:
                rows = Recipient.objects.filter(mailing=mailing, person=person)
                if report.kind == COMPLAINT:
                    rows.update(complained_at=now)
                elif report.kind == HARD:
                    rows.update(bounced_at=now)
        if mailing is not None and report.kind == COMPLAINT:
            people_actions.withdraw_email_consent(
                person, mailing.organization, source="spam complaint"
            )
    return done


def _soft_bounce(person: Person) -> None:
    row, _created = Undeliverable.objects.select_for_update().get_or_create(
        person=person, defaults={"reason": Undeliverable.Reason.SOFT_BOUNCES}
    )
    if row.blocked_at is not None:
        return
    row.soft_bounces += 1
    row.updated_at = timezone.now()
    if row.soft_bounces >= settings.MAILINGS_SOFT_BOUNCE_LIMIT:
        row.blocked_at = row.updated_at
        suppression.suppress(
            [suppression.email_value(person.email_normalized or "")], reason="bounced"
        )
    row.save()


def handle(raw: bytes) -> int:
    """Parse and record one message from the mailbox; returns people concerned."""
    return sum(record(report) for report in parse(raw))


def read_maildir(path: str) -> int:
    """Read and delete every message in a Maildir; returns how many were read."""
    box = mailbox.Maildir(path, create=False)
    read = 0
    for key in list(box.iterkeys()):
        try:
            handle(box.get_bytes(key))
        except Exception:
            logger.exception("Could not read bounce message %s", key)
            continue
        box.remove(key)
        read += 1
    return read


def read_imap(url: str) -> int:
    """Read and delete every message in an IMAP folder; returns how many were read."""
    parts = urlsplit(url)
    client_class = imaplib.IMAP4_SSL if parts.scheme == "imaps" else imaplib.IMAP4
    port = parts.port or (993 if parts.scheme == "imaps" else 143)
    read = 0
    with client_class(parts.hostname or "localhost", port) as client:
        client.login(unquote(parts.username or ""), unquote(parts.password or ""))
        client.select(unquote(parts.path.lstrip("/")) or "INBOX")
        _status, found = client.search(None, "ALL")
        for number in (found[0] or b"").decode().split():
            _status, data = client.fetch(number, "(RFC822)")
            raw = next((item[1] for item in data if isinstance(item, tuple)), b"")
            try:
                handle(raw)
            except Exception:
                logger.exception("Could not read bounce message %s", number)
                continue
            client.store(number, "+FLAGS", "\\Deleted")
            read += 1
        client.expunge()
    return read


def read_configured() -> int:
    """Read the configured mailbox, if any (a worker job)."""
    read = 0
    if settings.MAILINGS_BOUNCE_MAILDIR:
        read += read_maildir(settings.MAILINGS_BOUNCE_MAILDIR)
    if settings.MAILINGS_BOUNCE_IMAP_URL:
        read += read_imap(settings.MAILINGS_BOUNCE_IMAP_URL)
    return read
