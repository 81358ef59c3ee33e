"""The chaos benchmark: sign, mail and import for ten minutes while the worker and app
processes are killed with SIGKILL, PostgreSQL is restarted and Redis is stopped for 30 s;
then check that nothing acknowledged was lost, nothing was mailed twice or never, no
work is stuck, and how long /healthz took to notice each fault.

    make bench-chaos                     (or: .venv/bin/python benchmarks/chaos.py --help)
    make bench-chaos BENCH_CHAOS_ARGS="--duration 120"

Everything runs on 127.0.0.1 with services of its own: a PostgreSQL cluster made with
initdb under var/bench-chaos/ (as the `postgres` user when run as root), a redis-server
and an SMTP sink (aiosmtpd, in this process), each on a free port, so the machine's own
servers are never touched. The product runs as in production: `manage.py migrate`,
`manage.py serve` (granian, WEB_CONCURRENCY processes) and `manage.py worker`, which this
script restarts one second after it exits, as systemd's Restart=always would.

Exit status: 0 when every figure that must be 0 is 0, 1 when one is not, 2 when the
benchmark could not run. Every process it started is stopped when it ends, also on
Ctrl+C, SIGTERM or an error.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

import chaos_checks
import chaos_report
from chaos_load import Confirmer, HealthPoller, Signers
from chaos_plan import plan_faults, plan_work
from chaos_services import (
    MailSink,
    PrivatePostgres,
    PrivateRedis,
    postgres_bin,
    redis_bin,
    stop_leftover_clusters,
)
from intake import (
    BenchError,
    Processes,
    children_of,
    free_port,
    http_get,
    log,
    manage,
)

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results"
WORK = REPO / "var" / "bench-chaos"
ORGANIZER = "organizer@bench-chaos.example.org"  # chaos_django.ORGANIZER_EMAIL
WORKER_RESTART_DELAY = 1.0


# --- The run -------------------------------------------------------------------------------


class Run:
    def __init__(self, args: argparse.Namespace, stamp: str) -> None:
        self.args = args
        self.dir = WORK / f"run-{stamp}"
        (self.dir / "logs").mkdir(parents=True)
        self.procs = Processes(self.dir / "logs")
        self.token = "c" + secrets.token_hex(3)
        self.pg: PrivatePostgres | None = None
        self.redis: PrivateRedis | None = None
        self.sink: MailSink | None = None
        self.env: dict[str, str] = {}
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.origin = 0.0
        self.worker_restarts = 0
        self.worker_exits: list[dict[str, Any]] = []
        self.updates: list[dict[str, Any]] = []
        self.import_jobs: list[dict[str, Any]] = []
        self.work_errors: list[dict[str, Any]] = []  # updates and imports not started
        self.helpers: list[threading.Thread] = []

    def now(self) -> float:
        return time.monotonic() - self.origin

    # Services and the product.
    def start_services(self) -> None:
        self.pg = PrivatePostgres(self.dir / "pg", self.dir / "logs" / "postgres.log")
        log(f"PostgreSQL {self.pg.bin.parent.name}: initdb, start on port {self.pg.port}")
        self.pg.init()
        self.pg.start()
        db_url = self.pg.create_database("groundswell")
        self.redis = PrivateRedis(self.procs)
        self.redis.start()
        self.sink = MailSink(delay=self.args.smtp_delay)
        self.sink.start()
        log(f"redis-server on port {self.redis.port}, SMTP sink on port {self.sink.port}")
        env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "LC_ALL", "TZ"}}
        env.update(
            {
                "DATABASE_URL": db_url,
                "REDIS_URL": self.redis.url,
                "EMAIL_URL": self.sink.url,
                "DEFAULT_FROM_EMAIL": "Groundswell <noreply@bench-chaos.example.org>",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "DEBUG": "false",
                "PORT": str(self.port),
                "WEB_BIND": f"127.0.0.1:{self.port}",
                "BASE_URL": self.base_url,
                "WEB_CONCURRENCY": str(self.args.web_concurrency),
                "TRUSTED_PROXIES": "127.0.0.1",
                "SIGN_MIN_FILL_SECONDS": "0",
                "VAR_DIR": str(WORK / "var"),
                "PRIVATE_ROOT": str(self.dir / "private"),
                "MEDIA_ROOT": str(self.dir / "media"),
                "PYTHONUNBUFFERED": "1",
            }
        )
        for pair in self.args.env:
            key, _, value = pair.partition("=")
            env[key] = value
        self.env = env

    def start_product(self) -> dict[str, Any]:
        log("migrate, collectstatic, one organization and one open petition")
        manage(self.env, "manage.py", "migrate", "--noinput", "-v", "0", timeout=300)
        manage(self.env, "manage.py", "collectstatic", "--noinput", "-v", "0", timeout=300)
        made = json.loads(manage(self.env, "benchmarks/chaos_django.py", "setup").splitlines()[-1])
        self.procs.start("app", [sys.executable, "manage.py", "serve"], self.env)
        self.start_worker()
        took = self.wait_app()
        log(f"app server ready in {took:.1f} s ({self.args.web_concurrency} processes)")
        self.wait_healthy()
        return dict(made)

    def wait_app(self, limit: float = 60.0) -> float:
        """Until the app server answers its own check (/healthz/app), or /healthz where
        there is no such check; returns the seconds it took."""
        began = time.monotonic()
        while time.monotonic() - began < limit:
            if self.procs.running["app"].poll() is not None:
                raise BenchError(f"the app server exited:\n{self.procs.log_tail('app')}")
            try:
                status, _ = http_get(f"{self.base_url}/healthz/app", timeout=2.0)
                if status == 404:
                    status = 200 if http_get(f"{self.base_url}/healthz")[0] in (200, 503) else 0
                if status == 200:
                    return time.monotonic() - began
            except OSError:
                pass
            time.sleep(0.1)
        raise BenchError(
            f"the app server is not ready after {limit:g} s:\n{self.procs.log_tail('app')}"
        )

    def wait_healthy(self, limit: float = 60.0) -> None:
        """Start the load once /healthz says ok (the worker is up), or after `limit`."""
        began = time.monotonic()
        answer: Any = None
        while time.monotonic() - began < limit:
            try:
                status, body = http_get(f"{self.base_url}/healthz", timeout=2.0)
                answer = json.loads(body)
                if status == 200 and isinstance(answer, dict) and answer.get("status") == "ok":
                    log(f"/healthz says ok after {time.monotonic() - began:.1f} s")
                    return
            except (OSError, ValueError) as exc:
                answer = str(exc)
            time.sleep(0.5)
        log(f"/healthz does not say ok after {limit:g} s; starting anyway: {str(answer)[:300]}")

    def start_worker(self) -> None:
        self.procs.start("worker", [sys.executable, "manage.py", "worker"], self.env)

    def supervise_worker(self) -> None:
        """systemd's Restart=always: start the worker again a second after it exits."""
        proc = self.procs.running.get("worker")
        if proc is None or proc.poll() is None:
            return
        if not self.worker_exits or self.worker_exits[-1]["pid"] != proc.pid:
            self.worker_exits.append(
                {"pid": proc.pid, "at": round(self.now(), 1), "code": proc.returncode}
            )
        if self.now() - self.worker_exits[-1]["at"] >= WORKER_RESTART_DELAY:
            self.procs.running.pop("worker")
            self.start_worker()
            self.worker_restarts += 1

    def app_children(self) -> list[int]:
        return children_of(self.procs.running["app"].pid)

    # Faults.
    def inflict(self, fault: dict[str, Any], rng: random.Random) -> None:
        kind = fault["kind"]
        fault["at"] = round(self.now(), 2)  # when it actually landed
        if kind == "worker":
            pid = self.procs.running["worker"].pid
            os.kill(pid, signal.SIGKILL)
            fault["pid"] = pid
            log(f"fault: SIGKILL the worker (pid {pid})")
        elif kind == "app":
            children = self.app_children()
            if not children:
                fault["error"] = "granian had no worker process to kill"
                return
            pid = rng.choice(children)
            fault["pid"], fault["children_before"] = pid, children
            os.kill(pid, signal.SIGKILL)
            log(f"fault: SIGKILL app process {pid} (one of {len(children)})")
        elif kind == "postgres":
            assert self.pg is not None
            pg = self.pg
            how = f"stop -m {fault['mode']}, start {fault['down_s']:g} s later"
            log(f"fault: pg_ctl {how if fault['down_s'] else 'restart -m ' + fault['mode']}")

            def restart() -> None:
                fault.update(pg.restart(fault["mode"], fault["down_s"]))
                log(f"PostgreSQL back after {fault['seconds']} s (exit {fault['exit']})")

            self.helper(restart)
        elif kind == "redis":
            assert self.redis is not None
            self.redis.stop()
            fault["restart_at"] = fault["at"] + fault["down_s"]
            log(f"fault: Redis stopped for {fault['down_s']:g} s")

    def watch_faults(self, faults: list[dict[str, Any]]) -> None:
        """App processes replaced; Redis started again when its outage is over."""
        children: list[int] | None = None
        for fault in faults:
            if fault["kind"] == "app" and "pid" in fault and "replaced_after_s" not in fault:
                children = children if children is not None else self.app_children()
                if any(c not in fault["children_before"] for c in children):
                    fault["replaced_after_s"] = round(self.now() - fault["at"], 2)
            if (
                fault["kind"] == "redis"
                and "restarted_at" not in fault
                and self.now() >= fault.get("restart_at", float("inf"))
            ):
                assert self.redis is not None
                self.redis.start()
                fault["restarted_at"] = round(self.now(), 2)
                log("Redis started again")

    # Mailings and imports, each in a thread (a subprocess through the project's actions).
    def helper(self, func: Any) -> None:
        thread = threading.Thread(target=func, daemon=True)
        thread.start()
        self.helpers.append(thread)

    def post_update(self, n: int) -> None:
        """Post update n, trying 3 times (PostgreSQL may be restarting). Each try has a
        title of its own, so a try that was saved but not reported cannot pass for a
        message sent twice."""
        for attempt in range(3):
            title = f"Chaos update {n}.{attempt} ({self.token})"
            at = round(self.now(), 1)
            try:
                out = manage(self.env, "benchmarks/chaos_django.py", "post-update", title)
                record = {"title": title, "at": at, **json.loads(out.splitlines()[-1])}
                self.updates.append(record)
                log(f"update {n} posted for {len(record['recipients'])} recipients")
                return
            except (BenchError, ValueError, IndexError, subprocess.TimeoutExpired) as exc:
                self.work_errors.append({"what": title, "at": at, "error": str(exc)[-300:]})
                time.sleep(3 * (attempt + 1))
        log(f"update {n} could not be posted: {self.work_errors[-1]['error'][:200]}")

    def start_import(self, n: int) -> None:
        """Import n: a CSV of new supporters, queued for the worker (3 tries)."""
        prefix = f"{self.token}-imp{n}"
        rows = self.args.import_rows
        path = self.dir / f"import-{n}.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            out.write("First name,Last name,Email,ZIP\r\n")
            for i in range(rows):
                out.write(f"Imported,Person{i},{prefix}-{i}@example.org,{60600 + i % 60}\r\n")
        for attempt in range(3):
            at = round(self.now(), 1)
            try:
                out = manage(self.env, "benchmarks/chaos_django.py", "import", str(path))
                record = {"prefix": prefix, "rows": rows, "at": at}
                record.update(json.loads(out.splitlines()[-1]))
                self.import_jobs.append(record)
                log(f"import {n} queued: job {record['job_id']}, {rows} rows")
                return
            except (BenchError, ValueError, IndexError, subprocess.TimeoutExpired) as exc:
                self.work_errors.append({"what": f"import {n}", "at": at, "error": str(exc)[-300:]})
                time.sleep(3 * (attempt + 1))
        log(f"import {n} could not be started: {self.work_errors[-1]['error'][:200]}")

    # The settling after the load.
    def settle(self, poller: HealthPoller, faults: list[dict[str, Any]]) -> dict[str, Any]:
        assert self.sink is not None and self.pg is not None
        began = time.monotonic()
        for thread in self.helpers:
            while thread.is_alive() and time.monotonic() - began < 120:
                self.supervise_worker()
                self.watch_faults(faults)
                thread.join(0.1)
        for fault in faults:
            if fault["kind"] == "redis" and "restarted_at" not in fault:
                fault["restart_at"] = 0.0
        self.watch_faults(faults)
        due: dict[str, int] = {}
        healthy = False
        received = len(self.sink.messages)
        moved_at = time.monotonic()  # the last time an email arrived or the work due shrank
        least = None
        next_note = time.monotonic() + 30
        while time.monotonic() - began < self.args.settle:
            self.supervise_worker()
            self.watch_faults(faults)
            latest = poller.latest() or {}
            healthy = chaos_checks._healthy(latest)
            try:
                due = chaos_checks.due_now(self.env["DATABASE_URL"])
            except Exception as exc:
                due = {"error": 1}
                log(f"settling: the database does not answer ({exc})")
            quiet = time.monotonic() - self.sink.last_arrival() > 3.0
            if healthy and quiet and not any(due.values()):
                break
            total = sum(due.values())
            if len(self.sink.messages) > received or (least is not None and total < least):
                moved_at = time.monotonic()
            received = len(self.sink.messages)
            least = total if least is None else min(least, total)
            if time.monotonic() - moved_at > self.args.settle_stall:
                log(f"settling: nothing moved for {self.args.settle_stall:g} s")
                break
            if time.monotonic() >= next_note:
                log(f"settling: still due {due}; {received:,} emails received")
                next_note += 30
            time.sleep(1.0)
        took = round(time.monotonic() - began, 1)
        settled = healthy and not any(due.values())
        log(f"settled in {took} s" if settled else f"not settled after {took} s: due {due}")
        return {"seconds": took, "settled": settled, "due_at_end": due, "healthz_ok": healthy}


def run(args: argparse.Namespace, chaos: Run, results: dict[str, Any]) -> None:
    chaos.start_services()
    made = chaos.start_product()
    results["setup"] = made
    faults = plan_faults(args)
    work = plan_work(args)
    results["plan"] = {"faults": [dict(f) for f in faults], "work": work}
    log(
        "plan: "
        + ", ".join(f"{f['kind']} at {f['at']:g} s" for f in faults)
        + "; "
        + ", ".join(f"{w} at {t:g} s" for t, w in work)
    )
    chaos.origin = time.monotonic()
    results["origin_epoch"] = time.time()  # wall-clock time of second 0 of the run
    poller = HealthPoller(chaos.base_url, chaos.origin)
    signers = Signers(
        base_url=chaos.base_url,
        slug=made["slug"],
        organization_id=made["organization_id"],
        rate=args.rate,
        threads=args.signers,
        consent_share=args.consent_share,
        token=chaos.token,
        seed=args.seed,
    )
    confirmer = Confirmer(signers, other_share=args.confirm_share, seed=args.seed + 1)
    assert chaos.sink is not None
    chaos.sink.on_message = confirmer.on_message
    poller.start()
    signers.start()
    confirmer.start()
    rng = random.Random(args.seed + 2)
    pending = list(faults)
    todo = list(work)
    updates = imports = 0
    next_note = 30.0
    log(f"load for {args.duration:g} s: {args.rate:g} signatures/s from {args.signers} threads")
    while chaos.now() < args.duration:
        while pending and chaos.now() >= pending[0]["at"]:
            chaos.inflict(pending.pop(0), rng)
        while todo and chaos.now() >= todo[0][0]:
            _, what = todo.pop(0)
            if what == "update":
                updates += 1
                chaos.helper(lambda n=updates: chaos.post_update(n))
            else:
                imports += 1
                chaos.helper(lambda n=imports: chaos.start_import(n))
        chaos.supervise_worker()
        chaos.watch_faults(faults)
        if chaos.procs.running["app"].poll() is not None:
            raise BenchError(f"the app server exited:\n{chaos.procs.log_tail('app')}")
        if chaos.now() >= next_note:
            figures = signers.figures()
            log(
                f"{chaos.now():.0f} s: {figures['acknowledged']} signatures acknowledged, "
                f"answers {figures['answers']}, {len(chaos.sink.messages)} emails received"
            )
            next_note += 30.0
        time.sleep(0.1)
    signers.finish()
    confirmer.finish()
    log("load stopped; faults stopped; settling")
    results["settle"] = chaos.settle(poller, faults)
    poller.finish()
    check(chaos, results, faults, poller, signers, confirmer, made)


def check(
    chaos: Run,
    results: dict[str, Any],
    faults: list[dict[str, Any]],
    poller: HealthPoller,
    signers: Signers,
    confirmer: Confirmer,
    made: dict[str, Any],
) -> None:
    assert chaos.sink is not None and chaos.pg is not None
    db_url = chaos.env["DATABASE_URL"]
    chaos_checks.notice(faults, poller.samples)
    results["faults"] = faults
    results["healthz"] = chaos_checks.longest_notice(faults)
    results["healthz_samples"] = poller.samples
    results["signing"] = signers.figures()
    results["confirming"] = confirmer.figures()
    acked = sorted(signers.acked)
    sigs = chaos_checks.signatures(db_url, made["petition_id"], chaos.token, acked)
    messages = chaos.sink.snapshot()
    results["mail"] = chaos_checks.mail(
        messages,
        acked=set(acked),
        posts=dict(signers.attempts),
        stored=sigs["stored"],
        suspect=sigs["suspect"],
        updates=chaos.updates,
        organizer=ORGANIZER,
        milestones=chaos_checks.milestone_rows(db_url, made["petition_id"]),
        origin=chaos.origin,
        faults=faults,
    )
    results["mail"]["smtp_connections"] = chaos.sink.connections
    results["updates"] = [u | {"recipients": len(u["recipients"])} for u in chaos.updates]
    results["not_started"] = chaos.work_errors
    results["signatures"] = {k: v for k, v in sigs.items() if k not in ("stored", "suspect")} | {
        "stored": len(sigs["stored"]),
        "suspect": len(sigs["suspect"]),
        "lost": len(sigs["lost"]),
        "lost_examples": sigs["lost"][:10],
    }
    results["stuck"] = chaos_checks.stuck_work(db_url)
    results["imports"] = chaos_checks.imports(db_url, chaos.import_jobs)
    results["processes"] = {
        "worker_restarts": chaos.worker_restarts,
        "worker_exits": chaos.worker_exits,
        "app_processes_replaced": sum(1 for f in faults if f.get("replaced_after_s") is not None),
        "postgres_restarts": chaos.pg.restarts,
    }
    with (chaos.dir / "logs" / "mail.jsonl").open("w") as out:
        for m in messages:
            out.write(json.dumps(m.__dict__ | {"t": round(m.at - chaos.origin, 3)}) + "\n")


# --- Main ----------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--duration", type=float, default=600.0, help="seconds of load and faults (600)")
    add("--seed", type=int, default=None, help="draws the fault times (default: random)")
    add("--rate", type=float, default=20.0, help="signatures per second, all signers (20)")
    add("--signers", type=int, default=4, help="signing threads (4)")
    add("--consent-share", type=float, default=0.5, help="signers who tick the owner's box")
    add("--confirm-share", type=float, default=0.3, help="other signers who confirm")
    add("--update-every", type=float, default=60.0, help="seconds between updates (0: none)")
    add("--imports", type=int, default=2, help="CSV imports during the run (2)")
    add("--import-rows", type=int, default=3000, help="rows per import (3000)")
    add(
        "--smtp-delay",
        type=float,
        default=0.01,
        help="seconds the sink takes to process a message before keeping it and answering 250",
    )
    add("--worker-kill-min", type=float, default=40.0)
    add("--worker-kill-max", type=float, default=90.0)
    add("--app-kills", type=int, default=-1, help="default: one per 2 minutes, at least 1")
    add("--postgres-restarts", type=int, default=1, choices=[0, 1])
    add("--pg-restart-mode", choices=["fast", "immediate"], default="fast")
    add(
        "--pg-down",
        type=float,
        default=0.0,
        help="hold PostgreSQL down this long (stop, wait, start) instead of pg_ctl restart",
    )
    add("--redis-down", type=float, default=30.0, help="seconds Redis is stopped (0: never)")
    add("--web-concurrency", type=int, default=2, help="app server processes (2)")
    add(
        "--settle",
        type=float,
        default=600.0,
        help="most seconds to wait after the load for the work to be done (600)",
    )
    add(
        "--settle-stall",
        type=float,
        default=60.0,
        help="stop waiting sooner when no email arrived and no work was done for this long",
    )
    add("--env", action="append", default=[], metavar="KEY=VALUE", help="another setting")
    add("--keep", action="store_true", help="keep the run's directory (logs, mail.jsonl)")
    args = parser.parse_args(argv)
    if args.seed is None:
        args.seed = secrets.randbelow(1_000_000)
    for pair in args.env:
        if "=" not in pair:
            parser.error(f"--env wants KEY=VALUE, not {pair!r}")
    return args


def code_state() -> dict[str, tuple[int, int]]:
    """Every product file's modification time and size: a restarted process runs the
    code on disk then, so a change during the run is worth a warning."""
    state = {}
    for path in (REPO / "groundswell").rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            st = path.stat()
            state[str(path.relative_to(REPO))] = (st.st_mtime_ns, st.st_size)
    return state


def code_changes(before: dict[str, tuple[int, int]]) -> list[str]:
    after = code_state()
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        return "unknown"


def _on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGHUP, _on_signal)
    try:
        postgres_bin()  # both say what to install when missing
        redis_bin()
    except BenchError as exc:
        print(f"benchmark cannot run: {exc}", file=sys.stderr)
        return 2
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    RESULTS.mkdir(parents=True, exist_ok=True)
    WORK.mkdir(parents=True, exist_ok=True)
    stop_leftover_clusters(WORK)
    chaos = Run(args, stamp)
    results: dict[str, Any] = {
        "started_at": stamp,
        "config": {k: v for k, v in vars(args).items()}
        | {"git_commit": git_commit(), "cpus": os.cpu_count()},
    }
    code = 0
    started = time.monotonic()
    code_before = code_state()
    try:
        run(args, chaos, results)
        results["code_changed_during_run"] = code_changes(code_before)
        results["seconds_total"] = round(time.monotonic() - started, 1)
        table, failed = chaos_report.table(results)
        results["failed_checks"] = failed
        out = RESULTS / f"chaos-{stamp}.json"
        out.write_text(json.dumps(results, indent=1, default=str) + "\n")
        print()
        print(table)
        print()
        print(f"Results: {out.relative_to(REPO)} ({results['seconds_total']:.0f} s in all)")
        if failed:
            print(f"FAILED: {', '.join(failed)}")
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
        chaos.procs.stop_all()
        if chaos.sink:
            chaos.sink.stop()
        if chaos.pg:
            chaos.pg.stop()
        if code == 0 and not args.keep:
            shutil.rmtree(chaos.dir, ignore_errors=True)
        else:
            print(f"Logs: {chaos.dir.relative_to(REPO)}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
