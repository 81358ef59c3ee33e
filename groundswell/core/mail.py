"""Compose Groundswell's emails: text and HTML parts, in the reader's language, with
RFC 8058 one-click unsubscribe headers when the message is a mailing. They are sent
by the outbox (groundswell.core.outbox)."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from email.header import Header
from email.utils import formatdate, make_msgid
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.safestring import SafeData

logger = logging.getLogger(__name__)


def build_message(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str | None = None,
    unsubscribe_url: str | None = None,
    from_email: str | None = None,
    reply_to: str | None = None,
) -> EmailMultiAlternatives:
    """Render `<template>_subject.txt`, `<template>.txt` and `<template>.html`."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {
            **context,
            "unsubscribe_url": unsubscribe_url,
            "BASE_URL": settings.BASE_URL,
            "SITE_NAME": settings.SITE_NAME,
        }
        subject = " ".join(_render_plain(f"{template}_subject.txt", context).split())
        text = _render_plain(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    headers = {}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=[reply_to] if reply_to else None,
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


def _render_plain(name: str, context: dict[str, Any]) -> str:
    """Render a plain-text template without HTML escaping ("Don't", not "Don&#x27;t")."""
    template = get_template(name).template  # type: ignore[attr-defined]
    return str(template.render(Context(context, autoescape=False)))


# Prepared messages: a bulk email's MIME generated once, each reader's parts put in.
#
# Python's email package spends about a millisecond generating one message (folding
# and encoding every header, walking the parts), which was most of a mailing's cost.
# A Frame is the bytes of one message built with placeholders ("slots") where each
# reader's values go (recipient, subject, body, unsubscribe link, Date, Message-ID);
# `PreparedMessage.message()` fills them in. Whatever the frame cannot carry as it is
# (a non-ASCII address, a line over SMTP's 998 octets, a part that would need
# quoted-printable) makes that one message fall back to the email package.

_SLOT = re.compile(rb"GSSLOT([a-z]+)X")
_LINE_LIMIT = 998


def slot(name: str) -> str:
    """The placeholder of a reader's value `name` (lowercase letters)."""
    return f"GSSLOT{name}X"


@dataclass(frozen=True)
class Frame:
    """A message's bytes (CRLF lines) cut at its slots: literal, (slot, where), ..."""

    literals: tuple[bytes, ...]
    slots: tuple[tuple[str, str], ...]  # (name, "header" | "text/plain" | "text/html")

    def fill(self, values: dict[str, str]) -> bytes | None:
        """The message for one reader; None when a value cannot go in as it is."""
        out = [self.literals[0]]
        for (name, where), literal in zip(self.slots, self.literals[1:], strict=True):
            value = values[name]
            if where == "header":
                if not value.isascii():
                    value = Header(value, "utf-8").encode(linesep="\r\n")
                elif "\r" in value or "\n" in value:
                    return None
            else:
                if where == "text/html" and not isinstance(value, SafeData):
                    value = html.escape(value)
                value = _NEWLINE.sub("\r\n", value)
            out.append(value.encode("utf-8"))
            out.append(literal)
        raw = b"".join(out)
        if max(map(len, raw.split(b"\r\n"))) > _LINE_LIMIT:
            return None
        return raw


_NEWLINE = re.compile(r"\r\n|\r|\n")


def frame(message: EmailMessage) -> Frame | None:
    """The frame of a message built with slots for its readers' values (its To, Subject
    and body texts `slot(...)`; Date and Message-ID get slots "date" and "messageid").
    None when its parts would not be sent as they are (8bit)."""
    message.extra_headers = {
        **message.extra_headers,
        "Date": slot("date"),
        "Message-ID": slot("messageid"),
    }
    raw = message.message().as_bytes(linesep="\r\n")
    if re.search(rb"Content-Transfer-Encoding: (quoted-printable|base64)", raw):
        return None
    # A part all ASCII with placeholders may not be with a reader's name in it.
    raw = raw.replace(b"Content-Transfer-Encoding: 7bit", b"Content-Transfer-Encoding: 8bit")
    head_end = raw.index(b"\r\n\r\n")
    literals: list[bytes] = []
    slots: list[tuple[str, str]] = []
    start = 0
    for found in _SLOT.finditer(raw):
        literals.append(raw[start : found.start()])
        where = "header"
        if found.start() > head_end:
            html_at = raw.rfind(b"Content-Type: text/html", 0, found.start())
            plain_at = raw.rfind(b"Content-Type: text/plain", 0, found.start())
            where = "text/html" if html_at > plain_at else "text/plain"
        slots.append((found.group(1).decode(), where))
        start = found.end()
    literals.append(raw[start:])
    return Frame(tuple(literals), tuple(slots))


class _Prepared:
    """The generated message as Django's backends use it (as_bytes, as_string)."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        return self.raw if linesep == "\r\n" else self.raw.replace(b"\r\n", linesep.encode())

    def as_string(self, unixfrom: bool = False, linesep: str = "\n") -> str:
        return self.as_bytes(linesep=linesep).decode("utf-8")

    def get_charset(self) -> None:
        return None

    def __str__(self) -> str:
        return self.as_string()


class PreparedMessage(EmailMultiAlternatives):
    """An email whose MIME comes from a Frame and the reader's values; it keeps the
    usual fields (to, body, alternatives) for whoever reads them. Only To and the
    Message-ID may change after it was built (the outbox screens and numbers it)."""

    def __init__(
        self,
        prepared: Frame,
        values: dict[str, str],
        whole: Callable[[], EmailMessage],
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.frame = prepared
        self.values = values
        self.whole = whole  # the same message built the usual way, for the exceptions
        self.frame_headers = dict(self.extra_headers)

    def message(self, *, policy: Any = None) -> Any:
        raw = self._raw()
        if raw is None:
            whole = self.whole()
            whole.to, whole.cc, whole.bcc = list(self.to), list(self.cc), list(self.bcc)
            whole.extra_headers.update(self.extra_headers)
            return whole.message()
        return _Prepared(raw)

    def _raw(self) -> bytes | None:
        extra = {k: v for k, v in self.extra_headers.items() if k != "Message-ID"}
        if extra != self.frame_headers or self.cc or self.bcc or len(self.to) != 1:
            return None
        to = self.to[0]
        if not to.isascii() or any(c in to for c in '\r\n<>,"()'):
            return None
        values = {
            **self.values,
            "to": to,
            "date": formatdate(localtime=settings.EMAIL_USE_LOCALTIME),
            "messageid": self.extra_headers.get("Message-ID") or make_msgid(domain=DNS_NAME),
        }
        return self.frame.fill(values)
