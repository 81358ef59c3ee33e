"""A whole installation for tests that need real processes: its own database (a SQLite
file, or a new PostgreSQL database when the suite runs on PostgreSQL), the worker and
the app server as the README runs them, and email to an SMTP server the test started.

    with Deployment(tmp_path, smtp=smtp_server) as site:
        site.shell("...python run inside the installation...")
        worker = site.start_worker()
        port = site.start_app()
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from tests.smtp import SMTPServer, free_port

ROOT = Path(__file__).resolve().parents[1]


def suite_on_postgresql() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


class Deployment:
    def __init__(self, tmp_path: Path, *, smtp: SMTPServer | None = None, **env: str) -> None:
        self.tmp = tmp_path
        self.processes: list[subprocess.Popen[bytes]] = []
        self.logs: list[Path] = []
        self.database = ""
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "REDIS_URL", "PYTEST_CURRENT_TEST")
        }
        if suite_on_postgresql():
            self.database = f"gs_site_{uuid.uuid4().hex[:10]}"
            self._admin(f'CREATE DATABASE "{self.database}"')
            parts = urlsplit(os.environ["DATABASE_URL"])
            database_url = urlunsplit(parts._replace(path=f"/{self.database}"))
        else:
            database_url = f"sqlite:///{tmp_path / 'site.sqlite3'}"
        self.env.update(
            {
                "VAR_DIR": str(tmp_path),
                "DATABASE_URL": database_url,
                "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}" if smtp else f"file:{tmp_path}/mail",
                "SECRET_KEY": "test-deployment-" + "x" * 50,
                "DEBUG": "false",
                "GROUNDSWELL_TESTING": "0",
                "WORKER_BEAT_SECONDS": "0.5",
                "EMAIL_INTERVAL": "0.1",
                "COUNT_INTERVAL": "0.2",
                **env,
            }
        )
        self.manage("migrate", "--noinput")

    # Set-up and commands -------------------------------------------------------------

    @staticmethod
    def _admin(sql: str) -> None:
        import psycopg

        parts = urlsplit(os.environ["DATABASE_URL"])
        url = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(sql)  # type: ignore[arg-type]

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=check,
        )

    def shell(self, code: str, **env: str) -> str:
        """Run Python inside the installation (manage.py shell); returns what it printed."""
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode:
            raise AssertionError(result.stdout + result.stderr)
        return result.stdout.strip()

    # Processes -----------------------------------------------------------------------

    def _start(self, name: str, *args: str, **env: str) -> subprocess.Popen[bytes]:
        log = self.tmp / f"{name}-{len(self.logs)}.log"
        self.logs.append(log)
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "manage.py", *args],
                cwd=ROOT,
                env={**self.env, **env},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes.append(process)
        return process

    def start_worker(self, **env: str) -> subprocess.Popen[bytes]:
        return self._start("worker", "worker", "--interval", "0.1", **env)

    def start_app(self, *, processes: int = 1, **env: str) -> int:
        if not (self.tmp / "static").exists():
            self.manage("collectstatic", "--noinput")
        port = free_port()
        app = self._start(
            "app",
            "serve",
            WEB_BIND=f"127.0.0.1:{port}",
            BASE_URL=f"http://127.0.0.1:{port}",
            WEB_CONCURRENCY=str(processes),
            WEB_THREADS="2",
            **env,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(port, "/healthz/app")[0] == 200:
                    return port
            except OSError:
                pass
            if app.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(self.log_text())
            time.sleep(0.2)

    def log_text(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')}" for log in self.logs)

    def wait_for(self, what: str, check: Any, timeout: float = 60.0) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            value = check()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}\n{self.log_text()}")
            time.sleep(0.2)

    # Locks held by "another program" ---------------------------------------------------

    @contextlib.contextmanager
    def write_lock(self, *tables: str) -> Iterator[None]:
        """Hold the database's write lock from a second connection, as `sqlite3` with
        BEGIN IMMEDIATE would (on PostgreSQL: these tables, ACCESS EXCLUSIVE)."""
        url = self.env["DATABASE_URL"]
        if url.startswith("sqlite"):
            connection = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield
            finally:
                connection.execute("ROLLBACK")
                connection.close()
            return
        import psycopg

        with psycopg.connect(url) as connection:
            for table in tables:
                connection.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")  # type: ignore[arg-type]
            try:
                yield
            finally:
                connection.rollback()

    # Teardown --------------------------------------------------------------------------

    def kill(self, process: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        process.wait(timeout=30)

    def close(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                self.kill(process)
        if self.database:
            with contextlib.suppress(Exception):
                self._admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def __enter__(self) -> Deployment:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, Any, bytes]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def in_background(target: Any) -> tuple[threading.Thread, dict[str, Any]]:
    """Run `target()` in a thread; the dict gets its "result" or "error"."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = target()
        except Exception as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome
