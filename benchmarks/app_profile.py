"""Where one app server process spends its Python time under the intake load.

`benchmarks/intake.py --profile` starts py-spy (the `bench` dependency group) on one
of granian's processes during the measured load. py-spy samples the process from
outside, without stopping it (`--nonblocking`), and counts only the samples in which a
thread holds the GIL (`--gil`), that is, the process's Python work. This module turns
py-spy's raw output (one line per distinct stack: frames separated by ";", then a
count) into the share of that work spent in each step of the request.

A step's share is inclusive: every sample with the step's function anywhere on its
stack. "Django around the views" is Django's handler with the middleware, less the
views themselves.
"""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

# (label, function as py-spy names it: the qualified name before " (file:line)")
STEPS: list[tuple[str, str]] = [
    ("the WSGI application (reader cache and Django)", "ReaderCache.__call__"),
    ("Django's handler and middleware", "WSGIHandler.__call__"),
    ("sign view", "_sign"),
    ("  parsing the form body", "HttpRequest._load_post_and_files"),
    ("  SignatureForm: build", "SignatureForm.__init__"),
    ("  SignatureForm: validate", "BaseForm.is_valid"),
    ("  screening (integrity.screen)", "screen"),
    ("    rate limits (Redis)", "over_limit"),
    ("    form token check", "form_age"),
    ("  storing it (actions.record_signature)", "record_signature"),
    ("    compiling the INSERT (ORM)", "SQLInsertCompiler.as_sql"),
    ("    waiting on PostgreSQL with the GIL (psycopg)", "Connection.wait"),
    ("  reverse() and the redirect", "reverse"),
    ("petition page view", "detail"),
    ("count.json view", "count_json"),
]
VIEWS = ("_sign", "detail", "count_json")


def start(py_spy: str, pid: int, seconds: float, out: Path, rate: int = 200) -> subprocess.Popen:
    """py-spy recording `pid` for `seconds` (it stops by itself)."""
    argv = [
        py_spy,
        "record",
        "--pid",
        str(pid),
        "--duration",
        str(max(1, int(seconds))),
        "--rate",
        str(rate),
        "--format",
        "raw",
        "--output",
        str(out),
        "--gil",
        "--nonblocking",
    ]
    log = out.with_suffix(".log").open("w")
    return subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)


def _function(frame: str) -> str:
    return frame.split(" (", 1)[0].strip()


def summarize(raw: Path, seconds: float, rate: int = 200) -> dict[str, Any]:
    """Inclusive shares of the steps, from py-spy's raw output."""
    inclusive: Counter[str] = Counter()
    total = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        for name in {_function(f) for f in stack.split(";")}:
            inclusive[name] += n
    if not total:
        return {"samples": 0, "steps": []}
    steps = [
        {"step": label, "function": name, "share": round(inclusive[name] / total, 3)}
        for label, name in STEPS
    ]
    around = inclusive["WSGIHandler.__call__"] - sum(inclusive[v] for v in VIEWS)
    steps.insert(
        2,
        {
            "step": "  Django around the views (middleware, URL resolving, response)",
            "function": "WSGIHandler.__call__ - views",
            "share": round(max(around, 0) / total, 3),
        },
    )
    app = inclusive["ReaderCache.__call__"]
    steps.insert(
        0,
        {
            "step": "granian around the application (its WSGI bridge, with the GIL)",
            "function": "all - ReaderCache.__call__",
            "share": round((total - app) / total, 3),
        },
    )
    possible = seconds * rate
    return {
        "samples": total,
        # Samples holding the GIL out of all possible: the process's Python CPU in cores.
        "python_busy": round(total / possible, 2) if possible else None,
        "steps": steps,
        "top_functions": [
            {"function": name, "share": round(n / total, 3)}
            for name, n in inclusive.most_common(40)
            if not name.startswith(("<module>", "thread (", "process "))
        ][:25],
    }


def table(summary: dict[str, Any]) -> str:
    if not summary.get("samples"):
        return "app profile: no samples (is py-spy allowed to attach? see its log)"
    lines = [
        f"Where one app process spends its Python time (py-spy --gil, {summary['samples']} "
        f"samples; the process held the GIL {summary['python_busy']:.0%} of the time):"
    ]
    lines += [f"  {s['share']:>6.1%}  {s['step']}" for s in summary["steps"]]
    return "\n".join(lines)
