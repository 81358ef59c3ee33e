"""Importing a 100,000-row CSV file of supporters on PostgreSQL, then the same file again.

    .venv/bin/python benchmarks/people_import.py [--rows 100000]

Works on its own database (BENCH_IMPORT_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/bench_import, recreated on every run), never
DATABASE_URL. Writes the file (names, emails, phones, ZIP codes, languages, tags, a
custom column; 1 row in 200 invalid), reads it as an upload would (encoding,
delimiter, header, row count), then runs the queued import tasks in this process as
the worker would, with email consent and a tag for everyone. Prints rows/s, total
seconds and peak memory (max RSS) for the first import (target: 60 s for 100,000
rows) and for the re-import, where every row is unchanged.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_import"
TARGET_SECONDS = 60.0
FIRST = [
    "Maria",
    "Jose",
    "Luis",
    "Ana",
    "Juan",
    "Carmen",
    "Jesus",
    "Rosa",
    "James",
    "Mary",
    "Keisha",
    "Omar",
    "Noor",
    "Wei",
    "Piotr",
]
LAST = [
    "Garcia",
    "Peña",
    "Rodriguez",
    "Lopez",
    "Reyes",
    "Smith",
    "Johnson",
    "Washington",
    "Kim",
    "Chen",
    "Nowak",
    "Okafor",
]
LANGUAGES = ["en", "es", "Spanish", "", "ar", "pl"]


def database_url() -> str:
    return os.environ.get("BENCH_IMPORT_DATABASE_URL") or DEFAULT_URL


def configure() -> None:
    os.environ["DATABASE_URL"] = database_url()
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.pop("GROUNDSWELL_TESTING", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "groundswell.settings")
    sys.path.insert(0, str(REPO))
    os.chdir(REPO)


def recreate_database() -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url())
    name = sql.Identifier(parts.path.lstrip("/"))
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def write_file(path: Path, rows: int) -> None:
    rng = random.Random(7)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("First name,Last name,Email,Phone,ZIP,Language,Tags,Ward\r\n")
        for i in range(rows):
            email = f"person{i}@example.org" if i % 200 else f"person{i}@"
            phone = f"(312) {200 + i // 10000:03d}-{i % 10000:04d}" if i % 3 else ""
            tags = rng.choice(["", "volunteer", "volunteer, captain", "donor"])
            out.write(
                f"{rng.choice(FIRST)},{rng.choice(LAST)},{email},{phone},"
                f'{60600 + i % 60},{rng.choice(LANGUAGES)},"{tags}",{1 + i % 50}\r\n'
            )


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(path: Path, organization: object, user: object, label: str) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import RequestFactory

    from groundswell.core import worker
    from groundswell.people.imports import actions as import_actions
    from groundswell.people.imports import parsing as imports
    from groundswell.people.models import ImportJob

    began = time.perf_counter()
    upload = SimpleUploadedFile(path.name, path.read_bytes(), "text/csv")
    found = imports.inspect(upload.file)
    job = import_actions.create_job(organization, user, upload, found)  # type: ignore[arg-type]
    read = time.perf_counter() - began
    mapping = import_actions.remembered_mapping(job.organization, job.headers)
    mapping["7"] = "custom"
    import_actions.save_mapping(
        job,
        mapping=mapping,
        consent_basis=ImportJob.ConsentBasis.EMAIL,
        consent_note="Signed up at events, 2024",
        tag_names=["bench"],
    )
    request = RequestFactory().post("/")
    request.user = user  # type: ignore[assignment]
    import_actions.start_import(job, request=request)
    started = time.perf_counter()
    worker.drain(periodic=False)
    imported = time.perf_counter() - started
    job.refresh_from_db()
    total = time.perf_counter() - began
    print(
        f"{label}: {job.rows_total:,} rows in {total:.1f} s "
        f"(reading the upload {read:.1f} s, importing {imported:.1f} s): "
        f"{job.rows_total / imported:,.0f} rows/s; status {job.status}; "
        f"created {job.created_count:,}, updated {job.updated_count:,}, "
        f"unchanged {job.unchanged_count:,}, failed {job.failed_count:,}; "
        f"peak memory {peak_mb():.0f} MB"
    )
    if label == "import":
        verdict = "meets" if total <= TARGET_SECONDS else "MISSES"
        print(f"  {verdict} the target of {TARGET_SECONDS:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    options = parser.parse_args()
    configure()
    recreate_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    from groundswell.accounts.models import User
    from groundswell.organizations.models import Membership, Organization, Role

    organization = Organization.objects.create(name="Bench Import", slug="bench-import")
    user = User.objects.create_user("bench@example.org", "bench-password")
    Membership.objects.create(user=user, organization=organization, role=Role.ORGANIZER)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "supporters.csv"
        write_file(path, options.rows)
        size = path.stat().st_size / 1024 / 1024
        print(f"{database_url()}: a {size:.1f} MB file of {options.rows:,} rows")
        run(path, organization, user, "import")
        run(path, organization, user, "re-import")


if __name__ == "__main__":
    main()
