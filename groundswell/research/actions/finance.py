"""Importing campaign-finance data in the Illinois State Board of Elections' bulk-file
shape (https://www.elections.il.gov/CampaignDisclosure/DownloadCampaignDisclosureData.aspx):
tab-delimited, Latin-1, a header row, one file per table.

- Committees.txt, Candidates.txt and CmteCandidateLinks.txt: a committee is kept when
  one of its candidates has the name of a tracked decision maker (legislation's
  DecisionMaker), and linked to them. Other committees are not stored.
- Receipts.txt: only the kept committees' rows are stored; the rest are counted and
  skipped. The file is read as a stream, BATCH rows at a time, so a million rows take
  a batch's memory, not the file's.

ISBE's known quirks: the same receipt ID appears again in a later file (or twice in
one), and its newest row wins; an amended report re-files its receipts under new IDs
and marks the superseded rows Archived, which are stored (the record) but count in no
total. A row that cannot be read is reported by line and skipped.

Each receipt's donor is the donor with the same normalized name, address and ZIP code,
created when new. Spelling variants are never joined here: `donors.propose_matches`
proposes them for an organizer to confirm.
"""

from __future__ import annotations

import datetime
import functools
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO

from django.db import connection, transaction
from django.utils.translation import gettext as _

from groundswell.legislation.models import DecisionMaker
from groundswell.research.actions.common import ResearchRefused
from groundswell.research.models import Committee, Donor, DonorKind, Receipt

BATCH = 5000

Source = str | Path | bytes | IO[bytes]


@dataclass
class Imported:
    read: int = 0
    stored: int = 0
    skipped: int = 0  # rows of committees no tracked decision maker has
    duplicates: int = 0  # a receipt ID seen before in the same file
    archived: int = 0  # rows an amended report replaced
    donors_created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def _open(source: Source) -> IO[bytes]:
    if isinstance(source, bytes):
        return io.BytesIO(source)
    if isinstance(source, str | Path):
        return open(source, "rb")
    return source


def _records(source: Source) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) of a tab-delimited Latin-1 ISBE file. ISBE's files do not quote
    fields, so a stray double quote is text, never a quoted field."""
    stream = _open(source)
    try:
        text = io.TextIOWrapper(stream, encoding="latin-1", newline="")
        # Split by hand, not with the csv module: unquoted fields need nothing more, and
        # the csv module's field size limit is process-wide (raising it here would lift
        # the people imports' limit on oversized cells too).
        header = next(text, None)
        if header is None:
            raise ResearchRefused(_("The file is empty."))
        names = [h.strip() for h in header.rstrip("\r\n").split("\t")]
        for line, raw in enumerate(text, start=2):
            values = raw.rstrip("\r\n").split("\t")
            if not any(values):
                continue
            # Values are stripped where they are used: a dict of the raw values is
            # built in C, many times faster than one stripped value at a time.
            yield line, dict(zip(names, values, strict=False))
    finally:
        stream.close()


@functools.lru_cache(maxsize=100_000)
def folded(text: str) -> str:
    """Casefolded, accents and punctuation gone, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def person_key(first: str, last: str) -> str:
    return folded(f"{first} {last}")


def _decision_makers_by_name() -> dict[str, DecisionMaker]:
    found: dict[str, DecisionMaker] = {}
    for dm in DecisionMaker.objects.filter(demo=False) | DecisionMaker.objects.filter(demo=True):
        found.setdefault(folded(dm.name), dm)
        if "," in dm.sort_name:
            last, first = dm.sort_name.split(",", 1)
            found.setdefault(person_key(first, last), dm)
    return found


def import_committees(committees: Source, candidates: Source, links: Source) -> int:
    """Keep the committees of tracked decision makers (matched by the candidate's name),
    linked to them; the number kept. Re-importing updates their names."""
    people = _decision_makers_by_name()
    candidate_to_dm: dict[str, DecisionMaker] = {}
    candidate_names: dict[str, str] = {}
    for _line, row in _records(candidates):
        key = person_key(row.get("FirstName", ""), row.get("LastName", ""))
        if key in people:
            candidate_to_dm[row["ID"].strip()] = people[key]
            candidate_names[row["ID"].strip()] = (
                f"{row.get('FirstName', '').strip()} {row.get('LastName', '').strip()}".strip()
            )
    committee_to: dict[str, str] = {}
    for _line, row in _records(links):
        if row.get("CandidateID", "").strip() in candidate_to_dm:
            committee_to[row["CommitteeID"].strip()] = row["CandidateID"].strip()
    kept = 0
    with transaction.atomic():
        for line, row in _records(committees):
            candidate = committee_to.get(row.get("ID", "").strip())
            if candidate is None:
                continue
            try:
                isbe_id = int(row["ID"])
            except ValueError:
                raise ResearchRefused(
                    _("Line %(line)s: the committee ID is not a number.") % {"line": line}
                ) from None
            Committee.objects.update_or_create(
                isbe_id=isbe_id,
                defaults={
                    "name": row.get("Name", "").strip()[:300],
                    "candidate_name": candidate_names[candidate][:300],
                    "decision_maker": candidate_to_dm[candidate],
                },
            )
            kept += 1
    return kept


def donor_kind(row: dict[str, str]) -> str:
    part = row.get("D2Part", "").strip().upper()
    if part.startswith("2"):
        return DonorKind.COMMITTEE
    if part.startswith(("1", "5")):
        return DonorKind.INDIVIDUAL if row.get("FirstName", "").strip() else DonorKind.ORGANIZATION
    return DonorKind.OTHER if row.get("FirstName", "").strip() else DonorKind.ORGANIZATION


def donor_key(row: dict[str, str]) -> str:
    """Same normalized name, street address and ZIP code: the same donor (a spelling
    that differs is a different key, left for the review queue)."""
    name = person_key(row.get("FirstName", ""), row.get("LastOnlyName", ""))
    return f"{name}|{folded(row.get('Address1', ''))}|{row.get('Zip', '').strip()[:5]}"[:300]


def _parse_date(value: str) -> datetime.date:
    value = value.strip()
    if len(value) >= 10 and value[2] == "/" and value[5] == "/" and value[6:10].isdigit():
        # ISBE's own "MM/DD/YYYY hh:mm:ss AM", read without strptime (a million times)
        try:
            return datetime.date(int(value[6:10]), int(value[0:2]), int(value[3:5]))
        except ValueError:
            pass
    for fmt in ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("“%(value)s” is not a date.") % {"value": value})


def _flag(value: str) -> bool:
    return value.strip().lower() in {"true", "1", "y", "yes"}


Pending = tuple[dict[str, str], int, datetime.date, Decimal, bool, str]
RECEIPT_COLUMNS = (
    "isbe_id",
    "committee_id",
    "filed_doc_id",
    "donor_id",
    "received",
    "amount",
    "receipt_type",
    "occupation",
    "employer",
    "archived",
)

_COLUMNS = ", ".join(RECEIPT_COLUMNS)
_UPDATES = ", ".join(f"{c} = EXCLUDED.{c}" for c in RECEIPT_COLUMNS[1:])
BATCH_TABLE = (
    "CREATE TEMPORARY TABLE IF NOT EXISTS research_receipt_batch "  # noqa: S608 (constants)
    f"ON COMMIT DELETE ROWS AS SELECT {_COLUMNS} FROM research_receipt WITH NO DATA"
)
UPSERT = (
    f"INSERT INTO research_receipt ({_COLUMNS}) SELECT {_COLUMNS} "  # noqa: S608 (constants)
    f"FROM research_receipt_batch ON CONFLICT (isbe_id) DO UPDATE SET {_UPDATES}"
)


def import_receipts(source: Source, *, batch: int = BATCH) -> Imported:
    """Store the tracked committees' receipts of a Receipts.txt file (see the module)."""
    result = Imported()
    committees = dict(Committee.objects.values_list("isbe_id", "pk"))
    donors: dict[str, int] = {}
    pending: dict[int, Pending] = {}
    seen: set[int] = set()
    for line, row in _records(source):
        result.read += 1
        try:
            committee_id = int(row.get("CommitteeID") or 0)
            receipt_id = int(row.get("ID") or 0)
        except ValueError:
            result.errors.append((line, _("The receipt or committee ID is not a number.")))
            continue
        if committee_id not in committees:
            result.skipped += 1
            continue
        try:
            received = _parse_date(row.get("RcvDate", ""))
            amount = Decimal(row.get("Amount", "").replace(",", "") or "x")
        except (ValueError, InvalidOperation):
            result.errors.append((line, _("The date or the amount cannot be read.")))
            continue
        if not receipt_id:
            result.errors.append((line, _("The receipt has no ID.")))
            continue
        if receipt_id in seen:
            result.duplicates += 1
        seen.add(receipt_id)
        archived = _flag(row.get("Archived", ""))
        result.archived += archived
        key = donor_key(row)
        pending[receipt_id] = (row, committees[committee_id], received, amount, archived, key)
        if len(pending) >= batch:
            _store(pending, donors, result)
            pending = {}
    if pending:
        _store(pending, donors, result)
    return result


def _new_donor(key: str, row: dict[str, str]) -> Donor:
    first, last = row.get("FirstName", "").strip(), row.get("LastOnlyName", "").strip()
    return Donor(
        key=key,
        name=f"{first} {last}".strip()[:300],
        kind=donor_kind(row),
        address=row.get("Address1", "").strip()[:300],
        city=row.get("City", "").strip()[:100],
        zip_code=row.get("Zip", "").strip()[:10],
        employer=row.get("Employer", "").strip()[:300],
    )


def _store(pending: dict[int, Pending], donors: dict[str, int], result: Imported) -> None:
    unknown = list({p[5] for p in pending.values() if p[5] not in donors})
    if unknown:
        for key, pk in Donor.objects.filter(key__in=unknown).values_list("key", "pk"):
            donors[key] = pk
    new: dict[str, Donor] = {}
    for row, *_rest, key in pending.values():
        if key not in donors and key not in new:
            new[key] = _new_donor(key, row)
    with transaction.atomic():
        if new:
            Donor.objects.bulk_create(new.values(), ignore_conflicts=True, batch_size=2000)
            for key, pk in Donor.objects.filter(key__in=list(new)).values_list("key", "pk"):
                donors[key] = pk
            result.donors_created += len(new)
        rows = [
            (
                receipt_id,
                committee_pk,
                int(row["FiledDocID"]) if row.get("FiledDocID", "").strip().isdigit() else None,
                donors[key],
                received,
                amount,
                row.get("D2Part", "").strip()[:60],
                row.get("Occupation", "").strip()[:200],
                row.get("Employer", "").strip()[:300],
                archived,
            )
            for receipt_id, (row, committee_pk, received, amount, archived, key) in pending.items()
        ]
        if connection.vendor == "postgresql":
            _copy_receipts(rows)
        else:
            Receipt.objects.bulk_create(
                (Receipt(**dict(zip(RECEIPT_COLUMNS, r, strict=True))) for r in rows),
                update_conflicts=True,
                unique_fields=["isbe_id"],
                update_fields=[
                    {"committee_id": "committee", "donor_id": "donor"}.get(c, c)
                    for c in RECEIPT_COLUMNS[1:]
                ],
                batch_size=1000,
            )
    result.stored += len(pending)


def _copy_receipts(rows: Sequence[tuple[object, ...]]) -> None:
    """PostgreSQL: COPY the batch into a temporary table, then one INSERT … ON CONFLICT
    (a receipt seen before takes the newer row's values). The ORM's bulk insert spends
    most of a million-row import preparing values one by one."""
    with connection.cursor() as cursor:
        cursor.execute(BATCH_TABLE)
        # Emptied here too: inside an outer transaction (a test's, a caller's) nothing
        # commits between two batches.
        cursor.execute("TRUNCATE research_receipt_batch")
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        with raw.copy(f"COPY research_receipt_batch ({_COLUMNS}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(UPSERT)


def rows_of(lines: Iterable[str]) -> bytes:
    """Tab-delimited Latin-1 bytes of the given lines (for tests, the demo and the
    benchmark, which make their own files)."""
    return ("\n".join(lines) + "\n").encode("latin-1")
