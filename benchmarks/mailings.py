"""How fast a mailing goes out: 100,000 recipients to a local SMTP server.

    .venv/bin/python benchmarks/mailings.py [--recipients 100000] [--rate 100000]

Works on its own SQLite database (var/bench-mailings/mailings.sqlite3, recreated on
every run), never DATABASE_URL (--database-url names an empty PostgreSQL one instead):
migrates it, makes one organization with N supporters
who agreed to its emails, all tagged "members" (bulk inserts), writes a mailing to the
tag through mailings.actions and sends it now. Then it starts an SMTP server (aiosmtpd)
on a free port and the real worker (`manage.py worker`, EMAIL_URL pointing at that
server, MAILINGS_RATE=--rate) and times until the server has received all N messages.

Prints: the time the worker took to fix the recipients and start, messages per second
from the first message to the last, the whole run's rate, the worker's peak memory
(VmHWM from /proc), and whether every recipient got exactly one message.
Target: >= 500 messages/s on the 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "var" / "bench-mailings"
TARGET_PER_S = 500.0


def configure(database_url: str = "") -> None:
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{WORK / 'mailings.sqlite3'}"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.pop("GROUNDSWELL_TESTING", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "groundswell.settings"
    sys.path.insert(0, str(REPO))
    os.chdir(REPO)


class Counter:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: list[float] = []
        self.recipients: dict[str, int] = {}

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.times.append(time.perf_counter())
            for to in envelope.rcpt_tos:
                self.recipients[to] = self.recipients.get(to, 0) + 1
        return "250 OK"


def populate(n: int) -> None:
    from django.utils import timezone

    from groundswell.accounts.models import User
    from groundswell.mailings import actions
    from groundswell.organizations.models import Membership, Organization, Role
    from groundswell.people.models import Consent, Person, Supporter, Tag, Tagging

    organization = Organization.objects.create(
        name="Action Now", slug="action-now", email="staff@actionnow.example"
    )
    user = User.objects.create_user("maria@actionnow.example", "x" * 20, first_name="Maria")
    membership = Membership.objects.create(user=user, organization=organization, role=Role.OWNER)
    tag = Tag.objects.create(organization=organization, name="members")
    now = timezone.now()
    step = 5000
    for start in range(0, n, step):
        people = Person.objects.bulk_create(
            [
                Person(
                    email=f"p{i}@example.org",
                    email_normalized=f"p{i}@example.org",
                    first_name=f"P{i}",
                    language="es" if i % 3 == 0 else "en",
                )
                for i in range(start, min(n, start + step))
            ]
        )
        Supporter.objects.bulk_create(
            [Supporter(person=p, organization=organization, email=p.email) for p in people]
        )
        Consent.objects.bulk_create(
            [
                Consent(person=p, organization=organization, granted_at=now, source="bench")
                for p in people
            ]
        )
        Tagging.objects.bulk_create([Tagging(tag=tag, person=p) for p in people])
    mailing = actions.save_mailing(
        membership,
        None,
        subject='News for {{ first_name|default:"friend" }}',
        body='Dear {{ first_name|default:"friend" }},\n\nJoin us on **Saturday**.',
        language="en",
        chosen={"tags": [str(tag.pk)]},
        versions={"es": ("Noticias", "Te esperamos el **sábado**.")},
    )
    actions.send(membership, mailing)


def peak_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=100_000.0)
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument(
        "--database-url",
        default="",
        help="An empty PostgreSQL database to use instead of SQLite (it is migrated).",
    )
    args = parser.parse_args()

    configure(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    populate(args.recipients)
    print(f"{args.recipients:,} supporters stored in {time.perf_counter() - started:.1f} s")

    import logging

    from aiosmtpd.controller import Controller

    from tests.smtp import free_port

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=free_port())
    controller.start()
    env = {
        **os.environ,
        "EMAIL_URL": f"smtp://127.0.0.1:{controller.port}",
        "MAILINGS_RATE": str(args.rate),
    }
    start = time.perf_counter()
    worker = subprocess.Popen([sys.executable, "manage.py", "worker"], env=env, cwd=REPO)
    peak = 0
    try:
        while len(counter.times) < args.recipients:
            if worker.poll() is not None:
                raise SystemExit("The worker stopped.")
            if time.perf_counter() - start > args.timeout:
                raise SystemExit(f"Timed out with {len(counter.times):,} messages received.")
            peak = max(peak, peak_kb(worker.pid))
            time.sleep(0.5)
        peak = max(peak, peak_kb(worker.pid))
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        controller.stop()
    end = time.perf_counter()
    times = counter.times
    drain = times[-1] - times[0]
    rate = (len(times) - 1) / drain if drain > 0 else float("inf")
    once = all(v == 1 for v in counter.recipients.values())
    print(f"first message {times[0] - start:.1f} s after the worker started")
    print(f"{len(times):,} messages in {drain:.1f} s: {rate:,.0f} messages/s")
    print(f"target >= {TARGET_PER_S:.0f} messages/s")
    print(f"whole run: {len(times) / (end - start):,.0f} messages/s")
    print(f"worker peak memory: {peak / 1024:.0f} MB")
    print(f"distinct recipients: {len(counter.recipients):,}; each exactly once: {once}")


if __name__ == "__main__":
    main()
