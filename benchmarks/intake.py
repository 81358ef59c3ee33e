"""The intake benchmark: a signing surge on the production app server, on PostgreSQL.

    make bench-intake                  (or: .venv/bin/python benchmarks/intake.py --help)

What one run does, in about two minutes, on 127.0.0.1 only:

1. Creates a fresh database (bench_intake), migrates it, and makes one organization and
   one open petition that counts unverified signatures (benchmarks/intake_django.py,
   through the project's own actions). A copy of it (bench_intake_baseline) is made for
   the baseline.
2. Bare baseline: benchmarks/baseline_app.py (uvicorn + asyncpg) with as many worker
   processes as the app server gets, under the same load as step 3.
3. Groundswell: `manage.py serve` (granian, as the README documents production) and
   `manage.py worker`, DEBUG off, emails written to files. wrk drives signers (each
   request a new email; every acknowledged one, a 303, is written down) and, at the same
   time, readers of the petition page and of count.json, for a fixed time. Then: count
   lag (seconds from the end of the load until count.json equals the counted signatures
   in the database), and lost / duplicated signatures checked in the database.
4. Durability: a shorter run during which one app server process and the task worker are
   killed with SIGKILL (the worker is then restarted). No acknowledged signature may be
   lost, and counts.recount must bring the count back to the stored signatures.
5. Prints a table, writes benchmarks/results/intake-<timestamp>.json.

All load comes from 127.0.0.1, where a real surge comes from many people: the app is told
that 127.0.0.1 is its proxy (TRUSTED_PROXIES) and each signature carries its own address
in X-Forwarded-For (from 198.18.0.0/15, the benchmarking range; only a header value), so
the per-IP limits run with their defaults, as for real signers, and do not trip. Every
process this script starts is stopped when it ends, also on Ctrl+C, an error or SIGTERM.

Exit status: 0 when the run completed and every signature check passed (targets missed
are reported, not failed; --strict fails on them too), 1 when a signature was lost or
duplicated or the counts could not be repaired, 2 when the benchmark could not run.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import datetime
import json
import os
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import app_profile  # benchmarks/app_profile.py, beside this script
import psycopg

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "benchmarks"
RESULTS = BENCH / "results"
WORK = REPO / "var" / "bench-intake"
VENV_BIN = Path(sys.executable).parent
PETITION_SLUG = "bench-intake-surge"

TARGETS = {
    "signatures_per_s": (">=", 1000.0),
    "ratio_to_baseline": (">=", 0.5),
    "sign_p99_ms": ("<=", 150.0),
    "readers_per_s": (">=", 2000.0),
    "count_lag_s": ("<=", 5.0),
}


class BenchError(Exception):
    """The benchmark cannot go on; the message says why."""


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- Processes -----------------------------------------------------------------------------


def _die_with_parent() -> None:  # runs in the child between fork and exec
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Processes:
    """Every process the benchmark starts, each in its own process group, so that one
    signal stops a process with its children (granian's workers, uvicorn's workers)."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        if name in self.running and self.running[name].poll() is None:
            raise BenchError(f"{name} is already running")
        with open(self.logs / f"{name}.log", "ab") as out:
            proc = subprocess.Popen(
                argv,
                cwd=REPO,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent,  # only the main thread starts processes
            )
        self.running[name] = proc
        return proc

    def log_tail(self, name: str, lines: int = 15) -> str:
        path = self.logs / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, name: str, sig: int = signal.SIGTERM, timeout: float = 25.0) -> None:
        proc = self.running.pop(name, None)
        if proc is None:
            return
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, sig)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # any child left behind in its group

    def stop_all(self) -> None:
        for name in list(self.running):
            self.stop(name, timeout=10.0)


def _on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


# --- Small helpers -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def http_get(url: str, timeout: float = 3.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wait_ready(url: str, procs: Processes, name: str, timeout: float = 60.0) -> float:
    """Poll url until it answers 200; returns the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        proc = procs.running.get(name)
        if proc is None or proc.poll() is not None:
            raise BenchError(f"{name} exited while starting:\n{procs.log_tail(name)}")
        with contextlib.suppress(OSError):
            if http_get(url, timeout=2.0)[0] == 200:
                return time.monotonic() - started
        time.sleep(0.1)
    raise BenchError(f"{name} not ready at {url} after {timeout:.0f} s:\n{procs.log_tail(name)}")


def redis_ping(url: str) -> bool:
    match = re.match(r"redis://(?:[^@/]*@)?([^:/]+)(?::(\d+))?", url)
    if not match:
        return False
    try:
        with socket.create_connection((match[1], int(match[2] or 6379)), timeout=1.0) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def children_of(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    with contextlib.suppress(OSError):
        return [int(p) for p in path.read_text().split()]
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
    return found


# --- CPU accounting ------------------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def _postgres_kind(pid: str, databases: frozenset[str]) -> str:
    """ "postgres" for the server's own processes and for sessions on our databases,
    "postgres_other_dbs" for sessions (and autovacuum) on anybody else's."""
    try:
        title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except (OSError, UnicodeDecodeError):
        return "postgres"
    words = title.split()
    if databases.intersection(words):
        return "postgres"
    session = "autovacuum worker" in title or any(w.endswith(")") and "(" in w for w in words)
    return "postgres_other_dbs" if session or "[local]" in words else "postgres"


def cpu_snapshot(
    groups: dict[str, int], databases: frozenset[str] = frozenset()
) -> dict[str, float]:
    """CPU seconds so far: per named process group (with its reaped children), for
    PostgreSQL (ours, and others' databases apart) and Redis, and busy/total seconds of the
    whole machine."""
    by_pgrp = {pgid: name for name, pgid in groups.items()}
    totals: dict[str, float] = {name: 0.0 for name in groups}
    totals["postgres"] = totals["postgres_other_dbs"] = totals["redis"] = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            raw = stat.read_text()
        except OSError:
            continue
        comm = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        pgrp = int(fields[2])
        own = (int(fields[11]) + int(fields[12])) / TICK
        reaped = (int(fields[13]) + int(fields[14])) / TICK
        if pgrp in by_pgrp:
            totals[by_pgrp[pgrp]] += own + reaped
        elif comm == "postgres":
            totals[_postgres_kind(stat.parent.name, databases)] += own
        elif comm.startswith("redis-server"):
            totals["redis"] += own
    cpu = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    values = [int(v) for v in cpu]
    idle = values[3] + values[4]
    totals["machine_busy"] = (sum(values[:8]) - idle) / TICK
    totals["machine_total"] = sum(values[:8]) / TICK
    return totals


def others_cores(groups: dict[str, int], databases: frozenset[str], seconds: float = 2.0) -> float:
    """Cores used by everything but this benchmark's own processes, over `seconds`."""
    before = cpu_snapshot(groups, databases)
    time.sleep(seconds)
    share = cpu_share(before, cpu_snapshot(groups, databases), seconds)
    ours = sum(
        v for k, v in share.items() if not k.startswith("machine") and k != "postgres_other_dbs"
    )
    return max(0.0, share["machine_busy"] - ours)


def wait_quiet(
    limit: float,
    groups: dict[str, int] | None = None,
    databases: frozenset[str] = frozenset(),
    threshold: float = 0.25,
) -> float:
    """Wait (up to `limit` seconds) until other work leaves the machine alone (it uses
    less than `threshold` cores); returns the last figure seen."""
    started = time.monotonic()
    next_note = started
    other = others_cores(groups or {}, databases)
    while other > threshold and time.monotonic() - started < limit:
        if time.monotonic() >= next_note:
            log(f"other work uses {other:.2f} cores of this machine: waiting for it to stop")
            next_note += 30
        time.sleep(3)
        other = others_cores(groups or {}, databases)
    if time.monotonic() - started > 5:
        log(f"waited {time.monotonic() - started:.0f} s; other work now uses {other:.2f} cores")
    return other


def cpu_share(before: dict[str, float], after: dict[str, float], seconds: float) -> dict[str, Any]:
    """CPU used in the window, in cores (1.0 = one core busy all the time)."""
    share = {
        name: round((after.get(name, 0.0) - before.get(name, 0.0)) / seconds, 2)
        for name in after
        if not name.startswith("machine")
    }
    total = after["machine_total"] - before["machine_total"]
    busy = after["machine_busy"] - before["machine_busy"]
    share["machine_busy_pct"] = round(100 * busy / total, 1) if total else None
    share["machine_busy"] = round(busy / seconds, 2)
    return share


# --- Load ----------------------------------------------------------------------------------


@dataclass
class Target:
    """A server under test."""

    name: str
    base_url: str
    procs: Processes
    process_names: list[str]
    form_extra: str = ""  # form_token=…&website=
    petition_id: int = 0
    db_url: str = ""


@dataclass
class LoadResult:
    phase: str
    prefix: str
    sign: dict[str, Any]
    reads: dict[str, dict[str, Any]]
    acked: list[str]
    seconds: float
    ended_at: float
    cpu_cores: dict[str, Any] = field(default_factory=dict)
    samples: list[dict[str, Any]] = field(default_factory=list)


def wrk_result(procs: Processes, name: str) -> dict[str, Any]:
    text = (procs.logs / f"{name}.log").read_text(errors="replace")
    for line in reversed(text.splitlines()):
        if line.startswith("WRK_RESULT "):
            result: dict[str, Any] = json.loads(line.removeprefix("WRK_RESULT "))
            return result
    raise BenchError(f"{name} printed no result:\n{procs.log_tail(name)}")


def run_load(
    args: argparse.Namespace,
    target: Target,
    run: Path,
    token: str,
    phase: str,
    *,
    duration: float,
    readers: bool = True,
    actions: list[tuple[float, Callable[[], None]]] | None = None,
    sample: Callable[[], dict[str, Any]] | None = None,
) -> LoadResult:
    """Drive signers (and readers) with wrk for `duration` seconds; returns the figures."""
    ackdir = run / "acked" / f"{target.name}-{phase}"
    ackdir.mkdir(parents=True)
    prefix = f"{token}-{target.name[:2]}-{phase}"
    body = (
        "first_name=Ana&last_name=Signer&email={EMAIL}&zip_code=60608"
        f"&consent_{args.organization_id}=on&source=" + target.form_extra
    )
    seconds = f"{duration:g}s"
    wrk = args.wrk
    petition = f"{target.base_url}/petitions/{PETITION_SLUG}/"
    loads: dict[str, list[str]] = {
        "sign": [
            *(wrk, "-t", str(args.signers), "-c", str(args.signers), "-d", seconds),
            *("--timeout", "10s", "-s", str(BENCH / "wrk" / "sign.lua"), f"{petition}sign"),
            *("--", prefix, str(ackdir), body, target.base_url, str(secrets.randbelow(131072))),
        ]
    }
    if readers:
        for kind, url, conns in (
            ("page", petition, args.page_readers),
            ("count", f"{petition}count.json", args.count_readers),
        ):
            if conns:
                threads = str(min(conns, args.reader_threads))
                loads[kind] = [
                    *(wrk, "-t", threads, "-c", str(conns), "-d", seconds, "--timeout", "10s"),
                    *("-s", str(BENCH / "wrk" / "read.lua"), url, "--", kind),
                ]
    groups = {name: target.procs.running[name].pid for name in target.process_names}
    databases = frozenset({args.database, f"{args.database}_baseline"})
    if args.wait_quiet and phase != "warmup":
        wait_quiet(min(args.wait_quiet, 120.0), groups, databases)
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_before = cpu_snapshot(groups, databases)
    started = time.monotonic()
    names = {kind: f"wrk-{target.name}-{phase}-{kind}" for kind in loads}
    for kind, argv in loads.items():
        target.procs.start(names[kind], argv, env=dict(os.environ))
    pending = sorted(actions or [], key=lambda a: a[0])
    samples: list[dict[str, Any]] = []
    stop_sampling = threading.Event()

    def sampler() -> None:  # once a second, off the main loop (a sample can be slow)
        assert sample is not None
        while not stop_sampling.wait(1.0):
            samples.append({"t": round(time.monotonic() - started, 1), **sample()})

    sampling = threading.Thread(target=sampler, daemon=True) if sample else None
    if sampling:
        sampling.start()
    ended_at = 0.0
    cpu_after: dict[str, float] = {}
    deadline = started + duration + 30
    while True:
        now = time.monotonic()
        while pending and now - started >= pending[0][0]:
            pending.pop(0)[1]()
        sign_proc = target.procs.running[names["sign"]]
        if not ended_at and sign_proc.poll() is not None:
            ended_at = time.monotonic()
            cpu_after = cpu_snapshot(groups, databases)
            stop_sampling.set()
        if all(target.procs.running[n].poll() is not None for n in names.values()):
            break
        if now > deadline:
            raise BenchError(f"wrk did not stop after {duration + 30:.0f} s")
        time.sleep(0.02)
    stop_sampling.set()
    if sampling:
        sampling.join(5)
    elapsed = ended_at - started
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wrk_cpu = (
        children_after.ru_utime
        + children_after.ru_stime
        - children_before.ru_utime
        - children_before.ru_stime
    )
    for name in names.values():
        if target.procs.running[name].returncode != 0:
            raise BenchError(f"{name} failed:\n{target.procs.log_tail(name)}")
    results = {kind: wrk_result(target.procs, names[kind]) for kind in names}
    for name in names.values():
        target.procs.running.pop(name)
    acked = []
    for path in sorted(ackdir.glob("acked-*.txt")):
        acked.extend(line for line in path.read_text().splitlines() if line)
    cores = cpu_share(cpu_before, cpu_after, elapsed)
    cores["wrk"] = round(wrk_cpu / elapsed, 2)
    # Whatever else ran on the machine meanwhile (another test suite, a build, queries on
    # other databases): it disturbs the figures.
    ours = sum(
        v for k, v in cores.items() if not k.startswith("machine") and k != "postgres_other_dbs"
    )
    cores["other"] = round(max(0.0, cores["machine_busy"] - ours), 2)
    return LoadResult(
        phase=phase,
        prefix=prefix,
        sign=results["sign"],
        reads={k: v for k, v in results.items() if k != "sign"},
        acked=acked,
        seconds=elapsed,
        ended_at=ended_at,
        cpu_cores=cores,
        samples=samples,
    )


def load_figures(load: LoadResult) -> dict[str, Any]:
    """The throughput and latency figures of one load."""
    sign = load.sign
    secs = sign["duration_us"] / 1e6
    sign_errors = (
        sign["not_ok"]
        + sign["connect_errors"]
        + sign["read_errors"]
        + sign["write_errors"]
        + sign["timeouts"]
    )
    figures: dict[str, Any] = {
        "seconds": round(secs, 2),
        "signatures_acknowledged": sign["ok"],
        "signatures_per_s": round(sign["ok"] / secs, 1),
        "sign_p50_ms": round(sign["p50_us"] / 1000, 1),
        "sign_p95_ms": round(sign["p95_us"] / 1000, 1),
        "sign_p99_ms": round(sign["p99_us"] / 1000, 1),
        "sign_max_ms": round(sign["max_us"] / 1000, 1),
        "sign_errors": sign_errors,
        "sign_error_detail": {
            "non_303_by_status": sign["not_ok_statuses"],
            "connect": sign["connect_errors"],
            "read": sign["read_errors"],
            "write": sign["write_errors"],
            "timeouts": sign["timeouts"],
        },
        "cpu_cores": load.cpu_cores,
    }
    if load.reads:
        ok = sum(r["ok"] for r in load.reads.values())
        figures["readers_per_s"] = round(ok / secs, 1)
        # The p99 of all reads is at most the larger of the two p99s.
        figures["reader_p99_ms"] = round(max(r["p99_us"] for r in load.reads.values()) / 1000, 1)
        figures["reader_errors"] = sum(
            r["not_ok"] + r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["timeouts"]
            for r in load.reads.values()
        )
        for kind, r in load.reads.items():
            figures[f"{kind}_readers"] = {
                "per_s": round(r["ok"] / (r["duration_us"] / 1e6), 1),
                "p50_ms": round(r["p50_us"] / 1000, 1),
                "p99_ms": round(r["p99_us"] / 1000, 1),
                "errors": r["not_ok"]
                + r["connect_errors"]
                + r["read_errors"]
                + r["write_errors"]
                + r["timeouts"],
                "non_200_by_status": r["not_ok_statuses"],
            }
    return figures


# --- Database ------------------------------------------------------------------------------


def db_url(args: argparse.Namespace, name: str) -> str:
    return f"{args.postgres.rstrip('/')}/{name}"


def recreate_database(args: argparse.Namespace, name: str, template: str | None = None) -> None:
    with psycopg.connect(db_url(args, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if template:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        else:
            conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(args: argparse.Namespace, name: str) -> None:
    with psycopg.connect(db_url(args, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def checkpoint(args: argparse.Namespace) -> None:
    """Write out dirty pages now, so no checkpoint lands in the middle of a load."""
    started = time.monotonic()
    with psycopg.connect(db_url(args, "postgres"), autocommit=True) as conn:
        conn.execute("CHECKPOINT")
    if time.monotonic() - started > 2:
        log(f"CHECKPOINT took {time.monotonic() - started:.1f} s")


COUNTED = "(suspect_reason = '' OR cleared_at IS NOT NULL) AND invalidation_id IS NULL"
TOTALS_SQL = """
SELECT count(*), count(DISTINCT email_normalized),
       count(*) FILTER (WHERE (suspect_reason = '' OR cleared_at IS NOT NULL)
                          AND invalidation_id IS NULL),
       count(*) FILTER (WHERE suspect_reason <> '')
FROM petitions_signature WHERE petition_id = %s
"""


def stored_counts(conn: psycopg.Connection[Any], petition_id: int) -> tuple[int, int]:
    """(rows, rows that count) of the petition's signatures."""
    row = conn.execute(
        f"SELECT count(*), count(*) FILTER (WHERE {COUNTED}) "  # noqa: S608 - constant SQL
        "FROM petitions_signature WHERE petition_id = %s",
        [petition_id],
    ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def check_signatures(target: Target, loads: list[LoadResult]) -> dict[str, Any]:
    """Every acknowledged email stored exactly once? Returns the figures, per phase."""
    with psycopg.connect(target.db_url, autocommit=True) as conn:
        conn.execute("CREATE TEMP TABLE acked (phase text, email text)")
        with conn.cursor() as cur, cur.copy("COPY acked (phase, email) FROM STDIN") as copy:
            for load in loads:
                for email in load.acked:
                    copy.write_row((load.phase, email))
        conn.execute("CREATE INDEX ON acked (email)")
        conn.execute("ANALYZE acked")
        # One statement, one snapshot: signatures still being committed (in flight when
        # the load stopped) must not make the figures disagree with each other.
        row = conn.execute(TOTALS_SQL, [target.petition_id]).fetchone()
        assert row is not None
        rows, distinct, counted, suspect = (int(v) for v in row)
        phases = {}
        for load in loads:
            found = conn.execute(
                "SELECT count(*), count(DISTINCT a.email), "
                "count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM petitions_signature s "
                # the generated emails are already normalized (lower case, no +tag)
                "  WHERE s.petition_id = %s AND s.email_normalized = a.email)) "
                "FROM acked a WHERE a.phase = %s",
                [target.petition_id, load.phase],
            ).fetchone()
            assert found is not None
            acknowledged, unique, lost = (int(v) for v in found)
            like = f"{load.prefix}-%"
            stored_row = conn.execute(
                "SELECT count(*), count(DISTINCT email_normalized) FROM petitions_signature "
                "WHERE petition_id = %s AND email LIKE %s",
                [target.petition_id, like],
            ).fetchone()
            assert stored_row is not None
            stored, stored_distinct = int(stored_row[0]), int(stored_row[1])
            phases[load.phase] = {
                "acknowledged": acknowledged,
                "acknowledged_twice": acknowledged - unique,
                "stored": stored,
                "lost": lost,
                "duplicated": stored - stored_distinct,
                # committed but never acknowledged: in flight when wrk stopped, or a
                # connection cut (kill -9) after the commit
                "stored_not_acknowledged": stored - (acknowledged - lost),
            }
        reasons = dict(
            conn.execute(
                "SELECT suspect_reason, count(*) FROM petitions_signature "
                "WHERE petition_id = %s AND suspect_reason <> '' GROUP BY 1",
                [target.petition_id],
            ).fetchall()
        )
    return {
        "rows": rows,
        "distinct_emails": distinct,
        "counted": counted,
        "suspect": suspect,
        "suspect_reasons": reasons,
        "lost": sum(p["lost"] for p in phases.values()),
        "duplicated": rows - distinct,
        "phases": phases,
    }


def count_lag(target: Target, since: float, cap: float, poll: float = 0.1) -> dict[str, Any]:
    """Seconds from `since` until count.json equals the counted signatures in the DB."""
    url = f"{target.base_url}/petitions/{PETITION_SLUG}/count.json"
    last: dict[str, Any] = {}
    with psycopg.connect(target.db_url, autocommit=True) as conn:
        while time.monotonic() - since < cap:
            try:
                status, body = http_get(url)
                shown = json.loads(body)["count"] if status == 200 else None
            except (OSError, ValueError, KeyError):
                shown = None
            rows, counted = stored_counts(conn, target.petition_id)
            last = {"count_json": shown, "counted_in_db": counted, "rows_in_db": rows}
            if shown == counted:
                return {"seconds": round(time.monotonic() - since, 2), **last}
            time.sleep(poll)
    return {"seconds": None, **last}


def task_states(target: Target) -> dict[str, int]:
    with psycopg.connect(target.db_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY 1"
        ).fetchall()
    return {status: int(n) for status, n in rows}


# --- The servers ---------------------------------------------------------------------------


def product_env(args: argparse.Namespace, run: Path, secret: str) -> dict[str, str]:
    """The production configuration, from a clean environment (see the README)."""
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "LC_ALL", "TZ"}}
    env.update(
        {
            "DATABASE_URL": db_url(args, args.database),
            "SECRET_KEY": secret,
            "DEBUG": "false",
            "PORT": str(args.port),
            "WEB_BIND": f"127.0.0.1:{args.port}",
            "BASE_URL": f"http://127.0.0.1:{args.port}",
            "EMAIL_URL": f"file:{run / 'mail'}",
            "VAR_DIR": str(WORK / "var"),
            "WEB_CONCURRENCY": str(args.workers),
            "TRUSTED_PROXIES": "127.0.0.1",  # wrk plays the proxy: see sign.lua
            "SIGN_MIN_FILL_SECONDS": str(args.min_fill_seconds),
            "PYTHONUNBUFFERED": "1",
        }
    )
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    for pair in args.env:
        key, _, value = pair.partition("=")
        env[key] = value
    return env


def manage(env: dict[str, str], *argv: str, timeout: float = 120) -> str:
    result = subprocess.run(
        [sys.executable, *argv],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise BenchError(
            f"{' '.join(argv)} failed:\n{result.stdout[-2000:]}{result.stderr[-3000:]}"
        )
    return result.stdout


def start_groundswell(args: argparse.Namespace, procs: Processes, env: dict[str, str]) -> None:
    if not port_free(args.port):
        raise BenchError(f"port {args.port} is taken: pass --port")
    argv = [sys.executable, "manage.py", "serve"]
    procs.start("app", argv, env)
    procs.start("worker", [sys.executable, "manage.py", "worker"], env)
    took = wait_ready(f"http://127.0.0.1:{args.port}/healthz/app", procs, "app")
    log(f"app server ready in {took:.1f} s ({args.workers} processes), task worker started")


def form_fields(base_url: str) -> tuple[str, float]:
    """The hidden fields a person's browser sends with the sign form, read from the page
    as a browser would (a signed form token and the empty honeypot); and when."""
    status, page = http_get(f"{base_url}/petitions/{PETITION_SLUG}/")
    if status != 200:
        raise BenchError(f"the petition page answered {status}")
    match = re.search(rb'name="form_token" value="([^"]+)"', page)
    extra = ""
    if match:
        extra += "&form_token=" + urllib.request.quote(match[1].decode(), safe="")
    if b'name="website"' in page:
        extra += "&website="
    return extra, time.monotonic()


def emails_in(directory: Path) -> int:
    """Messages Django's file backend wrote (one file per connection, which may hold many)."""
    header = re.compile(rb"^Message-ID: ", re.MULTILINE)
    return sum(len(header.findall(path.read_bytes())) for path in directory.iterdir())


def server_settings(env: dict[str, str]) -> dict[str, Any]:
    """The granian command line that `manage.py serve` runs in this environment."""
    argv = manage(env, "manage.py", "serve", "--print").split()
    flags = {argv[i][2:]: argv[i + 1] for i in range(1, len(argv) - 1) if argv[i][:2] == "--"}
    return {
        "command": " ".join(argv[1:]),
        "workers": int(flags.get("workers", 1)),
        "threads": int(flags.get("blocking-threads", 1)),
        "access_log": "--access-log" in argv,
    }


def worker_spawns(procs: Processes) -> int:
    """Processes granian started (once per worker, and again for each one it replaced)."""
    path = procs.logs / "app.log"
    return path.read_text(errors="replace").count("Spawning worker") if path.exists() else 0


# --- Phases --------------------------------------------------------------------------------


def phase_baseline(
    args: argparse.Namespace, procs: Processes, run: Path, token: str, petition_id: int
) -> dict[str, Any]:
    if not port_free(args.baseline_port):
        raise BenchError(f"port {args.baseline_port} is taken: pass --baseline-port")
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "LC_ALL", "TZ"}}
    env["BASELINE_DATABASE_URL"] = db_url(args, f"{args.database}_baseline")
    env["BASELINE_POOL_SIZE"] = str(args.baseline_pool)
    procs.start(
        "baseline",
        [
            *(args.baseline_python, "-m", "uvicorn", "baseline_app:app"),
            *("--app-dir", str(BENCH), "--host", "127.0.0.1", "--port", str(args.baseline_port)),
            *("--workers", str(args.workers), "--no-access-log", "--log-level", "warning"),
        ],
        env,
    )
    base = f"http://127.0.0.1:{args.baseline_port}"
    took = wait_ready(f"{base}/healthz", procs, "baseline")
    # uvicorn answers as soon as one worker is up: give every worker its pool first.
    time.sleep(1.0)
    log(f"baseline ready in {took:.1f} s (uvicorn, {args.workers} workers)")
    target = Target(
        "baseline",
        base,
        procs,
        ["baseline"],
        petition_id=petition_id,
        db_url=env["BASELINE_DATABASE_URL"],
    )
    warm = run_load(args, target, run, token, "warmup", duration=args.warmup)
    checkpoint(args)
    log(f"baseline: load for {args.duration:g} s")
    main = run_load(args, target, run, token, "main", duration=args.duration)
    log("baseline: load done; checking the signatures")
    procs.stop("baseline")
    figures = load_figures(main)
    figures["check"] = check_signatures(target, [warm, main])
    log(
        f"baseline: {figures['signatures_per_s']:.0f} signatures/s, "
        f"p99 {figures['sign_p99_ms']} ms, lost {figures['check']['lost']}"
    )
    return figures


def phase_groundswell(
    args: argparse.Namespace,
    procs: Processes,
    run: Path,
    token: str,
    env: dict[str, str],
    petition_id: int,
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    start_groundswell(args, procs, env)
    base = f"http://127.0.0.1:{args.port}"
    extra, fetched = form_fields(base)
    target = Target(
        "groundswell",
        base,
        procs,
        ["app", "worker"],
        form_extra=extra,
        petition_id=petition_id,
        db_url=env["DATABASE_URL"],
    )
    # The form token must be older than the minimum fill time, as a person's would be.
    time.sleep(max(0.0, fetched + args.min_fill_seconds + 0.5 - time.monotonic()))
    warm = run_load(args, target, run, token, "warmup", duration=args.warmup)
    checkpoint(args)
    spawns_before = worker_spawns(procs)

    conn = psycopg.connect(target.db_url, autocommit=True)
    count_url = f"{base}/petitions/{PETITION_SLUG}/count.json"

    def sample() -> dict[str, Any]:
        # The public count first, then the truth: the gap is never understated.
        try:
            shown = json.loads(http_get(count_url, timeout=2.0)[1])["count"]
        except (OSError, ValueError, KeyError):
            shown = None
        _rows, counted = stored_counts(conn, petition_id)
        return {"count_json": shown, "counted_in_db": counted}

    profiling: dict[str, Any] = {}
    profile_at = min(3.0, args.duration / 4)
    profile_seconds = max(1.0, args.duration - profile_at - 2.0)

    def start_profile() -> None:
        workers = children_of(procs.running["app"].pid)
        if not workers:
            return
        profiling["pid"] = workers[0]
        profiling["raw"] = run / "logs" / "profile-app.txt"
        profiling["proc"] = app_profile.start(
            args.py_spy, workers[0], profile_seconds, profiling["raw"]
        )
        log(f"py-spy: sampling app process {workers[0]} for {profile_seconds:g} s")

    log(f"groundswell: load for {args.duration:g} s")
    try:
        main = run_load(
            args,
            target,
            run,
            token,
            "main",
            duration=args.duration,
            sample=sample,
            actions=[(profile_at, start_profile)] if args.profile else None,
        )
    finally:
        conn.close()
    profile = None
    if profiling.get("proc"):
        try:
            profiling["proc"].wait(timeout=30)
            profile = app_profile.summarize(profiling["raw"], profile_seconds)
        except (subprocess.TimeoutExpired, OSError) as exc:
            profile = {"samples": 0, "error": str(exc)}
    lag = count_lag(target, main.ended_at, cap=args.lag_cap)
    figures = load_figures(main)
    figures["count_lag_s"] = lag["seconds"]
    figures["count_lag"] = lag
    behind = [
        s["counted_in_db"] - s["count_json"] for s in main.samples if s["count_json"] is not None
    ]
    figures["count_behind_during_load_max"] = max(behind, default=None)
    figures["count_samples"] = main.samples
    figures["app_worker_respawns"] = worker_spawns(procs) - spawns_before
    figures["check"] = check_signatures(target, [warm, main])
    if args.profile:
        figures["app_profile"] = profile or {"samples": 0, "error": "py-spy did not start"}
    log(
        f"groundswell: {figures['signatures_per_s']:.0f} signatures/s, "
        f"p99 {figures['sign_p99_ms']} ms, readers {figures.get('readers_per_s', 0):.0f}/s, "
        f"count lag {lag['seconds']} s, lost {figures['check']['lost']}"
    )
    if args.skip_kill:
        return figures, None
    return figures, phase_kill(args, procs, run, token, env, target, [warm, main])


def phase_kill(
    args: argparse.Namespace,
    procs: Processes,
    run: Path,
    token: str,
    env: dict[str, str],
    target: Target,
    earlier: list[LoadResult],
) -> dict[str, Any]:
    """kill -9 an app server process and the task worker mid-load; nothing acknowledged lost,
    and the counts repairable by a recount."""
    killed: dict[str, Any] = {}

    def kill() -> None:
        workers = children_of(procs.running["app"].pid)
        if workers:
            os.kill(workers[0], signal.SIGKILL)
            killed["app_worker_pid"] = workers[0]
        worker = procs.running["worker"]
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
        procs.running.pop("worker")
        killed["task_worker_pid"] = worker.pid
        killed["at_s"] = args.kill_at
        log(f"kill -9 app process {killed.get('app_worker_pid')} and task worker {worker.pid}")

    def restart() -> None:
        proc = procs.start("worker", [sys.executable, "manage.py", "worker"], env)
        killed["task_worker_restarted_pid"] = proc.pid
        killed["restarted_at_s"] = args.kill_at + 1.0
        log(f"worker restarted (pid {proc.pid})")

    target.process_names = ["app"]
    log(f"durability: load for {args.kill_duration:g} s with kill -9 at {args.kill_at:g} s")
    load = run_load(
        args,
        target,
        run,
        token,
        "kill",
        duration=args.kill_duration,
        readers=False,
        actions=[(args.kill_at, kill), (args.kill_at + 1.0, restart)],
    )
    check = check_signatures(target, [*earlier, load])
    settled = count_lag(target, load.ended_at, cap=args.settle_cap)
    recount = json.loads(manage(env, "benchmarks/intake_django.py", "recount").splitlines()[-1])
    repaired = count_lag(target, time.monotonic(), cap=args.settle_cap)
    tasks = task_states(target)
    figures = load_figures(load)
    figures.update(
        {
            "killed": killed,
            "check": check,
            "lost": check["phases"]["kill"]["lost"],
            "lost_all_phases": check["lost"],
            "duplicated": check["duplicated"],
            "count_settled_without_recount": settled,
            "recount": recount,
            "count_after_recount": repaired,
            "counts_repairable": repaired["seconds"] is not None,
            "task_states": tasks,
        }
    )
    log(
        f"durability: lost {figures['lost']}, duplicated {figures['duplicated']}, counts "
        f"repairable {figures['counts_repairable']}, tasks {tasks}"
    )
    return figures


# --- Report --------------------------------------------------------------------------------


def verdict(name: str, value: Any) -> str:
    if name not in TARGETS:
        return ""
    op, goal = TARGETS[name]
    if value is None:
        return "MISSED"
    met = value >= goal if op == ">=" else value <= goal
    return "met" if met else "MISSED"


def fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        digits = 2 if value < 10 else 1 if value < 100 else 0
        return f"{value:,.{digits}f}{unit}"
    if isinstance(value, int):
        return f"{value:,}{unit}"
    return f"{value}{unit}"


def report(results: dict[str, Any]) -> tuple[str, list[str]]:
    gs = results["groundswell"]
    base = results.get("baseline") or {}
    kill = results.get("durability") or {}
    cfg = results["config"]
    rows: list[tuple[str, str, str, str]] = []
    missed = []

    def row(label: str, key: str | None, value: Any, unit: str = "", extra: str = "") -> None:
        target = ""
        if key:
            op, goal = TARGETS[key]
            target = f"{op} {goal:g}{unit.strip()}"
            outcome = verdict(key, value)
            if outcome == "MISSED":
                missed.append(label)
            target = f"{target}  {outcome}"
        rows.append((label, fmt(value, unit), target, extra))

    gs_check = gs["check"]
    row("signatures acknowledged /s", "signatures_per_s", gs["signatures_per_s"])
    row("sign latency p50", None, gs["sign_p50_ms"], " ms")
    row("sign latency p95", None, gs["sign_p95_ms"], " ms")
    row("sign latency p99", "sign_p99_ms", gs["sign_p99_ms"], " ms")
    row("reader requests /s", "readers_per_s", gs.get("readers_per_s"))
    for kind in ("page", "count"):
        if f"{kind}_readers" in gs:
            r = gs[f"{kind}_readers"]
            label = "  petition page" if kind == "page" else "  count.json"
            row(f"{label} /s (p99)", None, r["per_s"], extra=f"p99 {r['p99_ms']} ms")
    row("reader latency p99", None, gs.get("reader_p99_ms"), " ms")
    row("errors: sign / read", None, f"{gs['sign_errors']} / {gs.get('reader_errors', 0)}")
    row("count lag after the load", "count_lag_s", gs["count_lag_s"], " s")
    row("count behind during load (max)", None, gs["count_behind_during_load_max"], " sigs")
    row("lost (acknowledged, not stored)", None, gs_check["lost"])
    row("duplicated (rows - distinct)", None, gs_check["duplicated"])
    row("suspect (kept, not counted)", None, gs_check["suspect"])
    row("app processes replaced", None, gs["app_worker_respawns"])
    if "emails_written_by_worker" in gs:
        stored = (kill or gs)["check"]["rows"]
        row(
            "emails sent by the end",
            None,
            gs["emails_written_by_worker"],
            extra=f"verification and milestone emails; {stored:,} signatures stored",
        )
    if base:
        row("baseline signatures /s", None, base["signatures_per_s"])
        row("baseline sign p99", None, base["sign_p99_ms"], " ms")
        row("baseline readers /s", None, base.get("readers_per_s"))
        row(
            "baseline lost / duplicated",
            None,
            f"{base['check']['lost']} / {base['check']['duplicated']}",
        )
        row("ratio to baseline", "ratio_to_baseline", results.get("ratio_to_baseline"))
    if kill:
        row("kill -9 run: signatures /s", None, kill["signatures_per_s"])
        row("kill -9 run: sign errors", None, kill["sign_errors"], extra="cut connections")
        row("kill -9 run: lost", None, kill["lost"])
        row("kill -9 run: duplicated", None, kill["duplicated"])
        settled = kill["count_settled_without_recount"]["seconds"]
        row("kill -9 run: count settled", None, settled, " s", extra="without recount")
        row("kill -9 run: counts repairable", None, "yes" if kill["counts_repairable"] else "NO")
        running = kill["task_states"].get("RUNNING", 0)
        row("kill -9 run: tasks left RUNNING", None, running, extra="orphaned by kill -9")

    def cpu_line(cores: dict[str, Any]) -> str:
        used = ", ".join(
            f"{k} {v}"
            for k, v in cores.items()
            if not k.startswith("machine") and k != "postgres_other_dbs"
        )
        return f"{used}; machine busy {cores['machine_busy_pct']}%"

    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = [
        f"Groundswell intake benchmark, {results['started_at']}, {cfg['cpus']} CPUs",
        f"granian {cfg['workers']} processes x {cfg['threads']} threads; "
        f"load {cfg['duration']:g} s: {cfg['signers']} signers, {cfg['page_readers']} page + "
        f"{cfg['count_readers']} count.json readers (wrk); "
        f"redis {'on' if cfg['redis_url'] else 'off'}",
        "",
        f"{'figure':<{widths[0]}}  {'value':>{widths[1]}}  {'target':<{widths[2]}}  note",
        "-" * (sum(widths) + 10),
    ]
    lines += [f"{a:<{widths[0]}}  {b:>{widths[1]}}  {c:<{widths[2]}}  {d}" for a, b, c, d in rows]
    lines += ["", f"CPU in cores, Groundswell load: {cpu_line(gs['cpu_cores'])}"]
    if base:
        lines.append(f"CPU in cores, baseline load:    {cpu_line(base['cpu_cores'])}")
    other = max(gs["cpu_cores"]["other"], base["cpu_cores"]["other"] if base else 0.0)
    if other > 0.2:
        lines.append(
            f"WARNING: other processes used up to {other} cores during a load: "
            "the figures are lower than this machine gives when quiet."
        )
    return "\n".join(lines), missed


# --- Main ----------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=float(env("BENCH_DURATION", "20")))
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument(
        "--workers",
        type=int,
        default=int(env("BENCH_WORKERS", "3")),
        help="WEB_CONCURRENCY (app server processes), and as many uvicorn workers for the baseline",
    )
    parser.add_argument("--signers", type=int, default=int(env("BENCH_SIGNERS", "16")))
    parser.add_argument("--page-readers", type=int, default=int(env("BENCH_PAGE_READERS", "4")))
    parser.add_argument("--count-readers", type=int, default=int(env("BENCH_COUNT_READERS", "4")))
    parser.add_argument("--reader-threads", type=int, default=2)
    parser.add_argument("--kill-duration", type=float, default=8.0)
    parser.add_argument("--kill-at", type=float, default=3.0)
    parser.add_argument("--lag-cap", type=float, default=60.0)
    parser.add_argument("--settle-cap", type=float, default=20.0)
    parser.add_argument("--min-fill-seconds", type=float, default=3.0)
    parser.add_argument(
        "--port", type=int, default=int(env("BENCH_PORT", "0")), help="default: a free one"
    )
    parser.add_argument("--baseline-port", type=int, default=int(env("BENCH_BASELINE_PORT", "0")))
    parser.add_argument("--baseline-pool", type=int, default=8)
    parser.add_argument(
        "--baseline-python",
        default=env("BENCH_BASELINE_PYTHON", sys.executable),
        help="a Python with uvicorn and asyncpg (the 'bench' dependency group)",
    )
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--skip-kill", action="store_true")
    parser.add_argument(
        "--postgres",
        default=env("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
        help="server URL without a database name; the benchmark creates its own",
    )
    parser.add_argument("--database", default="bench_intake")
    parser.add_argument(
        "--redis-url",
        default=env("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
        help="REDIS_URL for Groundswell ('' for none: rate limits then count in PostgreSQL)",
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="another setting for the app server and the worker, e.g. WEB_THREADS=2",
    )
    parser.add_argument("--wrk", default=shutil.which("wrk") or "wrk")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=float(env("BENCH_WAIT_QUIET", "0")),
        metavar="SECONDS",
        help="wait up to this long for other work on the machine to stop before the run "
        "(and up to 120 s of it before each measured load)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the run's logs and emails")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="sample one app process with py-spy during the load and print where its "
        "Python time goes (py-spy is in the bench group; it must be allowed to ptrace)",
    )
    parser.add_argument("--py-spy", default=str(VENV_BIN / "py-spy"))
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    args.port = args.port or free_port()
    while not args.baseline_port or args.baseline_port == args.port:
        args.baseline_port = free_port()
    for key in args.env:
        if "=" not in key:
            parser.error(f"--env wants KEY=VALUE, not {key!r}")
    return args


def preflight(args: argparse.Namespace) -> None:
    if not shutil.which(args.wrk):
        raise BenchError("wrk is not installed: apt-get install wrk (make bench-intake does)")
    try:
        with psycopg.connect(db_url(args, "postgres"), connect_timeout=5) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        raise BenchError(f"PostgreSQL at {args.postgres} does not answer: {exc}") from None
    if args.redis_url and not redis_ping(args.redis_url):
        raise BenchError(
            f"Redis at {args.redis_url} does not answer. Start it, or pass --redis-url '' "
            "(the per-IP limits then count signatures in PostgreSQL)."
        )
    if not args.skip_baseline:
        probe = subprocess.run(
            [args.baseline_python, "-c", "import uvicorn, asyncpg"],
            capture_output=True,
            check=False,
        )
        if probe.returncode != 0:
            raise BenchError(
                f"{args.baseline_python} lacks uvicorn or asyncpg: run `uv sync --frozen "
                "--group bench` (make bench-intake does), pass --baseline-python, or "
                "--skip-baseline"
            )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Ctrl+C raises KeyboardInterrupt even when started in the background (where a
    # shell leaves SIGINT ignored); SIGTERM and SIGHUP raise SystemExit. Either way the
    # finally clause below stops every process this run started.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGHUP, _on_signal)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    run = WORK / f"run-{stamp}"
    (run / "logs").mkdir(parents=True)
    (run / "mail").mkdir()
    RESULTS.mkdir(parents=True, exist_ok=True)
    procs = Processes(run / "logs")
    token = "b" + secrets.token_hex(3)
    results: dict[str, Any] = {"started_at": stamp}
    code = 0
    try:
        preflight(args)
        secret = secrets.token_urlsafe(50)
        env = product_env(args, run, secret)
        server = server_settings(env)
        threads = server["threads"]
        results["config"] = {
            "cpus": os.cpu_count(),
            "workers": args.workers,
            "threads": threads,
            "duration": args.duration,
            "kill_duration": args.kill_duration,
            "signers": args.signers,
            "page_readers": args.page_readers,
            "count_readers": args.count_readers,
            "redis_url": args.redis_url,
            "database": args.database,
            "product_env": {k: v for k, v in env.items() if k not in {"SECRET_KEY", "PATH"}},
            "server": server,
            "git_commit": subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"],
                cwd=REPO,
                capture_output=True,
                text=True,
                check=False,
            ).stdout.strip(),
            "wrk": subprocess.run(
                [args.wrk, "-v"], capture_output=True, text=True, check=False
            ).stdout.splitlines()[0:1],
        }
        if args.wait_quiet:
            results["config"]["other_cores_before"] = round(wait_quiet(args.wait_quiet), 2)
        started = time.monotonic()
        log(f"database {args.database}: create, migrate, collectstatic, one petition")
        recreate_database(args, args.database)
        manage(env, "manage.py", "migrate", "--noinput", "-v", "0")
        manage(env, "manage.py", "collectstatic", "--noinput", "-v", "0")
        made = json.loads(manage(env, "benchmarks/intake_django.py", "setup").splitlines()[-1])
        args.organization_id = made["organization_id"]
        petition_id = made["petition_id"]
        if not args.skip_baseline:
            recreate_database(args, f"{args.database}_baseline", template=args.database)
            results["baseline"] = phase_baseline(args, procs, run, token, petition_id)
            drop_database(args, f"{args.database}_baseline")
        checkpoint(args)
        figures, durability = phase_groundswell(args, procs, run, token, env, petition_id)
        results["groundswell"] = figures
        results["durability"] = durability
        procs.stop("worker")
        procs.stop("app")
        mail = run / "mail"
        results["groundswell"]["emails_written_by_worker"] = emails_in(mail)
        if results.get("baseline"):
            results["ratio_to_baseline"] = round(
                figures["signatures_per_s"] / results["baseline"]["signatures_per_s"], 2
            )
        results["seconds_total"] = round(time.monotonic() - started, 1)
        table, missed = report(results)
        results["targets_missed"] = missed
        out = RESULTS / f"intake-{stamp}.json"
        out.write_text(json.dumps(results, indent=2, default=str) + "\n")
        print()
        print(table)
        if args.profile:
            print()
            print(app_profile.table(figures.get("app_profile") or {}))
        print()
        print(f"Results: {out.relative_to(REPO)} ({results['seconds_total']:.0f} s in all)")
        bad = [
            figures["check"]["lost"],
            figures["check"]["duplicated"],
            (results.get("baseline") or {}).get("check", {}).get("lost", 0),
        ]
        if durability:
            bad += [durability["lost_all_phases"], durability["duplicated"]]
            bad.append(0 if durability["counts_repairable"] else 1)
        if any(bad):
            print("FAILED: a signature was lost or duplicated, or the counts were not repaired")
            code = 1
        elif missed and args.strict:
            print(f"Targets missed: {', '.join(m.strip() for m in missed)}")
            code = 1
    except BenchError as exc:
        print(f"\nbenchmark stopped: {exc}", file=sys.stderr)
        code = 2
    except (KeyboardInterrupt, SystemExit) as exc:
        code = 130 if isinstance(exc, KeyboardInterrupt) else int(exc.code or 1)
        print("\ninterrupted: stopping every process this run started", file=sys.stderr)
    except Exception:
        traceback.print_exc()
        code = 2
    finally:
        procs.stop_all()
        if code == 0 and not args.keep:
            shutil.rmtree(run, ignore_errors=True)
        else:
            print(f"Logs: {run.relative_to(REPO)}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
