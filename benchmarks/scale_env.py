"""Shared set-up for the scale benchmarks (generate_petition.py, scale.py, email_drain.py).

They run against their own PostgreSQL database (default ``bench_scale`` on 127.0.0.1),
never the developer's DATABASE_URL: set BENCH_SCALE_DATABASE_URL to use another.
Settings are production-like: DEBUG off, the manifest static storage (collectstatic runs
into var/bench-scale/static), the product's own settings module otherwise.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_scale"
VAR_DIR = REPO / "var" / "bench-scale"

# What generate_petition.py creates and the other two read.
ORG_SLUG = "bench-collective"
SPONSOR_SLUG = "bench-coalition"
PETITION_SLUG = "million-voices"
ORGANIZER_EMAIL = "organizer@bench-collective.example"
ORGANIZER_PASSWORD = "bench scale organizer password"  # noqa: S105 (a throwaway bench DB)


def database_url() -> str:
    return os.environ.get("BENCH_SCALE_DATABASE_URL") or DEFAULT_DATABASE_URL


def database_name(url: str | None = None) -> str:
    return urlsplit(url or database_url()).path.lstrip("/")


def maintenance_url(url: str | None = None) -> str:
    """The same server, database `postgres`: for CREATE/DROP DATABASE."""
    parts = urlsplit(url or database_url())
    return urlunsplit(parts._replace(path="/postgres"))


def bench_environ(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment the product runs with in these benchmarks (also for subprocesses)."""
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url(),
            "DEBUG": "false",
            "VAR_DIR": str(VAR_DIR),
            "LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.pop("GROUNDSWELL_TESTING", None)
    env.update(extra or {})
    return env


def configure(extra: dict[str, str] | None = None) -> None:
    """Point this process at the bench database (call before django.setup())."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    os.environ.update(bench_environ(extra))
    os.environ.pop("GROUNDSWELL_TESTING", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "groundswell.settings")
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    os.chdir(REPO)


def setup(extra: dict[str, str] | None = None) -> None:
    configure(extra)
    import django

    django.setup()


def manage(*args: str, extra: dict[str, str] | None = None, quiet: bool = True) -> None:
    """Run `python manage.py <args>` on the bench database, as an operator would."""
    cmd = [sys.executable, str(REPO / "manage.py"), *args]
    out = subprocess.DEVNULL if quiet else None
    subprocess.run(cmd, env=bench_environ(extra), cwd=REPO, check=True, stdout=out)


def database_exists() -> bool:
    import psycopg

    with psycopg.connect(maintenance_url(), autocommit=True) as conn:
        row = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database_name()]
        ).fetchone()
    return row is not None


def recreate_database() -> None:
    import psycopg
    from psycopg import sql

    name = sql.Identifier(database_name())
    with psycopg.connect(maintenance_url(), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def collectstatic() -> None:
    """DEBUG off serves through the manifest storage: the manifest must be current."""
    manage("collectstatic", "--noinput", "--verbosity", "0")


def find_petition() -> Any:
    """The benchmark petition, or None."""
    from groundswell.petitions.models import Petition

    return Petition.objects.select_related("owner").filter(slug=PETITION_SLUG).first()


def write_results(kind: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = RESULTS / f"{kind}-{stamp}.json"
    path.write_text(json.dumps(data, indent=2, default=str) + "\n")
    return path


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


class Figure:
    """One line of the results table: name, measured value, target, pass/fail."""

    def __init__(
        self,
        name: str,
        value: float | None,
        unit: str,
        *,
        target: float | None = None,
        higher_is_better: bool = False,
        note: str = "",
    ) -> None:
        self.name = name
        self.value = value
        self.unit = unit
        self.target = target
        self.higher_is_better = higher_is_better
        self.note = note

    @property
    def verdict(self) -> str:
        if self.target is None:
            return "info"
        if self.value is None:
            return "FAIL"
        ok = self.value >= self.target if self.higher_is_better else self.value <= self.target
        return "PASS" if ok else "FAIL"

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "target": self.target,
            "target_is_minimum": self.higher_is_better,
            "verdict": self.verdict,
            "note": self.note,
        }


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def print_table(title: str, figures: list[Figure]) -> None:
    rows = []
    for f in figures:
        target = (
            "" if f.target is None else ("≥ " if f.higher_is_better else "≤ ") + _number(f.target)
        )
        rows.append(
            (
                f.name,
                f"{_number(f.value)} {f.unit}",
                f"{target} {f.unit}" if target else "",
                f.verdict,
                f.note,
            )
        )
    widths = [
        max(len(r[i]) for r in [*rows, ("Figure", "Measured", "Target", "", "")]) for i in range(4)
    ]
    line = "-" * (sum(widths) + 9)
    print()
    print(title)
    print(line)
    print(f"{'Figure':<{widths[0]}}  {'Measured':>{widths[1]}}  {'Target':>{widths[2]}}  Verdict")
    print(line)
    for name, value, target, verdict, note in rows:
        print(f"{name:<{widths[0]}}  {value:>{widths[1]}}  {target:>{widths[2]}}  {verdict}")
        if note:
            print(f"{'':<{widths[0]}}    {note}")
    print(line)


# --- A quiet machine --------------------------------------------------------------------------


def _cpu_times() -> tuple[int, int]:
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields), idle


def machine_busy(seconds: float = 1.0) -> float:
    """Share of all cores busy over the next `seconds` (0..1), whoever uses them."""
    total0, idle0 = _cpu_times()
    time.sleep(seconds)
    total1, idle1 = _cpu_times()
    total = total1 - total0
    return 1.0 - (idle1 - idle0) / total if total else 0.0


def wait_quiet(max_wait: float, *, threshold: float = 0.25, calm_seconds: int = 3) -> float:
    """Wait (up to max_wait seconds) until the machine has been at most `threshold` busy
    for `calm_seconds` seconds in a row: timings taken while other work runs on a
    2-core machine measure that work too. Returns how busy it was when we started."""
    deadline = time.monotonic() + max_wait
    calm = 0
    busy = machine_busy()
    announced = False
    while True:
        calm = calm + 1 if busy <= threshold else 0
        if calm >= calm_seconds or time.monotonic() >= deadline:
            break
        if not announced and busy > threshold:
            print(
                f"  waiting for a quiet machine (now {busy:.0%} busy; up to {max_wait:.0f} s)…",
                flush=True,
            )
            announced = True
        busy = machine_busy()
    if busy > threshold:
        print(f"  WARNING: measuring on a busy machine ({busy:.0%} of the CPUs in use)")
    return busy


class BusyMeter:
    """The machine's CPU use between start() and stop(), from /proc/stat."""

    def start(self) -> BusyMeter:
        self._t0 = _cpu_times()
        return self

    def stop(self) -> float:
        total1, idle1 = _cpu_times()
        total = total1 - self._t0[0]
        return 1.0 - (idle1 - self._t0[1]) / total if total else 0.0
