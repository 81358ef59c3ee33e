"""The data-request limits hold for the real app server, whose several processes share
nothing but the database: one address gets at most DATA_REQUEST_RATE_ADDRESS links a
day however the requests are spread over the processes (each process once counted on
its own, so three processes sent three times as many)."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORM = "/people/my-data/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=180)


def request(
    port: int, method: str, path: str, body: str = "", headers: dict[str, str] | None = None
) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, body=body or None, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def wait_for_server(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if request(port, "GET", FORM).status == 200:
                return
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(log.read_text())
        time.sleep(0.2)


def test_one_address_gets_three_links_a_day_from_three_app_processes(tmp_path: Path) -> None:
    port = free_port()
    mail = tmp_path / "mail"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        {
            "VAR_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'app.sqlite3'}",
            "EMAIL_URL": f"file:{mail}",
            "SECRET_KEY": "test-data-request-" + "x" * 50,
            "DEBUG": "false",
            "BASE_URL": f"http://127.0.0.1:{port}",
            "WEB_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "3",
            "WEB_THREADS": "2",
            "GROUNDSWELL_TESTING": "0",
        }
    )
    for name in ("DATA_REQUEST_RATE_IP", "DATA_REQUEST_RATE_ADDRESS"):
        env.pop(name, None)  # the documented defaults: 10 an hour per IP, 3 a day per address
    manage("migrate", "--noinput", env=env)
    manage("collectstatic", "--noinput", env=env)
    manage(
        "shell",
        "-c",
        "from groundswell.people import actions\n"
        "actions.record_person(email='ana.reyes@example.org', first_name='Ana')\n",
        env=env,
    )
    # Not across midnight UTC, when the day's window starts again.
    if (left := 86400 - time.time() % 86400) < 120:
        time.sleep(left)

    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "serve"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=out,
            start_new_session=True,  # so that a failure can stop granian's processes too
        )
    try:
        wait_for_server(port, server, log)
        form = request(port, "GET", FORM)
        cookie = form.getheader("Set-Cookie", "").split(";")[0]
        token = re.search(r"csrftoken=([^;]+)", cookie)
        assert token, (form.status, log.read_text())
        body = urllib.parse.urlencode(
            {"email": "ana.reyes@example.org", "csrfmiddlewaretoken": token.group(1)}
        )
        headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
        # All at once, each on its own connection, so the processes share them out.
        with ThreadPoolExecutor(12) as pool:
            answers = list(
                pool.map(lambda _: request(port, "POST", FORM, body, headers), range(12))
            )
        assert [a.status for a in answers] == [303] * 12, log.read_text()
        assert {a.getheader("Location") for a in answers} == {"/people/my-data/sent/"}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()

    manage("shell", "-c", "from groundswell.core.worker import drain; drain()", env=env)
    # The file backend writes each connection's messages to one file.
    written = "".join(p.read_text() for p in mail.glob("*")) if mail.exists() else ""
    recipients = re.findall(r"^To: (.*)$", written, flags=re.MULTILINE)
    assert recipients == ["ana.reyes@example.org"] * 3, written[:2000]
