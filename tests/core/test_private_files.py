"""Files that hold supporters' data are their owner's alone: the SQLite database and
uploaded CSV imports are created 0600 in 0700 folders (the review found 0644/0755)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from tests.conftest import login
from tests.people.importing import HEADER, LUIS, uploaded

ROOT = Path(__file__).resolve().parents[2]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.django_db
def test_an_uploaded_import_is_readable_by_its_owner_only(
    client: Client, owner: User, action_now: Organization, settings: object, tmp_path: Path
) -> None:
    settings.PRIVATE_ROOT = tmp_path / "private"  # type: ignore[attr-defined]
    os.umask(0o022)  # the usual umask: it would give 0644 and 0755
    login(client, owner)
    job = uploaded(client, action_now, (HEADER + LUIS).encode())
    stored = Path(job.file.path)
    assert mode(stored) == 0o600
    assert mode(stored.parent) == 0o700


def test_the_sqlite_database_and_the_secret_key_are_their_owners_alone(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    env.update({"VAR_DIR": str(tmp_path / "var"), "GROUNDSWELL_TESTING": "0"})
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        preexec_fn=lambda: os.umask(0o022),
    )
    var = tmp_path / "var"
    assert mode(var / "groundswell.sqlite3") == 0o600
    assert mode(var / "secret_key") == 0o600
    for journal in var.glob("groundswell.sqlite3-*"):
        assert mode(journal) == 0o600, journal


def test_a_database_open_to_others_is_tightened(tmp_path: Path) -> None:
    from groundswell.core.private import private_file

    path = tmp_path / "db.sqlite3"
    path.write_text("")
    path.chmod(0o644)
    private_file(path)
    assert mode(path) == 0o600


def test_an_upgrade_closes_up_what_was_kept_before(tmp_path: Path) -> None:
    from groundswell.core.private import close_up

    old = tmp_path / "private" / "imports"
    old.mkdir(parents=True, mode=0o755)
    (old / "people.csv").write_text("email\n")
    (old / "people.csv").chmod(0o644)
    assert close_up(tmp_path / "private") == 3
    assert mode(old) == 0o700 and mode(old / "people.csv") == 0o600
