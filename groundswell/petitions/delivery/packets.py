"""What a delivery packet holds, apart from how it is drawn (delivery.pdf draws it).

**Whose names.** For a target who holds a ward's office today (an alderperson), the
verified signers whose ward is that ward, as a ward fact (a point given, an address
found to its rooftop or block: Signature.district is set for nothing less); for any
other target, every verified signer. Only signatures that count: not suspect (or
cleared), not invalidated.

**What of them.** Name, ZIP code, comment and the day they signed. An email address
only where the signer ticked the delivering organization's box on this petition and
still consents to it (exports.shares_contact, the rule the organization's own export
follows); never anyone else's. Signatures carry no phone number.

**The hash.** SIGNERS_HASH names the exact bytes hashed: the CSV file itself, as
written here and downloaded (UTF-8 without a byte-order mark; RFC 4180: fields quoted
where needed, lines ending CR LF; the header row first, then one row per signer in
the order they signed). `sha256sum packet.csv` re-checks it.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext

from groundswell.core.spreadsheets import csv_lines, neutralize
from groundswell.districts.locate import map_version
from groundswell.legislation.models import Office
from groundswell.organizations.models import Organization
from groundswell.petitions import counts
from groundswell.petitions.delivery import wards
from groundswell.petitions.exports import shares_contact
from groundswell.petitions.models import (
    Invalidation,
    Petition,
    PetitionCount,
    Signature,
    SignatureState,
    Target,
    consented_to,
)

CHUNK_SIZE = 2000
HEADER = ["signed_on", "first_name", "last_name", "zip_code", "comment", "email"]


def signers_hash_definition() -> str:
    """The hashed bytes, in words printed in the packet."""
    return gettext(
        "SHA-256 of the CSV file of this packet exactly as downloaded: UTF-8 without a "
        "byte-order mark, RFC 4180 (fields quoted where needed, lines ending CR LF), the "
        "header row “%(header)s” first, then one row per signer in the order they signed. "
        "Anyone can check it with: sha256sum FILE.csv"
    ) % {"header": ",".join(HEADER)}


@dataclass(frozen=True)
class Signer:
    signed_on: datetime.date
    first_name: str
    last_name: str
    zip_code: str
    comment: str
    email: str  # "" unless the signer agreed to share it with the delivering organization

    def row(self) -> list[str]:
        return [
            self.signed_on.isoformat(),
            neutralize(self.first_name),
            neutralize(self.last_name),
            neutralize(self.zip_code),
            neutralize(self.comment),
            neutralize(self.email),
        ]

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class Integrity:
    """How the numbers were arrived at: the packet's integrity statement."""

    verified: int
    pending: int
    suspect: int  # held back, waiting for an organizer's review
    invalidations: int  # bulk invalidations in force
    invalidated: int  # signatures they took out
    figures: counts.DistrictFigures


@dataclass
class Packet:
    """Everything the PDF shows, read once."""

    petition: Petition
    target: Target
    organization: Organization
    ward: Office | None
    ward_label: str
    integrity: Integrity
    by_ward: dict[str, int]
    ward_rows: list[wards.WardRow] = field(default_factory=list)
    made_at: datetime.datetime = field(default_factory=timezone.now)


def signers_of(petition: Petition, target: Target) -> QuerySet[Signature]:
    """The signatures the target's packet lists, in the order they were signed."""
    office = wards.ward_office(target)
    signatures = Signature.objects.filter(
        petition=petition, state=SignatureState.VERIFIED
    ).counted()
    if office is not None:
        # The ward on the map in force, as the packet's figures (counts.by_district)
        # count it: a signer placed on an older map's ward of that number is not listed.
        version = map_version()
        signatures = signatures.filter(
            district__division_id=office.division_id,
            district__set_id=version.id if version is not None else None,
        )
    return signatures.order_by("created_at", "pk")


def signers(petition: Petition, target: Target, organization: Organization) -> Iterator[Signer]:
    """The signers the packet lists, in the order they signed (streamed)."""
    signatures = signers_of(petition, target)
    org_id = organization.pk
    zone = timezone.get_current_timezone()
    rows = (
        signatures.annotate(contactable=consented_to(organization))
        .values_list(
            "created_at",
            "first_name",
            "last_name",
            "zip_code",
            "comment",
            "email",
            "contactable",
            "consents",
        )
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for created_at, first, last, zip_code, comment, email, consented, ticked in rows:
        yield Signer(
            signed_on=created_at.astimezone(zone).date(),
            first_name=first,
            last_name=last,
            zip_code=zip_code,
            comment=comment,
            email=email if shares_contact(consented, ticked, org_id) else "",
        )


def signer_count(petition: Petition, target: Target) -> int:
    return signers_of(petition, target).count()


def csv_chunks(rows: Iterator[Signer]) -> Iterator[bytes]:
    """The CSV file's bytes (see SIGNERS_HASH), a chunk at a time."""
    for text in csv_lines(_rows(rows)):
        yield text.encode("utf-8")


def _rows(rows: Iterator[Signer]) -> Iterator[list[str]]:
    yield HEADER
    for signer in rows:
        yield signer.row()


def read_csv(path: Path) -> Iterator[Signer]:
    """The signers back from a packet's CSV file, so the PDF lists exactly the rows the
    hash covers (a signer confirmed while the packet is made is in neither)."""
    with path.open(encoding="utf-8", newline="") as text:
        rows = csv.reader(text)
        next(rows, None)  # the header
        for signed_on, first, last, zip_code, comment, email in rows:
            yield Signer(
                signed_on=datetime.date.fromisoformat(signed_on),
                first_name=first,
                last_name=last,
                zip_code=zip_code,
                comment=comment,
                email=email,
            )


def sha256_of(chunks: Iterator[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def integrity(petition: Petition) -> Integrity:
    count = PetitionCount.objects.filter(petition=petition).first()
    in_force = Invalidation.objects.filter(petition=petition, reversed_at__isnull=True)
    return Integrity(
        verified=count.verified if count else 0,
        pending=count.pending if count else 0,
        suspect=Signature.objects.filter(petition=petition).suspect().count(),
        invalidations=in_force.count(),
        invalidated=in_force.aggregate(n=Sum("signature_count", default=0))["n"],
        figures=counts.district_figures(petition),
    )


def packet(petition: Petition, target: Target) -> Packet:
    office = wards.ward_office(target)
    by_ward = wards.signers_by_ward(petition)
    label = ""
    if office is not None:
        district = office.district
        label = district.label() if district is not None else office.title()
    return Packet(
        petition=petition,
        target=target,
        organization=petition.owner,
        ward=office,
        ward_label=label,
        integrity=integrity(petition),
        by_ward=by_ward,
        ward_rows=wards.ward_rows(petition, by_ward),
    )
