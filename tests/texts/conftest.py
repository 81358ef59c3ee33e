"""Texting Action Now's members: a local HTTP server in Twilio's shape stands in for the
provider (it is outside the machine in production). Ana and Ben agreed to texts, Cy
did not, Dee replied STOP before, Eve's number was erased from Action Now, Flo is
"do not contact", Gus has only a landline; all are tagged "members"."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest

from groundswell.organizations.models import Membership, Organization
from groundswell.people import actions as people_actions
from groundswell.people.actions import suppression
from groundswell.people.actions.lists import get_or_create_tag, tag_people
from groundswell.people.models import Channel, ContactRestriction, Person, Suppression, Tag
from groundswell.texts import actions, providers
from groundswell.texts.models import Blast

SID = "AC0123456789abcdef0123456789abcdef"
TOKEN = "test-auth-token"
SENDER = "+13125550100"


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    form: dict[str, str]


@dataclass
class FakeTwilio:
    """Records every POST; answers with the statuses queued in `answers` (then 201)."""

    received: list[Request] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    codes: list[int] = field(default_factory=list)  # Twilio's error codes for the 400s
    server: Any = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address
        return f"twilio+http://{SID}:{TOKEN}@{host}:{port}?from={SENDER}"

    def numbers(self) -> list[str]:
        return [r.form["To"] for r in self.received]


@pytest.fixture
def twilio(settings: Any) -> Iterator[FakeTwilio]:
    fake = FakeTwilio()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            fake.received.append(Request(self.path, dict(self.headers), form))
            status = fake.answers.pop(0) if fake.answers else 201
            body = (
                b'{"sid": "SM%d", "status": "queued"}' % len(fake.received)
                if status == 201
                else b'{"code": %d, "message": "Refused"}'
                % (fake.codes.pop(0) if fake.codes else 21211)
                if status == 400
                else b'{"code": 20429, "message": "Too Many Requests"}'
            )
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    fake.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=fake.server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    settings.SMS_URL = fake.url
    settings.TEXTS_RATE = 1000.0
    settings.TEXTS_QUIET_HOURS = "00:00-00:00"
    providers._cache.clear()
    try:
        yield fake
    finally:
        fake.server.shutdown()
        fake.server.server_close()
        providers._cache.clear()


def texter(organization: Organization, name: str, phone: str, *, sms: bool = True) -> Person:
    added = people_actions.add_person(
        organization,
        fields={"first_name": name, "email": f"{name.lower()}@example.org", "phone": phone},
        consent_to_email=False,
    )
    person = added.supporter.person
    if sms:
        people_actions.grant_consent(person, organization, source="test", channel=Channel.SMS)
    return person


@pytest.fixture
def members(action_now: Organization, organizer: Any) -> Tag:
    tag = get_or_create_tag(action_now, "members")
    people = [
        texter(action_now, "Ana", "+13125550101"),
        texter(action_now, "Ben", "(312) 555-0102"),
        texter(action_now, "Cy", "+13125550103", sms=False),
        texter(action_now, "Dee", "+13125550104"),
        texter(action_now, "Eve", "+13125550105"),
        texter(action_now, "Flo", "+13125550106"),
        texter(action_now, "Gus", "+442079460000"),  # a London landline
    ]
    people_actions.withdraw_consent(
        people[3], action_now, source="text reply STOP", channel=Channel.SMS, by_person=True
    )
    suppression.suppress(
        [suppression.phone_value("+13125550105")],
        reason=Suppression.Reason.ERASED,
        organization=action_now,
    )
    ContactRestriction.objects.create(
        person=people[5], organization=action_now, kind="none", reason="unsafe at home"
    )
    tag_people(tag, [p.pk for p in people])
    return tag


@pytest.fixture
def membership(organizer: Any, action_now: Organization) -> Membership:
    return Membership.objects.get(user=organizer, organization=action_now)


def write(
    membership: Membership, tag: Tag, body: str = "Rally Saturday at 10, Daley Plaza."
) -> Blast:
    return actions.save_blast(
        membership, None, body=body, language="en", chosen={"tags": [str(tag.pk)]}
    )
