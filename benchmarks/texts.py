"""One text to N supporters: the exact count an organizer sees on the preview, fixing
the recipients, and sending them through a local Twilio-shaped HTTP server.

    .venv/bin/python benchmarks/texts.py [--recipients 20000]

Works on its own SQLite database (var/bench-texts/texts.sqlite3, recreated on every
run), never DATABASE_URL. Stores N supporters of one organization, tagged, each with a
mobile number and an active SMS consent (a tenth also erased-from-the-organization
numbers on the suppression list, a tenth without SMS consent), writes a text to the
tag, and prints:

- the preview's count: seconds (each number is normalized and checked against the
  suppression list's keyed hashes);
- fixing the recipients (texts.sending.materialize): seconds and rows per second;
- sending every one with the real clock job (texts.sending.send_due, the rate set out of
  the way) to a local HTTP server answering 201: texts per second, which is the most
  one worker can send whatever TEXTS_RATE says (a real provider's answer takes longer);
- the process's peak memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "var" / "bench-texts"


def configure(sms_url: str) -> None:
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'texts.sqlite3'}"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.pop("GROUNDSWELL_TESTING", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "groundswell.settings"
    os.environ["SMS_URL"] = sms_url
    os.environ["TEXTS_RATE"] = "1000000"
    os.environ["TEXTS_QUIET_HOURS"] = "00:00-00:00"
    sys.path.insert(0, str(REPO))
    os.chdir(REPO)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    received = 0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        Handler.received += 1
        body = b'{"sid": "SM%d", "status": "queued"}' % Handler.received
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=20_000)
    args = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    configure(f"twilio+http://ACbench:token@127.0.0.1:{port}?from=+13125550100")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from groundswell.accounts.models import User
    from groundswell.organizations.models import Membership, Organization, Role
    from groundswell.people.actions import suppression
    from groundswell.people.models import Channel, Consent, Person, Supporter, Tag, Tagging
    from groundswell.texts import actions, audience, sending
    from groundswell.texts.models import Blast, BlastState

    call_command("migrate", verbosity=0)
    organization = Organization.objects.create(name="Bench Organizing", slug="bench")
    user = User.objects.create_user("bench@bench.example", "x" * 20)
    membership = Membership.objects.create(
        user=user, organization=organization, role=Role.ORGANIZER
    )
    tag = Tag.objects.create(organization=organization, name="members")
    now = timezone.now()
    n = args.recipients
    numbers = [f"+1312{2000000 + i:07d}" for i in range(n)]
    people = Person.objects.bulk_create(
        [
            Person(email=f"p{i}@bench.example", email_normalized=f"p{i}@bench.example")
            for i in range(n)
        ],
        batch_size=2000,
    )
    Supporter.objects.bulk_create(
        [
            Supporter(person=p, organization=organization, phone=numbers[i], source="bench")
            for i, p in enumerate(people)
        ],
        batch_size=2000,
    )
    Consent.objects.bulk_create(
        [
            Consent(
                person=p, organization=organization, channel=Channel.SMS, granted_at=now, source="b"
            )
            for i, p in enumerate(people)
            if i % 10 != 1
        ],
        batch_size=2000,
    )
    Tagging.objects.bulk_create([Tagging(tag=tag, person=p) for p in people], batch_size=2000)
    suppression.suppress(
        [suppression.phone_value(numbers[i]) for i in range(0, n, 10)],
        reason="erased",
        organization=organization,
    )
    expected = sum(1 for i in range(n) if i % 10 not in (0, 1))

    blast = actions.save_blast(
        membership,
        None,
        body="Rally Saturday 10am at Daley Plaza. ¡Vamos!",
        language="en",
        chosen={"tags": [str(tag.pk)]},
    )
    started = time.perf_counter()
    counted = audience.count(organization, blast.audience)
    count_seconds = time.perf_counter() - started
    assert counted == expected, (counted, expected)

    actions.send_now(membership, blast)
    started = time.perf_counter()
    added = sending.materialize(blast.pk)
    fix_seconds = time.perf_counter() - started

    started = time.perf_counter()
    while Blast.objects.get(pk=blast.pk).state == BlastState.SENDING:
        sending.send_due()
    send_seconds = time.perf_counter() - started
    server.shutdown()

    print(f"supporters: {n:,}; textable (SMS consent, not suppressed): {counted:,}")
    print(f"preview count: {count_seconds:.2f} s ({n / count_seconds:,.0f} supporters/s)")
    print(f"fixing recipients: {fix_seconds:.2f} s ({added / fix_seconds:,.0f} rows/s)")
    print(
        f"sending: {Handler.received:,} texts in {send_seconds:.2f} s "
        f"({Handler.received / send_seconds:,.0f} texts/s, one worker, local HTTP server)"
    )
    print(f"peak memory: {peak_mb():.0f} MB")
    assert Handler.received == counted


if __name__ == "__main__":
    main()
