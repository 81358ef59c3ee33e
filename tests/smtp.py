"""A real SMTP server for tests (aiosmtpd), collecting what it receives."""

from __future__ import annotations

import asyncio
import email
import email.policy
import logging
import socket
import threading
import time
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

logging.getLogger("mail.log").setLevel(logging.WARNING)


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self._lock = threading.Lock()
        self.refusing = False  # answer like a mail server that is down for a while
        self.refuse_recipients: set[str] = set()  # answered 550: no such mailbox
        self.delay = 0.0  # seconds each message takes to be accepted (a slow server)
        # Once this many messages arrived, the next one waits at RCPT until release():
        # a sender is then caught halfway, before the server accepted anything of it.
        self.hold_after: int | None = None
        # Once this many arrived, the next one waits after its last byte, before the
        # server keeps it (until release()): a sender caught waiting for the answer.
        self.hold_data_after: int | None = None
        self.holding = threading.Event()
        self.held = 0  # connections waiting at RCPT
        self._released = threading.Event()

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if self.hold_after is not None and len(self.messages) >= self.hold_after:
            self.held += 1
            self.holding.set()
            try:
                while not self._released.is_set():
                    await asyncio.sleep(0.02)
            finally:  # also when the client went away and aiosmtpd cancels us
                self.held -= 1
        if address in self.refuse_recipients:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def release(self) -> None:
        self.hold_after = None
        self.hold_data_after = None
        self._released.set()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        # Like a real mail server, once it has the whole message it finishes taking
        # it even if the client goes away meanwhile (aiosmtpd would cancel us).
        return await asyncio.shield(self._accept(envelope))

    async def _accept(self, envelope: Envelope) -> str:
        if self.hold_data_after is not None and len(self.messages) >= self.hold_data_after:
            self.held += 1
            self.holding.set()
            try:
                while not self._released.is_set():
                    await asyncio.sleep(0.02)
            finally:  # also when the client went away and aiosmtpd cancels us
                self.held -= 1
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.refusing:
            return "451 4.3.0 Try again later"
        raw = envelope.content if isinstance(envelope.content, bytes) else b""
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.messages.append(message)
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        raise AssertionError(f"expected {count} emails, got {len(self.messages)}")

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]

    def clear(self) -> None:
        # Let any session still held from the last test go first.
        self._released.set()
        deadline = time.monotonic() + 5
        while self.held and time.monotonic() < deadline:
            time.sleep(0.02)
        with self._lock:
            self.messages.clear()
        self.refusing = False
        self.refuse_recipients = set()
        self.delay = 0.0
        self.hold_after = None
        self.hold_data_after = None
        self.holding.clear()
        self._released.clear()

    @staticmethod
    def text(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("plain",))
        assert part is not None
        return part.get_content()  # type: ignore[no-any-return]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SMTPServer:
    def __init__(self) -> None:
        self.mailbox = Mailbox()
        self.port = free_port()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()
