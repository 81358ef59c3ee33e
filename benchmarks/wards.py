"""Assigning wards to a million signatures on PostgreSQL, as the worker does.

    .venv/bin/python benchmarks/wards.py [--signatures N] [--batch 5000] [--seed 13]

Works on its own database (BENCH_WARDS_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/bench_wards), never DATABASE_URL; it is recreated and
migrated on every run. It imports the shipped 2023 ward map, makes one petition and
loads N signatures with COPY, none located yet: 70% with a point given (most inside a
ward, some in the box around the city but outside every ward), 30% with a ZIP code only
(no geocoder configured: a ZIP point, low precision, never a ward); 80% verified, 2%
invalidated. Then it times the worker's routine (groundswell.petitions.wards,
through groundswell.districts.assignment: batches read, placed outside any transaction,
written in one short transaction each with their counts by district) and the fold of
those counts, and prints rows/s, seconds and peak memory (max RSS of this process; the
database server's memory is its own). It checks the counts by ward against a GROUP BY
of the signatures.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import resource
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_wards"
WARDS_FILE = REPO / "groundswell" / "districts" / "data" / "chicago-wards-2023.geojson"
ZIPS = ["60608", "60609", "60616", "60617", "60619", "60623", "60629", "60632", "60639", "60647"]


def database_url() -> str:
    return os.environ.get("BENCH_WARDS_DATABASE_URL") or DEFAULT_URL


def configure() -> None:
    os.environ["DATABASE_URL"] = database_url()
    os.environ["DEBUG"] = "false"
    os.environ["GEOCODER_URL"] = ""
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


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup(n: int, seed: int) -> Any:
    """The ward map, a petition and N unlocated signatures (COPY); returns the petition."""
    import numpy as np
    import shapely
    from django.core.management import call_command
    from django.db import connection

    from groundswell.districts import actions as district_actions
    from groundswell.organizations.models import Organization
    from groundswell.petitions.models import Invalidation, Petition, Signature, Status

    call_command("migrate", "--noinput", verbosity=0)
    district_set = district_actions.import_districts(
        WARDS_FILE, "chicago-wards-2023", name="Chicago wards (2023–)"
    ).district_set
    organization = Organization.objects.create(slug="bench-wards", name="Bench Wards")
    petition = Petition.objects.create(
        owner=organization, slug="bench-wards", title="Bench", ask="Ask", status=Status.OPEN
    )
    invalidation = Invalidation.objects.create(
        petition=petition, kind=Invalidation.Kind.DOMAIN, value="bots.example", reason="bench"
    )
    rng = random.Random(seed)
    generator = np.random.default_rng(seed)
    # Points: uniform over the city's box, so some fall outside every ward (the lake, the
    # suburbs), as given points do.
    districts = list(district_set.districts.all())
    union = shapely.union_all([d.geometry for d in districts])
    west, south, east, north = union.bounds
    table = Signature._meta.db_table
    columns = [
        "petition_id",
        "first_name",
        "last_name",
        "email",
        "email_normalized",
        "zip_code",
        "address",
        "lat",
        "lon",
        "comment",
        "public",
        "consents",
        "source",
        "language",
        "state",
        "created_at",
        "verified_at",
        "verification_sends",
        "verification_due",
        "suspect_reason",
        "district_precision",
        "invalidation_id",
    ]
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    block = 100_000
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for first in range(0, n, block):
            size = min(block, n - first)
            lats = generator.uniform(south, north, size)
            lons = generator.uniform(west, east, size)
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as out:
                for i in range(size):
                    k = first + i
                    email = f"s{k}@example.org"
                    point = rng.random() < 0.7
                    verified = rng.random() < 0.8
                    invalid = rng.random() < 0.02
                    created = start + datetime.timedelta(seconds=k)
                    out.write_row(
                        (
                            petition.pk,
                            "Ana",
                            "Ruiz",
                            email,
                            email,
                            rng.choice(ZIPS),
                            "",
                            float(lats[i]) if point else None,
                            float(lons[i]) if point else None,
                            "",
                            False,
                            "[]",
                            "",
                            "en",
                            "verified" if verified else "pending",
                            created,
                            created if verified else None,
                            1,
                            False,
                            "",
                            "",
                            invalidation.pk if invalid else None,
                        )
                    )
        cursor.execute(f"ANALYZE {table}")
    return petition


def check(petition: Any) -> None:
    """The counts by ward equal a GROUP BY of the located, counted, verified signatures."""
    from django.db.models import Count

    from groundswell.districts.located import WARD_FACTS
    from groundswell.petitions import counts
    from groundswell.petitions.models import Signature, SignatureState

    truth = {
        row["district__division_id"]: row["n"]
        for row in Signature.objects.filter(
            petition=petition,
            state=SignatureState.VERIFIED,
            district__isnull=False,
            district_precision__in=WARD_FACTS,
        )
        .counted()
        .values("district__division_id")
        .annotate(n=Count("id"))
    }
    found = counts.by_district(petition)
    if found != truth:
        raise SystemExit(f"counts by ward differ from the signatures: {found} != {truth}")
    left = Signature.objects.filter(petition=petition, located_at__isnull=True).count()
    if left:
        raise SystemExit(f"{left} signatures were left unlocated")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--signatures", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=None, help="rows per batch (default 5000)")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()

    configure()
    recreate_database()
    import django

    django.setup()
    from groundswell.districts import assignment
    from groundswell.petitions import counts, wards

    if args.batch:
        assignment.BATCH = args.batch
    print(f"Database {database_url()}: loading {args.signatures:,} signatures…", flush=True)
    began = time.monotonic()
    petition = setup(args.signatures, args.seed)
    print(f"  loaded with COPY in {time.monotonic() - began:.1f} s", flush=True)

    began = time.monotonic()
    located = assignment.assign(wards.SIGNATURES, batch=args.batch or assignment.BATCH)
    assigned = time.monotonic() - began
    began = time.monotonic()
    folded = counts.fold()
    fold_seconds = time.monotonic() - began
    check(petition)
    figures = counts.district_figures(petition)

    print(f"Assigned wards to {located:,} signatures in {assigned:.1f} s")
    print(f"  {located / assigned:,.0f} rows/s (read, locate_many, write with counts by ward)")
    print(f"  fold of {folded:,} count changes: {fold_seconds:.2f} s")
    print(f"  peak memory (max RSS of this process): {peak_mb():.0f} MB")
    print(
        f"  verified: {figures.in_districts:,} in {len(figures.by_district)} wards, "
        f"{figures.low_precision:,} by ZIP only (never a ward), "
        f"{figures.not_found:,} outside every ward; counts match the signatures"
    )


if __name__ == "__main__":
    main()
