"""A petition's signatures as CSV, for an organization that owns or co-sponsors it.

Contact details (email, last name, street address) go only to an organization the
signer consented to; everyone else's row keeps them blank. Streamed, so a petition
with a million signatures never sits in memory.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.utils import timezone

from groundswell.organizations.models import Organization
from groundswell.petitions.models import Petition, Signature, consented_to

CHUNK_SIZE = 2000
HEADER = [
    "signed_at",
    "state",
    "first_name",
    "last_initial",
    "zip_code",
    "source",
    "comment",
    "public",
    "email",
    "last_name",
    "address",
]
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: object) -> str:
    """The value as text a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def filename(petition: Petition) -> str:
    return f"{petition.slug}-{timezone.localdate().isoformat()}.csv"


def signature_rows(petition: Petition, organization: Organization) -> Iterator[list[str]]:
    """The header, then one row per signature in the order they were signed."""
    signatures = (
        Signature.objects.filter(petition=petition)
        .annotate(contactable=consented_to(organization))
        .order_by("pk")
        .values_list(
            "created_at",
            "state",
            "first_name",
            "last_name",
            "zip_code",
            "source",
            "comment",
            "public",
            "email",
            "address",
            "contactable",
        )
    )
    yield HEADER
    for (
        created_at,
        state,
        first_name,
        last_name,
        zip_code,
        source,
        comment,
        public,
        email,
        address,
        contactable,
    ) in signatures.iterator(chunk_size=CHUNK_SIZE):
        yield [
            neutralize(value)
            for value in (
                timezone.localtime(created_at).isoformat(timespec="seconds"),
                state,
                first_name,
                last_name[:1],
                zip_code,
                source,
                comment,
                "yes" if public else "no",
                email if contactable else "",
                last_name if contactable else "",
                address if contactable else "",
            )
        ]


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer to stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(row)
