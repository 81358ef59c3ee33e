"""What the embedded default (SQLite) holds: a signing surge on `make demo`'s setup.

    .venv/bin/python benchmarks/sqlite_surge.py [--signers 16] [--duration 20]
    make bench-sqlite

On 127.0.0.1 only: a fresh SQLite database under var/bench-sqlite/, migrated, with one
organization and one open petition (made through the project's actions); the app
server (`manage.py serve`, its default number of processes) and the worker
(`manage.py worker`), as `make demo` runs them, emails written to files. wrk drives
signers (each request a new email from its own X-Forwarded-For address, as
benchmarks/intake.py does) for a fixed time. Then: every acknowledged signature (303)
is looked up in the database, 503 answers ("too busy, not saved") and any other
statuses are counted, and the worker must have sent every confirmation.

Prints signatures/s, the sign p50/p99, 503s and errors, lost signatures and emails, and
the database's size; writes benchmarks/results/sqlite-surge-<timestamp>.json. Exit 0
when nothing acknowledged was lost, 1 otherwise, 2 when it could not run.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "benchmarks"
WORK = REPO / "var" / "bench-sqlite"
SLUG = "sqlite-surge"


def manage(env: dict[str, str], *argv: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *argv],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"manage.py {argv[0]} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None:
            raise SystemExit(f"the app server exited; see {WORK / 'app.log'}")
        time.sleep(0.2)
    raise SystemExit(f"the app server did not answer {url}")


def form_extra(base: str) -> str:
    with urllib.request.urlopen(f"{base}/petitions/{SLUG}/", timeout=10) as response:
        page = response.read()
    token = re.search(rb'name="form_token" value="([^"]+)"', page)
    if not token:
        raise SystemExit("no form token on the petition page")
    return "&form_token=" + urllib.request.quote(token[1].decode(), safe="") + "&website="


def emails_written(directory: Path) -> int:
    if not directory.exists():
        return 0
    header = re.compile(rb"^Message-ID: ", re.MULTILINE)
    return sum(len(header.findall(path.read_bytes())) for path in directory.iterdir())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signers", type=int, default=16, help="wrk connections (and threads)")
    parser.add_argument("--duration", type=int, default=20, help="seconds of load")
    parser.add_argument("--wrk", default=shutil.which("wrk") or "wrk")
    args = parser.parse_args()
    if not shutil.which(args.wrk):
        print("wrk is not installed: apt-get install wrk (make bench-sqlite does)")
        return 2
    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "acked").mkdir(parents=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        {
            "VAR_DIR": str(WORK),
            "DATABASE_URL": f"sqlite:///{WORK / 'db.sqlite3'}",
            "EMAIL_URL": f"file:{WORK / 'mail'}",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "false",
            "BASE_URL": base,
            "WEB_BIND": f"127.0.0.1:{port}",
            "TRUSTED_PROXIES": "127.0.0.1",  # wrk plays the proxy: see wrk/sign.lua
            "SIGN_MIN_FILL_SECONDS": "0",
            "GROUNDSWELL_TESTING": "0",
        }
    )
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(
        env,
        "shell",
        "-c",
        "from groundswell.organizations.models import Organization\n"
        "from groundswell.petitions import actions\n"
        "org = Organization.objects.create(name='Bench', slug='bench')\n"
        "targets = [{'name': 'Brandon Johnson', 'title': 'Mayor', 'office': 'City of Chicago'}]\n"
        f"p = actions.create_petition(owner=org, created_by=None, targets=targets, slug='{SLUG}',"
        " title='Surge', ask='Sign.')\n"
        "actions.publish(p)\n",
    )
    logs = {name: (WORK / f"{name}.log").open("wb") for name in ("app", "worker", "wrk")}
    app = subprocess.Popen(
        [sys.executable, "manage.py", "serve"],
        cwd=REPO,
        env=env,
        stdout=logs["app"],
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "worker"],
        cwd=REPO,
        env=env,
        stdout=logs["worker"],
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_ready(f"{base}/healthz/app", app)
        template = "first_name=Ana&last_name=Reyes&zip_code=60608&email={EMAIL}" + form_extra(base)
        prefix = f"s{secrets.token_hex(3)}"
        wrk = subprocess.run(
            [
                *(args.wrk, "-t", str(args.signers), "-c", str(args.signers)),
                *("-d", f"{args.duration}s", "--timeout", "30s"),
                *("-s", str(BENCH / "wrk" / "sign.lua"), f"{base}/petitions/{SLUG}/sign"),
                *("--", prefix, str(WORK / "acked"), template, base, "0"),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        logs["wrk"].write((wrk.stdout + wrk.stderr).encode())
        line = next((ln for ln in wrk.stdout.splitlines() if ln.startswith("WRK_RESULT ")), None)
        if line is None:
            print(wrk.stdout, wrk.stderr)
            return 2
        load = json.loads(line.removeprefix("WRK_RESULT "))
        acked = {
            email.strip()
            for path in (WORK / "acked").iterdir()
            for email in path.read_text().splitlines()
            if email.strip()
        }
        # Let the worker send every confirmation (at most a minute).
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and emails_written(WORK / "mail") < len(acked):
            time.sleep(0.5)
        emails = emails_written(WORK / "mail")
        with sqlite3.connect(WORK / "db.sqlite3") as db:
            stored = {
                row[0]
                for row in db.execute(
                    "SELECT email FROM petitions_signature WHERE email LIKE ?", (f"{prefix}-%",)
                )
            }
        size_mb = sum(p.stat().st_size for p in WORK.glob("db.sqlite3*")) / 1e6
    finally:
        for process in (app, worker):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in (app, worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        for log in logs.values():
            log.close()
    seconds = load["duration_us"] / 1e6
    figures = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "signers": args.signers,
        "duration_s": round(seconds, 1),
        "app_processes": os.environ.get("WEB_CONCURRENCY") or f"{(os.cpu_count() or 1) + 1}",
        "signatures_per_s": round(len(acked) / seconds, 1),
        "sign_p50_ms": round(load["p50_us"] / 1000, 1),
        "sign_p99_ms": round(load["p99_us"] / 1000, 1),
        "answered_503": load["not_ok_statuses"].get("503", 0),
        "other_statuses": {k: v for k, v in load["not_ok_statuses"].items() if k != "503"},
        "socket_errors": sum(load[k] for k in ("connect_errors", "read_errors", "timeouts")),
        "acknowledged": len(acked),
        "lost": len(acked - stored),
        "confirmations_sent": emails,
        "confirmations_missing": max(0, len(acked) - emails),
        "database_mb": round(size_mb, 1),
    }
    print()
    print(f"SQLite surge: {args.signers} signers for {figures['duration_s']} s (make demo's setup)")
    for key, value in figures.items():
        if key != "when":
            print(f"  {key:22} {value}")
    results = BENCH / "results"
    results.mkdir(exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    (results / f"sqlite-surge-{stamp}.json").write_text(json.dumps(figures, indent=2))
    return 0 if figures["lost"] == 0 and figures["confirmations_missing"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
