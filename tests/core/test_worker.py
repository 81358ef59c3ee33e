"""The worker process: runs the clock and tasks, and stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


@pytest.fixture
def worker_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        {
            "VAR_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
            "EMAIL_URL": f"file:{tmp_path / 'mail'}",
            "COUNT_INTERVAL": "0.2",
            "GROUNDSWELL_TESTING": "0",
        }
    )
    manage("migrate", "--noinput", env=env)
    return env


def test_the_worker_folds_counts_and_stops_on_sigterm(
    worker_env: dict[str, str], tmp_path: Path
) -> None:
    script = (
        "from groundswell.organizations.models import Organization\n"
        "from groundswell.petitions import actions\n"
        "org = Organization.objects.create(name='Action Now', slug='action-now')\n"
        "p = actions.create_petition(owner=org, created_by=None, targets=[{'name': 'Mayor'}],"
        " slug='p', title='P', ask='A')\n"
        "actions.publish(p)\n"
        "actions.record_signature(p, first_name='A', last_name='B', email='a@example.org',"
        " email_normalized='a@example.org', zip_code='60608')\n"
    )
    manage("shell", "-c", script, env=worker_env)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.1"],
        cwd=ROOT,
        env=worker_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        folded = False
        check = (
            "from groundswell.petitions.models import PetitionCount as C; "
            "print(C.objects.get(petition__slug='p').total)"
        )
        mail: list[Path] = []
        while time.monotonic() < deadline and not (folded and mail):
            time.sleep(0.5)
            out = manage("shell", "-c", check, env=worker_env).stdout.strip()
            folded = out.endswith("1")
            mail = list((tmp_path / "mail").glob("*")) if (tmp_path / "mail").exists() else []
        assert folded, "the worker's clock did not fold the signature into the count"
        assert mail, "the worker did not send the verification email"
    finally:
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    assert worker.returncode == 0, output
    assert "Worker stopped." in output
