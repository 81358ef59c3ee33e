"""The chaos benchmark's own services: a private PostgreSQL cluster, a private Redis and
an SMTP sink, each on a free port of 127.0.0.1, so a run never touches the machine's
own servers (benchmarks/chaos.py).

PostgreSQL refuses to run as root: when the benchmark runs as root, initdb and pg_ctl
run as the `postgres` OS user (runuser), and the cluster's directory is given to it.
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import glob
import logging
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import psycopg
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from intake import BenchError, Processes, free_port, log, redis_ping

logging.getLogger("mail.log").setLevel(logging.WARNING)


def postgres_bin() -> Path:
    """Debian's PostgreSQL binaries (the newest version installed)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=_version)
    if not found:
        raise BenchError(
            "PostgreSQL's server binaries are not in /usr/lib/postgresql/*/bin: "
            "apt-get install postgresql"
        )
    return Path(found[-1]).parent


def _version(path: str) -> tuple[int, ...]:
    digits = re.findall(r"/postgresql/([0-9.]+)/", path)
    return tuple(int(p) for p in digits[0].split(".") if p) if digits else (0,)


def redis_bin() -> str:
    found = shutil.which("redis-server")
    if not found:
        raise BenchError("redis-server is not installed: apt-get install redis-server")
    return found


class PrivatePostgres:
    """A PostgreSQL cluster of the benchmark's own, in `directory`, trust auth on
    127.0.0.1 only (no Unix socket), started and stopped with pg_ctl."""

    def __init__(self, directory: Path, log_file: Path) -> None:
        self.bin = postgres_bin()
        self.directory = directory
        self.data = directory / "data"
        self.log_file = log_file
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0
        self.restarts: list[dict[str, Any]] = []

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}"

    def _run(self, *argv: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin / argv[0]), *argv[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False, cwd="/"
        )

    def _must(self, *argv: str, timeout: float = 120) -> str:
        result = self._run(*argv, timeout=timeout)
        if result.returncode != 0:
            raise BenchError(f"{argv[0]} failed:\n{result.stdout[-1500:]}{result.stderr[-1500:]}")
        return result.stdout

    def init(self) -> None:
        self.directory.mkdir(parents=True)
        self.log_file.touch()
        if self.as_postgres:
            shutil.chown(self.directory, "postgres", "postgres")
            shutil.chown(self.log_file, "postgres", "postgres")
        self._must(
            *("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust"),
            *("-E", "UTF8", "--no-locale", "--no-sync"),
        )
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                "\n# benchmarks/chaos.py\n"
                f"port = {self.port}\n"
                "listen_addresses = '127.0.0.1'\n"
                "unix_socket_directories = ''\n"
                "max_connections = 100\n"
                "log_min_messages = warning\n"
            )

    def start(self) -> None:
        self._must(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log_file), "-w", "-t", "60", "start"
        )

    def restart(self, mode: str = "fast", down: float = 0.0) -> dict[str, Any]:
        """pg_ctl restart (or, with `down`, pg_ctl stop, `down` seconds, pg_ctl start);
        returns when it answers again, or failed to."""
        began = time.monotonic()
        data, logs = ("-D", str(self.data)), ("-l", str(self.log_file))
        if down > 0:
            result = self._run("pg_ctl", *data, "-w", "-t", "60", "-m", mode, "stop")
            if result.returncode == 0:
                time.sleep(down)
                result = self._run("pg_ctl", *data, *logs, "-w", "-t", "60", "start")
        else:
            result = self._run("pg_ctl", *data, *logs, "-w", "-t", "60", "-m", mode, "restart")
        took = time.monotonic() - began
        record = {"mode": mode, "held_down_s": down, "seconds": round(took, 2)}
        record["exit"] = result.returncode
        if result.returncode != 0:
            record["error"] = (result.stdout + result.stderr)[-500:]
        self.restarts.append(record)
        return record

    def create_database(self, name: str) -> str:
        with psycopg.connect(f"{self.url}/postgres", autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"{self.url}/{name}"

    def stop(self) -> None:
        """Stop the cluster (fast, then immediate, then SIGKILL) and remove its files."""
        if not self.data.exists():
            return
        pid = self._postmaster_pid()
        if pid:
            for mode in ("fast", "immediate"):
                result = self._run(
                    "pg_ctl", "-D", str(self.data), "-w", "-t", "20", "-m", mode, "stop"
                )
                if result.returncode == 0 or not _alive(pid):
                    break
            if _alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.directory, ignore_errors=True)

    def _postmaster_pid(self) -> int | None:
        with contextlib.suppress(OSError, ValueError, IndexError):
            return int((self.data / "postmaster.pid").read_text().split()[0])
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_leftover_clusters(root: Path) -> None:
    """A run killed with SIGKILL cannot stop its cluster: stop any it left behind."""
    for pidfile in root.glob("run-*/pg/data/postmaster.pid"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            pid = int(pidfile.read_text().split()[0])
            if _alive(pid):
                log(f"stopping a PostgreSQL left by an earlier run (pid {pid})")
                os.kill(pid, signal.SIGQUIT)  # immediate shutdown
                time.sleep(2)
        shutil.rmtree(pidfile.parent.parent, ignore_errors=True)


class PrivateRedis:
    """redis-server on a free port, no persistence; stopped and started again on the
    same port by the Redis fault."""

    NAME = "redis"

    def __init__(self, procs: Processes) -> None:
        self.binary = redis_bin()
        self.procs = procs
        self.port = free_port()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 15.0) -> None:
        argv = [
            *(self.binary, "--port", str(self.port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no", "--daemonize", "no"),
        ]
        self.procs.start(self.NAME, argv, dict(os.environ))
        started = time.monotonic()
        while not redis_ping(self.url):
            proc = self.procs.running.get(self.NAME)
            if proc is None or proc.poll() is not None:
                raise BenchError(f"redis-server exited:\n{self.procs.log_tail(self.NAME)}")
            if time.monotonic() - started > timeout:
                raise BenchError(f"redis-server does not answer:\n{self.procs.log_tail(self.NAME)}")
            time.sleep(0.05)

    def stop(self) -> None:
        self.procs.stop(self.NAME, timeout=10.0)


# --- The SMTP sink -------------------------------------------------------------------------

VERIFY_LINK = re.compile(r"https?://[^\s\"'<>]+/petitions/verify/[^\s\"'<>/]+/")


@dataclass
class Received:
    at: float  # time.monotonic() when the DATA ended
    message_id: str
    recipients: list[str]
    subject: str
    verify_link: str | None


class MailSink:
    """A real SMTP server (aiosmtpd) in this process that keeps, for every message, its
    Message-ID, recipients, Subject and arrival time. Like a mail server, it takes
    `delay` seconds to process a message, then keeps it (the moment it counts as
    received) and answers 250 at once: a message counts as delivered exactly when a
    real server would have committed it to its queue."""

    def __init__(self, delay: float = 0.0, on_message: Callable[[Received], None] | None = None):
        self.delay = delay
        self.on_message = on_message
        self.messages: list[Received] = []
        self.connections = 0
        self._lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    async def handle_EHLO(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        hostname: str,
        responses: list[str],
    ) -> list[str]:
        session.host_name = hostname
        with self._lock:
            self.connections += 1
        return responses

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        # Once it has the whole message, a mail server finishes taking it even if the
        # client goes away meanwhile (aiosmtpd would cancel this handler).
        return await asyncio.shield(self._accept(envelope))

    async def _accept(self, envelope: Envelope) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)  # processing, before the message is kept
        raw = envelope.content if isinstance(envelope.content, bytes) else b""
        received = parse(raw, list(envelope.rcpt_tos))
        with self._lock:
            self.messages.append(received)
        if self.on_message:
            self.on_message(received)
        return "250 OK"

    def snapshot(self) -> list[Received]:
        with self._lock:
            return list(self.messages)

    def last_arrival(self) -> float:
        with self._lock:
            return self.messages[-1].at if self.messages else 0.0

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.controller.stop()


def parse(raw: bytes, recipients: list[str]) -> Received:
    at = time.monotonic()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    link = None
    if b"/petitions/verify/" in raw:
        with contextlib.suppress(Exception):
            part = message.get_body(preferencelist=("plain",))
            text = part.get_content() if part is not None else ""
            found = VERIFY_LINK.search(text)
            link = found[0] if found else None
    return Received(
        at=at,
        message_id=str(message.get("Message-ID", "")).strip(),
        recipients=[r.lower() for r in recipients],
        subject=" ".join(str(message.get("Subject", "")).split()),
        verify_link=link,
    )
