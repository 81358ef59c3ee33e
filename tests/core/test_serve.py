"""`manage.py serve`: the production app server (granian) as the README documents it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from groundswell.core.management.commands.serve import granian_argv

REPO = Path(__file__).resolve().parents[2]


def flags(argv: list[str]) -> dict[str, str]:
    return {argv[i][2:]: argv[i + 1] for i in range(1, len(argv) - 1) if argv[i][:2] == "--"}


def test_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("WEB_BIND", "WEB_CONCURRENCY", "WEB_THREADS", "WEB_BACKLOG", "WEB_ACCESS_LOG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PORT", "8123")
    argv = granian_argv()
    assert Path(argv[0]).name == "granian" and argv[-1] == "groundswell.wsgi:application"
    got = flags(argv)
    assert got["interface"] == "wsgi" and got["host"] == "127.0.0.1" and got["port"] == "8123"
    assert got["workers"] == str(len(os.sched_getaffinity(0))) and got["blocking-threads"] == "4"
    assert "--respawn-failed-workers" in argv and "--access-log" not in argv


def test_the_environment_sets_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEB_BIND", "[::]:9000")
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    monkeypatch.setenv("WEB_THREADS", "2")
    monkeypatch.setenv("WEB_ACCESS_LOG", "true")
    argv = granian_argv()
    got = flags(argv)
    assert (got["host"], got["port"], got["workers"], got["blocking-threads"]) == (
        "::",
        "9000",
        "5",
        "2",
    )
    assert "--access-log" in argv


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("WEB_BIND", "8000", "WEB_BIND must be host:port"),
        ("WEB_BIND", "localhost:http", "WEB_BIND must be host:port"),
        ("WEB_CONCURRENCY", "many", "WEB_CONCURRENCY must be a whole number"),
        ("WEB_THREADS", "0", "WEB_THREADS must be at least 1"),
        ("WEB_ACCESS_LOG", "perhaps", "WEB_ACCESS_LOG must be true or false"),
    ],
)
def test_a_bad_setting_stops_it_with_a_message(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=message):
        granian_argv()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return (
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                response.read(),
            )
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def test_it_serves_the_application_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    env: dict[str, Any] = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SECRET_KEY": "test-serve-" + "x" * 50,
        "DEBUG": "false",
        "VAR_DIR": str(tmp_path),
        "BASE_URL": f"http://127.0.0.1:{port}",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "WEB_THREADS": "2",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"], cwd=REPO, env=env, check=True
    )
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,  # so that a failure can stop granian's workers too
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, headers, body = _get(f"http://127.0.0.1:{port}/healthz/app")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError((tmp_path / "serve.log").read_text()) from None
                time.sleep(0.2)
        assert status == 200 and b'"writable": true' in body
        assert headers["x-frame-options"] == "DENY"  # the whole middleware stack runs
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
