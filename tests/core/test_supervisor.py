"""`manage.py up` (what `make demo` runs): a worker that dies is started again, and
stopping it stops everything it started."""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

import pytest

from groundswell.core.liveness import process_gone
from tests.deployment import Deployment, get
from tests.smtp import free_port

pytestmark = pytest.mark.django_db(transaction=True)


def started(log: Path, name: str) -> list[int]:
    return [int(pid) for pid in re.findall(rf"Started {name} \(pid (\d+)\)", log.read_text())]


def test_a_killed_worker_is_started_again_and_stop_stops_all(tmp_path: Path) -> None:
    with Deployment(tmp_path) as site:
        site.manage("collectstatic", "--noinput")
        port = free_port()
        up = site._start("up", "up", WEB_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1")
        log = site.logs[-1]
        site.wait_for("the worker", lambda: started(log, "worker 1"))
        site.wait_for("the app server", lambda: _answers(port))
        [first] = started(log, "worker 1")
        os.kill(first, signal.SIGKILL)
        site.wait_for("a new worker", lambda: len(started(log, "worker 1")) == 2, timeout=30)
        assert "worker 1 exited with status -9" in log.read_text()
        site.wait_for("a healthy platform", lambda: get(port, "/healthz")[0] == 200, timeout=60)
        os.kill(up.pid, signal.SIGTERM)
        assert up.wait(timeout=60) == 0
        for pid in [*started(log, "worker 1"), *started(log, "app server")]:
            assert process_gone(pid)


def _answers(port: int) -> bool:
    try:
        return get(port, "/healthz/app")[0] == 200
    except OSError:
        return False
