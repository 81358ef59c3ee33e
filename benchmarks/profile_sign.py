"""Where the time of one request goes: cProfile of a Groundswell view, in-process.

    .venv/bin/python benchmarks/profile_sign.py                 # 2,000 sign POSTs
    .venv/bin/python benchmarks/profile_sign.py --view page     # the petition page
    .venv/bin/python benchmarks/profile_sign.py --view count    # count.json

It makes its own PostgreSQL database (bench_intake_profile: migrated, one organization and
one open petition, as the intake benchmark makes), with the intake benchmark's settings
(DEBUG off, Redis for the rate limits; each signature from its own address in
198.18.0.0/15, so the default per-IP limits run and do not trip), then sends the
requests through Django's test client: the whole middleware stack and the view, with no
HTTP server and no network in between. It prints the SQL of one request, the wall and CPU
time per request, the time by area (database, templates, forms, middleware, ...) and the
top functions by own time and by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import re
import secrets
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent

# The steps of the sign view and what they call: (label, file part, function name).
STEPS = [
    ("the whole request (test client included)", "django/test/client.py", "request"),
    ("  middleware and test client around the view", "", ""),
    ("  the view: petitions.views.sign", "petitions/views.py", "sign"),
    ("    request.POST: parsing the form body", "django/http/request.py", "_load_post_and_files"),
    ("    _published: the petition and its owner", "petitions/views.py", "_published"),
    ("    signing_facts.get: the petition, cached", "petitions/signing_facts.py", "get"),
    ("    petition.organizations (co-sponsors query)", "petitions/models.py", "organizations"),
    ("    SignatureForm: build and validate", "django/forms/forms.py", "errors"),
    ("    integrity.screen", "petitions/integrity.py", "screen"),
    ("      rules_for (access rules, cached)", "petitions/integrity.py", "rules_for"),
    ("      form_age (form token check)", "petitions/integrity.py", "form_age"),
    ("      over_limit (rate limits)", "petitions/integrity.py", "over_limit"),
    ("    actions.record_signature", "petitions/actions.py", "record_signature"),
    ("      Model.save_base: the three INSERTs", "django/db/models/base.py", "save_base"),
    ("        of which counts.record_change", "petitions/counts.py", "record_change"),
    ("        of which send_verification.enqueue", "django_tasks/base.py", "enqueue"),
    ("      transaction commit", "django/db/backends/base/base.py", "commit"),
    ("    reverse() and redirect", "django/urls/base.py", "reverse"),
]

# (area, pattern on "file:function"), first match wins; own time is summed per area.
AREAS = [
    ("PostgreSQL round trips (psycopg waiting)", r"psycopg.*(wait|execute|commit)|pq\."),
    ("psycopg (adapting, rows)", r"psycopg"),
    ("Redis (rate limits)", r"redis"),
    ("ORM: SQL compiling", r"django/db/models/sql"),
    ("ORM: models, querysets, fields", r"django/db/models"),
    ("ORM: backend, transactions", r"django/db/(backends|transaction|utils)"),
    ("templates", r"django/template|django/templatetags"),
    ("forms and validation", r"django/forms|django/core/validators|petitions/forms"),
    ("translation (i18n)", r"django/utils/translation|gettext"),
    ("signing, hashing", r"django/core/signing|hashlib|hmac|_hashlib"),
    ("URL resolving, reverse", r"django/urls"),
    ("middleware, request, response", r"django/(middleware|contrib|core/handlers|http|test)"),
    ("Groundswell code", r"groundswell/"),
    ("logging", r"logging/"),
    ("other Django", r"django/"),
]


def setup_database(args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"{args.postgres.rstrip('/')}/{args.database}",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "false",
            "VAR_DIR": str(REPO / "var" / "bench-intake" / "var"),
            "EMAIL_URL": "console:",
            "SIGN_MIN_FILL_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    import psycopg

    with psycopg.connect(f"{args.postgres.rstrip('/')}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.database}"')
    python = sys.executable
    for argv in (
        ["manage.py", "migrate", "--noinput", "-v", "0"],
        ["manage.py", "collectstatic", "--noinput", "-v", "0"],
    ):
        subprocess.run([python, *argv], cwd=REPO, env=env, check=True)
    out = subprocess.run(
        [python, "benchmarks/intake_django.py", "setup"],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    made = json.loads(out.splitlines()[-1])
    env["BENCH_ORGANIZATION_ID"] = str(made["organization_id"])
    return env


def area_of(key: tuple[str, int, str]) -> str:
    name = f"{key[0]}:{key[2]}"
    for area, pattern in AREAS:
        if re.search(pattern, name):
            return area
    return "Python runtime, stdlib"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--view", choices=["sign", "page", "count"], default="sign")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="bench_intake_profile")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9")
    parser.add_argument(
        "--timer",
        choices=["cpu", "wall"],
        default="wall",
        help="wall time (default: includes the waits on PostgreSQL and Redis) or the CPU "
        "time of this process (a costly timer: it inflates functions called often)",
    )
    parser.add_argument("--out", help="also write the raw profile here (for snakeviz etc.)")
    args = parser.parse_args()

    os.environ.update(setup_database(args))
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "groundswell.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    slug = "bench-intake-surge"
    client = Client(HTTP_ORIGIN="http://127.0.0.1:8000", HTTP_HOST="127.0.0.1:8000")
    page = client.get(f"/petitions/{slug}/").content.decode()
    match = re.search(r'name="form_token" value="([^"]+)"', page)
    token = match[1] if match else ""
    organization = os.environ["BENCH_ORGANIZATION_ID"]
    counter = iter(range(10**9))

    def sign() -> int:
        n = next(counter)
        data = {
            "first_name": "Ana",
            "last_name": "Signer",
            "email": f"profile-{n}@example.org",
            "zip_code": "60608",
            f"consent_{organization}": "on",
            "source": "",
            "form_token": token,
            "website": "",
        }
        address = f"198.{18 + n // 65536 % 2}.{n // 256 % 256}.{n % 256}"
        # urlencoded, as a browser sends this form (the test client's default is multipart)
        return client.post(
            f"/petitions/{slug}/sign",
            urlencode(data),
            content_type="application/x-www-form-urlencoded",
            REMOTE_ADDR=address,
        ).status_code

    def read_page() -> int:
        return client.get(f"/petitions/{slug}/").status_code

    def read_count() -> int:
        return client.get(f"/petitions/{slug}/count.json").status_code

    view, expected = {"sign": (sign, 303), "page": (read_page, 200), "count": (read_count, 200)}[
        args.view
    ]
    for _ in range(100):  # warm up: connections, templates, caches
        status = view()
        if status != expected:
            sys.exit(f"{args.view} answered {status}, not {expected}")
    with CaptureQueriesContext(connection) as queries:
        view()
    print(f"== SQL of one {args.view} request: {len(queries.captured_queries)} statements")
    for query in queries.captured_queries:
        print(f"  {query['time']}s  {query['sql'][:150]}")

    timer = time.process_time if args.timer == "cpu" else time.perf_counter
    profiler = cProfile.Profile(timer)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    profiler.enable()
    for _ in range(args.requests):
        view()
    profiler.disable()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    # And once more without the profiler, for the undisturbed cost.
    bare0, bare_cpu0 = time.perf_counter(), time.process_time()
    for _ in range(args.requests):
        view()
    bare, bare_cpu = time.perf_counter() - bare0, time.process_time() - bare_cpu0
    n = args.requests
    print(
        f"\n== {n} {args.view} requests: {1000 * bare / n:.2f} ms wall and "
        f"{1000 * bare_cpu / n:.2f} ms CPU of this process each, without the profiler "
        f"({n / bare:.0f}/s in one process); with it {1000 * wall / n:.2f} ms wall, "
        f"{1000 * cpu / n:.2f} ms CPU"
    )
    stats = pstats.Stats(profiler)
    if args.out:
        stats.dump_stats(args.out)
    raw = stats.stats  # type: ignore[attr-defined]
    total = sum(row[2] for row in raw.values())
    areas: dict[str, float] = defaultdict(float)
    for key, row in raw.items():
        areas[area_of(key)] += row[2]

    def cumulative(part: str, name: str) -> float | None:
        found = [row[3] for key, row in raw.items() if part and part in key[0] and key[2] == name]
        return sum(found) if found else None

    print(
        f"\n== Steps of one request ({args.timer} time, cumulative, with the profiler: "
        f"multiply by {bare / wall:.2f} for the time without it)"
    )
    whole = cumulative("django/test/client.py", "request") or 0.0
    print(f"  {1000 * whole / n:7.3f} ms  {STEPS[0][0]}")
    if args.view == "sign":
        view = cumulative("petitions/views.py", "sign") or 0.0
        print(f"  {1000 * (whole - view) / n:7.3f} ms  {STEPS[1][0]}")
        for label, part, name in STEPS[2:]:
            value = cumulative(part, name)
            if value is not None:
                print(f"  {1000 * value / n:7.3f} ms  {label}")

    print(f"\n== Own {args.timer} time by area (share of the profiled time)")
    for area, seconds in sorted(areas.items(), key=lambda item: -item[1]):
        print(f"  {100 * seconds / total:5.1f}%  {1000 * seconds / n:6.3f} ms/request  {area}")

    def label(key: tuple[str, int, str]) -> str:
        path = key[0]
        for marker in ("site-packages/", "/work/main/", "python3.11/"):
            if marker in path:
                path = path.split(marker, 1)[1]
        return f"{path}:{key[1]}({key[2]})" if key[1] else key[2]

    print(f"\n== Top {args.top} functions by own {args.timer} time")
    for key, row in sorted(raw.items(), key=lambda item: -item[1][2])[: args.top]:
        print(f"  {1000 * row[2] / n:6.3f} ms  {row[1] / n:7.1f} calls  {label(key)}")
    print(f"\n== Top {args.top} by cumulative {args.timer} time (Groundswell, Django, drivers)")
    interesting = re.compile(r"groundswell/|django/|psycopg|redis")
    shown = 0
    for key, row in sorted(raw.items(), key=lambda item: -item[1][3]):
        if not interesting.search(key[0]):
            continue
        print(f"  {1000 * row[3] / n:6.3f} ms  {row[1] / n:7.1f} calls  {label(key)}")
        shown += 1
        if shown == args.top:
            break


if __name__ == "__main__":
    main()
