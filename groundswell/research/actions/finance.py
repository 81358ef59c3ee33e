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

import csv
import datetime
import io
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _

from groundswell.legislation.models import DecisionMaker
from groundswell.research.actions.common import ResearchRefused
from groundswell.research.models import Committee, Donor, DonorKind, Receipt

BATCH = 5000
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

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
        reader = csv.reader(text, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None:
            raise ResearchRefused(_("The file is empty."))
        names = [h.strip() for h in header]
        for line, values in enumerate(reader, start=2):
            if not values or not any(values):
                continue
            yield (
                line,
                {n: (values[i].strip() if i < len(values) else "") for i, n in enumerate(names)},
            )
    finally:
        stream.close()


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
            candidate_to_dm[row["ID"]] = people[key]
            candidate_names[row["ID"]] = (
                f"{row.get('FirstName', '')} {row.get('LastName', '')}".strip()
            )
    committee_to: dict[str, str] = {}
    for _line, row in _records(links):
        if row.get("CandidateID") in candidate_to_dm:
            committee_to[row["CommitteeID"]] = row["CandidateID"]
    kept = 0
    with transaction.atomic():
        for line, row in _records(committees):
            candidate = committee_to.get(row.get("ID", ""))
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
                    "name": row.get("Name", "")[:300],
                    "candidate_name": candidate_names[candidate][:300],
                    "decision_maker": candidate_to_dm[candidate],
                },
            )
            kept += 1
    return kept


def donor_kind(row: dict[str, str]) -> str:
    part = row.get("D2Part", "").upper()
    if part.startswith("2"):
        return DonorKind.COMMITTEE
    if part.startswith(("1", "5")):
        return DonorKind.INDIVIDUAL if row.get("FirstName") else DonorKind.ORGANIZATION
    return DonorKind.OTHER if row.get("FirstName") else DonorKind.ORGANIZATION


def donor_key(row: dict[str, str]) -> str:
    """Same normalized name, street address and ZIP code: the same donor (a spelling
    that differs is a different key, left for the review queue)."""
    name = person_key(row.get("FirstName", ""), row.get("LastOnlyName", ""))
    return f"{name}|{folded(row.get('Address1', ''))}|{row.get('Zip', '')[:5]}"[:300]


def _parse_date(value: str) -> datetime.date:
    value = value.strip()
    for fmt in ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("“%(value)s” is not a date.") % {"value": value})


def _flag(value: str) -> bool:
    return value.strip().lower() in {"true", "1", "y", "yes"}


def import_receipts(source: Source, *, batch: int = BATCH) -> Imported:
    """Store the tracked committees' receipts of a Receipts.txt file (see the module)."""
    result = Imported()
    committees = dict(Committee.objects.values_list("isbe_id", "pk"))
    donors: dict[str, int] = {}
    pending: dict[int, tuple[dict[str, str], int, datetime.date, Decimal, bool]] = {}
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
        pending[receipt_id] = (row, committees[committee_id], received, amount, archived)
        if len(pending) >= batch:
            _store(pending, donors, result)
            pending = {}
    if pending:
        _store(pending, donors, result)
    return result


def _store(
    pending: dict[int, tuple[dict[str, str], int, datetime.date, Decimal, bool]],
    donors: dict[str, int],
    result: Imported,
) -> None:
    keys = {donor_key(row) for row, *_rest in pending.values()}
    unknown = [k for k in keys if k not in donors]
    if unknown:
        for key, pk in Donor.objects.filter(key__in=unknown).values_list("key", "pk"):
            donors[key] = pk
    new: dict[str, Donor] = {}
    for row, *_rest in pending.values():
        key = donor_key(row)
        if key in donors or key in new:
            continue
        first, last = row.get("FirstName", ""), row.get("LastOnlyName", "")
        new[key] = Donor(
            key=key,
            name=f"{first} {last}".strip()[:300],
            kind=donor_kind(row),
            address=row.get("Address1", "")[:300],
            city=row.get("City", "")[:100],
            zip_code=row.get("Zip", "")[:10],
            employer=row.get("Employer", "")[:300],
        )
    with transaction.atomic():
        if new:
            Donor.objects.bulk_create(new.values(), ignore_conflicts=True, batch_size=1000)
            for key, pk in Donor.objects.filter(key__in=list(new)).values_list("key", "pk"):
                donors[key] = pk
            result.donors_created += len(new)
        Receipt.objects.bulk_create(
            (
                Receipt(
                    isbe_id=receipt_id,
                    committee_id=committee_pk,
                    filed_doc_id=int(row["FiledDocID"])
                    if row.get("FiledDocID", "").isdigit()
                    else None,
                    donor_id=donors[donor_key(row)],
                    received=received,
                    amount=amount,
                    receipt_type=row.get("D2Part", "")[:60],
                    occupation=row.get("Occupation", "")[:200],
                    employer=row.get("Employer", "")[:300],
                    archived=archived,
                )
                for receipt_id, (row, committee_pk, received, amount, archived) in pending.items()
            ),
            update_conflicts=True,
            unique_fields=["isbe_id"],
            update_fields=[
                "committee",
                "filed_doc_id",
                "donor",
                "received",
                "amount",
                "receipt_type",
                "occupation",
                "employer",
                "archived",
            ],
            batch_size=1000,
        )
    result.stored += len(pending)


def rows_of(lines: Iterable[str]) -> bytes:
    """Tab-delimited Latin-1 bytes of the given lines (for tests, the demo and the
    benchmark, which make their own files)."""
    return ("\n".join(lines) + "\n").encode("latin-1")
