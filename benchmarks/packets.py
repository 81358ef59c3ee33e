"""How long a delivery packet takes: petitions.actions.write_packet (the CSV, its
SHA-256, then the PDF with the ward map and every signer listed).

    .venv/bin/python benchmarks/packets.py [--signatures 50000] [--seed 7]

Works on its own SQLite database (var/bench-packets/packets.sqlite3, recreated on every
run), never DATABASE_URL: migrates it, loads the demo Council (legislation.demo.load:
the 2023 ward map, the Mayor, 50 alderpersons), makes one petition addressed to the
Mayor and the Ward 25 alderperson, and stores N verified signatures through
petitions.actions.record_signatures, spread over the 50 wards (each placed as the
worker places a point given with it), a third of them agreeing to hear from the owner.
Then it times the packet of:

- the Mayor: every verified signer listed;
- the Ward 25 alderperson: the signers of ward 25 only;

and prints, for each, seconds, signers listed per second, the PDF's pages and size, the
CSV's size, and the process's peak memory. Checks that the CSV's SHA-256 is the one the
packet prints.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "var" / "bench-packets"


def configure() -> None:
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'packets.sqlite3'}"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.pop("GROUNDSWELL_TESTING", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "groundswell.settings"
    sys.path.insert(0, str(REPO))
    os.chdir(REPO)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signatures", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    configure()
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone
    from pypdf import PdfReader

    from groundswell.districts.models import District, DistrictSet, Kind
    from groundswell.legislation import demo
    from groundswell.legislation.models import DecisionMaker
    from groundswell.organizations.models import Organization
    from groundswell.petitions import actions, counts
    from groundswell.petitions.actions.delivery import write_packet
    from groundswell.petitions.models import Signature
    from groundswell.petitions.target_forms import target_fields

    call_command("migrate", verbosity=0)
    demo.load()
    owner = Organization.objects.create(name="Bench Organizing", slug="bench-organizing")
    petition = actions.create_petition(
        owner=owner,
        created_by=None,
        targets=[
            target_fields(DecisionMaker.objects.get(name="Brandon Johnson")),
            target_fields(DecisionMaker.objects.get(slug="ward-25-alderperson")),
        ],
        slug="bench-packets",
        title="Fund the Treatment Not Trauma program in every ward",
        ask="We ask the Mayor and the City Council to:\n\n1. Fund it.\n2. Staff it.",
        why="Crisis calls deserve care, not cuffs. ¿Por qué? Porque sí.",
    )
    actions.publish(petition)

    rng = random.Random(args.seed)
    now = timezone.now()
    started = time.perf_counter()
    batch = []
    for n in range(args.signatures):
        batch.append(
            actions.SignatureRecord(
                first_name=rng.choice(["Ana", "José", "Marisol", "Darnell", "Wei", "Ngozi"]),
                last_name=f"Núñez-{n}",
                email=f"signer{n}@bench.example",
                zip_code=rng.choice(["60608", "60623", "60647", "60619"]),
                created_at=now - datetime.timedelta(minutes=n),
                verified_at=now,
                consents=[owner] if n % 3 == 0 else [],
            )
        )
        if len(batch) == 5000:
            actions.record_signatures(petition, batch)
            batch = []
    if batch:
        actions.record_signatures(petition, batch)
    wards = list(District.objects.filter(set=DistrictSet.objects.current()[Kind.WARD]))
    ids = list(Signature.objects.filter(petition=petition).values_list("pk", flat=True))
    by_ward: dict[int, list[int]] = {}
    for pk in ids:
        by_ward.setdefault(rng.randrange(len(wards)), []).append(pk)
    for index, pks in by_ward.items():
        for start in range(0, len(pks), 900):
            Signature.objects.filter(pk__in=pks[start : start + 900]).update(
                district=wards[index], district_precision="point", located_at=now
            )
    counts.recount(petition)
    print(
        f"{args.signatures:,} verified signatures stored and placed in "
        f"{time.perf_counter() - started:.1f} s"
    )

    for target in petition.targets.all():
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            files = write_packet(petition, target, Path(folder))
            seconds = time.perf_counter() - started
            reader = PdfReader(files.pdf)
            pages = len(reader.pages)
            text = "".join(page.extract_text() for page in reader.pages[:6])
            digest = hashlib.sha256(files.csv.read_bytes()).hexdigest()
            assert digest == files.sha256, "the CSV's SHA-256 is not the packet's"
            assert digest[:16] in text.replace("\n", ""), "the hash is not printed"
            print(
                f"{target}: {files.signer_count:,} signers listed in {seconds:.1f} s "
                f"({files.signer_count / seconds:,.0f} signers/s); PDF {pages} pages, "
                f"{files.pdf.stat().st_size / 1e6:.1f} MB; CSV "
                f"{files.csv.stat().st_size / 1e6:.1f} MB; peak memory {peak_mb():.0f} MB"
            )


if __name__ == "__main__":
    main()
