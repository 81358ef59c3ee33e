"""Nothing stops silently: the findings of an outside review of the worker, each
reproduced with real processes (the worker, the app server), a real SMTP server and
a lock held by a second database connection, on SQLite and (when the suite runs
there) PostgreSQL.

1. A database lock longer than the lock timeout no longer kills the worker.
2. A worker killed with SIGKILL halfway through a mailing: its task and emails are
   taken back, the rest go out, nobody gets it twice, and the update counts what went.
3. Sending email holds no transaction: a signer is not kept waiting by a slow server.
4. /healthz (manage.py status) sees a locked database and a dead worker.
(5, the limits shared by the app server's processes, is in
tests/people/test_data_request_across_processes.py.)
"""

from __future__ import annotations

import json
import re
import signal
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.deployment import Deployment, get, in_background
from tests.smtp import SMTPServer

pytestmark = pytest.mark.django_db(transaction=True)

# Tables a worker and /healthz write; on PostgreSQL the "other program" locks these.
BUSY_TABLES = (
    "django_tasks_database_dbtaskresult",
    "core_outboundemail",
    "core_workerbeat",
    "core_healthprobe",
    "petitions_signature",
)

SET_UP = """
from django.db import transaction
from groundswell.organizations.models import Organization
from groundswell.petitions import actions
org = Organization.objects.create(name="Action Now", slug="action-now", email="staff@an.example")
petition = actions.create_petition(owner=org, created_by=None, targets=[{{"name": "Mayor"}}],
                                   slug="p", title="Defend Chicago", ask="Pass it.")
actions.publish(petition)
with transaction.atomic():
    for i in range({signers}):
        email = f"signer{{i}}@example.org"
        result = actions.record_signature(
            petition, first_name="S", last_name=str(i), email=email, email_normalized=email,
            zip_code="60608", consents=[org.pk], send_email=False)
        actions.verify_signature(actions.verification_token(result.signature))
"""

STATE = """
import json
from groundswell.core.models import OutboundEmail, WorkerBeat
from django_tasks_db.models import DBTaskResult
from groundswell.petitions.models import PetitionUpdate
print(json.dumps({
    "emails": dict(Counter(OutboundEmail.objects.values_list("state", flat=True))),
    "tasks": dict(Counter(DBTaskResult.objects.values_list("status", flat=True))),
    "emailed": [u.emailed_count for u in PetitionUpdate.objects.order_by("pk")],
    "lost": WorkerBeat.objects.filter(lost=True).count(),
}))
""".replace("import json\n", "import json\nfrom collections import Counter\n")


def state(site: Deployment) -> dict[str, Any]:
    return json.loads(site.shell(STATE).splitlines()[-1])


def status(site: Deployment) -> dict[str, Any]:
    result = site.manage("status", "--json", check=False)
    return json.loads(result.stdout)


@pytest.fixture
def smtp(smtp_server: SMTPServer) -> SMTPServer:
    smtp_server.mailbox.clear()
    yield smtp_server
    smtp_server.mailbox.clear()


def test_a_long_database_lock_does_not_kill_the_worker(tmp_path: Path, smtp: SMTPServer) -> None:
    with Deployment(tmp_path, smtp=smtp, DATABASE_LOCK_TIMEOUT="0.5") as site:
        site.shell(SET_UP.format(signers=0))
        worker = site.start_worker()
        site.wait_for("the worker's heartbeat", lambda: status(site)["status"] == "ok")
        with site.write_lock(*BUSY_TABLES):
            time.sleep(4)  # eight times the lock timeout
            locked = status(site)
            assert worker.poll() is None, site.log_text()
        assert locked["status"] == "error"
        assert locked["database"]["status"] == "error"
        # After the lock, the worker carries on: a new signer gets their email.
        site.shell(
            "from groundswell.petitions import actions; from groundswell.petitions.models "
            "import Petition; actions.record_signature(Petition.objects.get(), first_name='A',"
            " last_name='B', email='after@example.org', email_normalized='after@example.org',"
            " zip_code='60608')"
        )
        smtp.mailbox.wait_for(1, timeout=30)
        assert smtp.mailbox.to("after@example.org")
        assert worker.poll() is None
        assert status(site)["status"] == "ok"
        log = site.log_text()
        assert "Worker stopped" not in log
        # Logged when the trouble started and when it ended, not at every retry.
        assert log.count("works again after") <= len(BUSY_TABLES) + 3


def test_a_mailing_survives_a_worker_killed_halfway(tmp_path: Path, smtp: SMTPServer) -> None:
    signers = 635
    with Deployment(tmp_path, smtp=smtp, WORKER_LOST_AFTER="5") as site:
        site.shell(SET_UP.format(signers=signers))
        site.shell(
            "from groundswell.petitions import actions; from groundswell.petitions.models "
            "import Petition; actions.post_update(Petition.objects.get(), author=None,"
            " title='We delivered it', body='Thank you.')"
        )
        # After 70 emails every connection waits at the server: the worker is mid-send.
        smtp.mailbox.hold_after = 70
        first = site.start_worker(EMAIL_CONNECTIONS="4")
        site.wait_for("every connection to wait", lambda: smtp.mailbox.held == 4, timeout=120)
        site.kill(first)  # SIGKILL, as the review did
        smtp.mailbox.release()
        halfway = state(site)
        received = len(smtp.mailbox.messages)  # 70, or a few more that were past RCPT
        assert 70 <= received < signers
        assert halfway["emailed"] == [received]  # the update counts what went out
        second = site.start_worker()
        site.wait_for(
            "every signer's email", lambda: len(smtp.mailbox.messages) >= signers, timeout=180
        )
        site.wait_for("the queue to empty", lambda: state(site)["emails"] == {"sent": signers})
        recipients = Counter(str(m["To"]) for m in smtp.mailbox.messages)
        assert len(recipients) == signers
        assert max(recipients.values()) == 1  # nobody twice
        final = state(site)
        assert final["emailed"] == [signers]
        assert final["tasks"] == {"SUCCESSFUL": 1}  # not RUNNING forever
        assert final["lost"] == 1
        assert second.poll() is None


def test_a_worker_killed_while_the_server_takes_a_message_sends_it_once(
    tmp_path: Path, smtp: SMTPServer
) -> None:
    """The moment that once made a message go out twice: the server has the whole
    message and is keeping it when the worker is killed, before its "250 OK" arrives.
    The worker had recorded that it handed the message over, so its successor counts
    it as sent (and the server, like a real one, keeps it although the client left)."""
    signers = 120
    with Deployment(tmp_path, smtp=smtp, WORKER_LOST_AFTER="5") as site:
        site.shell(SET_UP.format(signers=signers))
        site.shell(
            "from groundswell.petitions import actions; from groundswell.petitions.models "
            "import Petition; actions.post_update(Petition.objects.get(), author=None,"
            " title='We delivered it', body='Thank you.')"
        )
        smtp.mailbox.hold_data_after = 30
        first = site.start_worker(EMAIL_CONNECTIONS="4")
        site.wait_for("every connection to wait", lambda: smtp.mailbox.held == 4, timeout=120)
        held = state(site)
        assert held["emails"].get("handed") == 4, held
        site.kill(first)
        smtp.mailbox.release()
        site.start_worker()
        site.wait_for("the queue to empty", lambda: state(site)["emails"] == {"sent": signers})
        recipients = Counter(str(m["To"]) for m in smtp.mailbox.messages)
        assert len(recipients) == signers
        assert max(recipients.values()) == 1  # nobody twice
        assert state(site)["emailed"] == [signers - 4]  # the four in doubt: not counted


def test_a_slow_mail_server_does_not_hold_up_signers(tmp_path: Path, smtp: SMTPServer) -> None:
    with Deployment(tmp_path, smtp=smtp, DATABASE_LOCK_TIMEOUT="1") as site:
        site.shell(SET_UP.format(signers=5))
        site.shell(
            "from groundswell.petitions import actions; from groundswell.petitions.models "
            "import Petition; actions.post_update(Petition.objects.get(), author=None,"
            " title='News', body='Thank you.')"
        )
        port = site.start_app(SIGN_MIN_FILL_SECONDS="0")
        smtp.mailbox.hold_after = 2  # the mail server stalls in the middle of the update
        site.start_worker()
        site.wait_for("the stalled send", lambda: smtp.mailbox.holding.is_set(), timeout=60)
        try:
            # If sending held a transaction, SQLite's one write lock (or the update's row
            # lock) would be held now, and this signature would wait past the lock timeout.
            status_code, _headers, _body = sign(port, "new@example.org")
            assert status_code == 303
            counts = site.shell(
                "from groundswell.petitions.models import Signature; "
                "print(Signature.objects.filter(email='new@example.org').count())"
            )
            assert counts.splitlines()[-1] == "1"
        finally:
            smtp.mailbox.release()
        site.wait_for("the rest of the update", lambda: len(smtp.mailbox.messages) >= 6)


def test_a_busy_database_gives_a_signer_a_clear_503(tmp_path: Path, smtp: SMTPServer) -> None:
    with Deployment(tmp_path, smtp=smtp, DATABASE_LOCK_TIMEOUT="0.3") as site:
        site.shell(SET_UP.format(signers=0))
        port = site.start_app(SIGN_MIN_FILL_SECONDS="0")
        token = form_token(port)  # the page was read before the database got busy
        thread, outcome = in_background(
            lambda: sign(port, "busy@example.org", language="es", token=token)
        )
        with site.write_lock(*BUSY_TABLES):
            thread.join(timeout=60)
        code, headers, body = outcome["result"]
        assert code == 503
        assert headers["Retry-After"] == "60"
        page = body.decode()
        assert "Su firma no se guardó." in page
        assert (
            site.shell(
                "from groundswell.petitions.models import Signature; "
                "print(Signature.objects.count())"
            ).splitlines()[-1]
            == "0"
        )
        # Once the database is free, the same signer is heard.
        assert sign(port, "busy@example.org")[0] == 303


def test_healthz_notices_a_dead_worker(tmp_path: Path, smtp: SMTPServer) -> None:
    with Deployment(tmp_path, smtp=smtp) as site:
        worker = site.start_worker()
        port = site.start_app()
        site.wait_for("a healthy platform", lambda: get(port, "/healthz")[0] == 200)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        code, _headers, body = get(port, "/healthz")
        assert code == 503
        report = json.loads(body)
        assert report["workers"]["alive"] == 0 and report["workers"]["lost"] == 1


def form_token(port: int) -> str:
    page = get(port, "/petitions/p/")[2].decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page)
    assert token, page[:500]
    return token.group(1)


def sign(port: int, email: str, language: str = "en", token: str = "") -> tuple[int, Any, bytes]:
    """POST the sign form as a browser on the petition's page would."""
    body = urllib.parse.urlencode(
        {
            "first_name": "Ana",
            "last_name": "Reyes",
            "email": email,
            "zip_code": "60608",
            "form_token": token or form_token(port),
        }
    ).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/petitions/p/sign",
        data=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"http://127.0.0.1:{port}",
            "Accept-Language": language,
        },
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()
