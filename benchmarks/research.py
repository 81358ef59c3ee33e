"""Importing 1,000,000 campaign-finance receipts (ISBE's Receipts.txt shape) on PostgreSQL.

    .venv/bin/python benchmarks/research.py [--rows 1000000] [--proposals]

Works on its own database (BENCH_RESEARCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/bench_research, recreated on every run), never
DATABASE_URL. Makes 51 tracked decision makers (50 ward seats and a mayor, synthetic
names) with one committee each, writes the bulk files (tab-delimited, Latin-1), and
a Receipts.txt of --rows rows: 10% for committees nobody tracks, 1% repeated IDs,
2% archived by an amendment, 1 row in 1,000 malformed, donors drawn from about a
fifth as many name-and-address pairs. Prints rows/s, seconds and peak memory (max
RSS) for the import and for a second run of the same file; --proposals also times the
donor proposals for the review queue.

Each import (and the proposals) runs in a process of its own, started after the file
is written, so the peak memory it prints is its own: the process's peak, and the part
of it above the same process's peak after Django's setup (what the import added). The
peak of writing the file (this process) is printed apart.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_research"
FIRST = ["María", "José", "Luis", "Ana", "Keisha", "Omar", "Wei", "Piotr", "Grace", "Tom"]
LAST = ["García", "Peña", "Smith", "Johnson", "Kim", "Chen", "Nowak", "Okafor", "Reyes"]
COMPANIES = ["Towing", "Builders", "Realty", "Parking", "Consulting", "Holdings", "Law Group"]
HEADER = (
    "ID\tCommitteeID\tFiledDocID\tETransID\tLastOnlyName\tFirstName\tRcvDate\tAmount\t"
    "AggregateAmount\tLoanAmount\tOccupation\tEmployer\tAddress1\tAddress2\tCity\tState\tZip\t"
    "D2Part\tDescription\tVendorLastOnlyName\tVendorFirstName\tVendorAddress1\tVendorAddress2\t"
    "VendorCity\tVendorState\tVendorZip\tArchived\tCountry\tRedactionRequested"
)


def database_url() -> str:
    return os.environ.get("BENCH_RESEARCH_DATABASE_URL") or DEFAULT_URL


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


def write_tables(folder: Path, seats: int) -> None:
    def table(name: str, header: str, rows: list[str]) -> None:
        (folder / name).write_bytes(("\n".join([header, *rows]) + "\n").encode("latin-1"))

    table(
        "Candidates.txt",
        "ID\tLastName\tFirstName\tAddress1\tCity\tState\tZip",
        [
            f"{100 + i}\tMember\tBench {i}\t{i} Sample Way\tChicago\tIL\t606{i % 60:02d}"
            for i in range(seats)
        ],
    )
    table(
        "CmteCandidateLinks.txt",
        "ID\tCommitteeID\tCandidateID",
        [f"{i}\t{5000 + i}\t{100 + i}" for i in range(seats)],
    )
    table(
        "Committees.txt",
        "ID\tTypeOfCommittee\tName",
        [f"{5000 + i}\tCandidate\tFriends of Bench {i} Member" for i in range(seats)],
    )


def write_receipts(path: Path, rows: int, seats: int) -> None:
    rng = random.Random(20)
    donors = max(1, rows // 5)
    with path.open("w", encoding="latin-1", newline="") as out:
        out.write(HEADER + "\n")
        for i in range(rows):
            receipt_id = i - 1 if i % 100 == 5 else i  # 1% repeat the previous row's ID
            committee = 5000 + rng.randrange(seats) if i % 10 else 9000 + rng.randrange(500)
            d = rng.randrange(donors)
            zip_code = f"606{d % 60:02d}"
            if d % 4 == 0:
                last, first, employer = f"{LAST[d % len(LAST)]} {COMPANIES[d % 7]} {d}", "", ""
            else:
                last, first = f"{LAST[d % len(LAST)]}{d}", FIRST[d % len(FIRST)]
                employer = f"Employer {d % 997}"
            amount = "abc" if i % 1000 == 999 else f"{rng.randrange(10, 500000) / 100:.2f}"
            archived = "True" if i % 50 == 7 else "False"
            day = f"{1 + d % 12:02d}/{1 + i % 28:02d}/{2015 + i % 9} 12:00:00 AM"
            out.write(
                f"{receipt_id}\t{committee}\t{i // 40}\t\t{last}\t{first}\t{day}\t{amount}\t"
                f"{amount}\t0.00\tOccupation\t{employer}\t{d} W Sample St\t\tChicago\tIL\t"
                f"{zip_code}\t{'1A' if d % 9 else '2A'}\t\t\t\t\t\t\t\t\t{archived}\t\t\n"
            )


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(path: Path, label: str) -> None:
    """In a child process (--measure): one import of the file, with its own peak."""
    import django

    django.setup()
    baseline = peak_mb()
    from groundswell.research.actions import finance
    from groundswell.research.models import Receipt

    began = time.perf_counter()
    result = finance.import_receipts(path)
    seconds = time.perf_counter() - began
    peak = peak_mb()
    print(
        f"{label}: {result.read:,} rows in {seconds:.1f} s ({result.read / seconds:,.0f} rows/s); "
        f"stored {result.stored:,} (receipts in the table: {Receipt.objects.count():,}), "
        f"other committees {result.skipped:,}, repeated IDs {result.duplicates:,}, "
        f"archived {result.archived:,}, errors {len(result.errors):,}, "
        f"new donors {result.donors_created:,}; peak memory of the import's process "
        f"{peak:.0f} MB ({peak - baseline:.0f} MB above its {baseline:.0f} MB after setup)",
        flush=True,
    )


def propose() -> None:
    """In a child process (--measure-proposals): the donor proposals, with their own peak."""
    import django

    django.setup()
    baseline = peak_mb()
    from groundswell.research.actions import donors

    started = time.perf_counter()
    proposed = donors.propose_matches()
    peak = peak_mb()
    print(
        f"donor proposals: {proposed:,} in {time.perf_counter() - started:.1f} s; "
        f"peak memory of their process {peak:.0f} MB ({peak - baseline:.0f} MB above "
        f"its {baseline:.0f} MB after setup)",
        flush=True,
    )


def measure(*arguments: str) -> None:
    subprocess.run([sys.executable, __file__, *arguments], check=True, env=os.environ.copy())


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seats", type=int, default=51)
    parser.add_argument("--proposals", action="store_true")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # a child: import this file
    parser.add_argument("--label", default="import", help=argparse.SUPPRESS)
    parser.add_argument("--measure-proposals", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    configure()
    if options.measure:
        run(Path(options.measure), options.label)
        return
    if options.measure_proposals:
        propose()
        return
    recreate_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    from groundswell.legislation.models import DecisionMaker
    from groundswell.research.actions import finance

    DecisionMaker.objects.bulk_create(
        DecisionMaker(name=f"Bench {i} Member", slug=f"bench-{i}") for i in range(options.seats)
    )
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        write_tables(folder, options.seats)
        kept = finance.import_committees(
            folder / "Committees.txt", folder / "Candidates.txt", folder / "CmteCandidateLinks.txt"
        )
        started = time.perf_counter()
        write_receipts(folder / "Receipts.txt", options.rows, options.seats)
        size = (folder / "Receipts.txt").stat().st_size / 1024 / 1024
        print(
            f"{database_url()}: {kept} tracked committees; Receipts.txt of {options.rows:,} "
            f"rows, {size:.0f} MB, written in {time.perf_counter() - started:.1f} s; "
            f"peak memory of setup and writing (this process) {peak_mb():.0f} MB",
            flush=True,
        )
        receipts = str(folder / "Receipts.txt")
        measure("--measure", receipts, "--label", "import")
        measure("--measure", receipts, "--label", "re-import (same file)")
    if options.proposals:
        measure("--measure-proposals")


if __name__ == "__main__":
    main()
