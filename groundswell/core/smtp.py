"""Django's SMTP backend, telling its caller the moment a message has been handed over.

SMTP has one moment that decides whether an email was sent: the server receives the
final "." of the message, commits it to its queue, then answers 250. A client that
dies between the "." and reading the 250 cannot know whether the server has it.

So the outbox records "handed" right after the "." goes out — while the server is
still committing it — and "sent" when the 250 arrives. A worker that dies in between
leaves a handed email, which counts as sent: the server had all of it. Only if the
server would have refused it at that last step (rare: a spam filter's verdict) does
such an email go unsent, where the other choice (sending it again) would have sent
every one of them twice. See core/outbox.py.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from typing import Any

from django.core.mail.backends.smtp import EmailBackend as DjangoEmailBackend


class _HandOff:
    """smtplib's DATA step with a call between sending the message and its answer."""

    on_handed: Callable[[], object] | None = None

    def data(self, msg: Any) -> tuple[int, bytes]:
        client: Any = self
        client.putcmd("data")
        code, reply = client.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        if isinstance(msg, str):
            msg = smtplib._fix_eols(msg).encode("ascii")  # type: ignore[attr-defined]
        body = smtplib._quote_periods(msg)  # type: ignore[attr-defined]
        if body[-2:] != smtplib.bCRLF:
            body += smtplib.bCRLF
        client.send(body + b"." + smtplib.bCRLF)
        if self.on_handed is not None:
            self.on_handed()
        answer: tuple[int, bytes] = client.getreply()
        return answer


class HandOffSMTP(_HandOff, smtplib.SMTP):
    pass


class HandOffSMTP_SSL(_HandOff, smtplib.SMTP_SSL):
    pass


class EmailBackend(DjangoEmailBackend):
    """The SMTP backend whose connection calls `on_handed` as each message is handed
    over (set it around one send with `handing`)."""

    @property
    def connection_class(self) -> type[smtplib.SMTP]:
        return HandOffSMTP_SSL if self.use_ssl else HandOffSMTP

    def send_handed(self, message: Any, on_handed: Callable[[], object]) -> int:
        """Send one message; `on_handed` runs once the server has all of it."""
        if self.connection is None:
            self.open()
        connection = self.connection
        if isinstance(connection, _HandOff):
            connection.on_handed = on_handed
        try:
            return int(self.send_messages([message]) or 0)
        finally:
            if isinstance(connection, _HandOff):
                connection.on_handed = None


def hands_off(backend: object) -> bool:
    return isinstance(backend, EmailBackend)
