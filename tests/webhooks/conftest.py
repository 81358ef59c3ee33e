"""Webhook tests: a real HTTP server on 127.0.0.1, started by the test, receives the
deliveries; endpoints are made through the same actions the management pages use."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from groundswell.organizations.models import Organization
from groundswell.petitions import actions as petition_actions
from groundswell.petitions.models import Petition, Signature
from groundswell.webhooks import actions, triggers
from groundswell.webhooks.models import Endpoint, Event


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def event(self) -> str:
        return self.headers["X-Groundswell-Event"]


class Receiver:
    """Records every POST; answers with the statuses queued in `answers` (then 200)."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.answers: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                receiver.received.append(Received(self.path, dict(self.headers), body))
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(f"answered {status}".encode())

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def at(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]


@contextmanager
def receiving() -> Iterator[Receiver]:
    """A receiver listening on 127.0.0.1 for the duration."""
    server = Receiver()
    server.thread.start()
    try:
        yield server
    finally:
        server.server.shutdown()
        server.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiving() as server:
        yield server


@pytest.fixture(autouse=True)
def fresh_listening() -> Iterator[None]:
    """Which organizations have endpoints is remembered per process: not across tests."""
    triggers.forget_listening()
    yield
    triggers.forget_listening()


ALL_EVENTS = [e.value for e in Event]


def endpoint(
    organization: Organization, receiver: Receiver, path: str = "/hook", events: Any = None
) -> Endpoint:
    return actions.create_endpoint(
        organization, url=receiver.url(path), events=ALL_EVENTS if events is None else events
    )


def sign_and_verify(
    petition: Petition, email: str = "ana.reyes@example.org", consents: Any = None
) -> Signature:
    """Ana signs (ticking the owner's consent box unless told) and confirms by email."""
    signature = petition_actions.record_signature(
        petition,
        first_name="Ana",
        last_name="Reyes",
        email=email,
        email_normalized=email,
        zip_code="60608",
        address="1 Main St",
        consents=[petition.owner_id] if consents is None else consents,
        ip_address="203.0.113.7",
    ).signature
    petition_actions.verify_signature(petition_actions.verification_token(signature))
    signature.refresh_from_db()
    return signature
