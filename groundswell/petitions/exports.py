"""A petition's signatures as CSV, for an organization that owns or co-sponsors it.

Contact details (email, last name, street address) go only to an organization the
signer consented to; everyone else's row keeps them blank. Every row says whether the
signature counts, why it was suspect and whether it was invalidated. Streamed, so a
petition with a million signatures never sits in memory.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import BooleanField, ExpressionWrapper
from django.utils import timezone

from groundswell.core.spreadsheets import FORMULA_STARTS, csv_lines, neutralize
from groundswell.organizations.models import Organization
from groundswell.petitions.models import COUNTED, Petition, Signature, consented_to

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
    "counted",
    "suspect_reason",
    "invalidated",
]


def filename(petition: Petition) -> str:
    return f"{petition.slug}-{timezone.localdate().isoformat()}.csv"


def shares_contact(consented: bool, ticked: list[int] | None, organization_id: int) -> bool:
    """Whether a signature's contact details go to the organization: only where the
    signer ticked its box on this petition (`ticked`, Signature.consents) and still
    consents to it (`consented`, the signature annotated with `consented_to`). The
    export and the delivery packet both ask this."""
    return bool(consented) and organization_id in (ticked or [])


def signature_rows(petition: Petition, organization: Organization) -> Iterator[list[str]]:
    """The header, then one row per signature in the order they were signed."""
    # The per-row tick check runs in Python: JSON containment is not portable to SQLite.
    signatures = (
        Signature.objects.filter(petition=petition)
        .annotate(
            contactable=consented_to(organization),
            counted=ExpressionWrapper(COUNTED, output_field=BooleanField()),
        )
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
            "consents",
            "counted",
            "suspect_reason",
            "invalidation_id",
        )
    )
    yield HEADER
    zone = timezone.get_current_timezone()  # once, not per row
    org_id = organization.pk
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
        consented,
        ticked,
        counted,
        suspect_reason,
        invalidation_id,
    ) in signatures.iterator(chunk_size=CHUNK_SIZE):
        contactable = shares_contact(consented, ticked, org_id)
        # Anything a person or a link supplied is neutralized; our own values (dates,
        # states, yes/no, suspect reasons) cannot start a formula.
        yield [
            created_at.astimezone(zone).isoformat(timespec="seconds"),
            state,
            neutralize(first_name),
            neutralize(last_name[:1]),
            neutralize(zip_code),
            neutralize(source),
            neutralize(comment),
            "yes" if public else "no",
            neutralize(email) if contactable else "",
            neutralize(last_name) if contactable else "",
            neutralize(address) if contactable else "",
            "yes" if counted else "no",
            suspect_reason,
            "no" if invalidation_id is None else "yes",
        ]


__all__ = [
    "FORMULA_STARTS",
    "csv_lines",
    "filename",
    "neutralize",
    "shares_contact",
    "signature_rows",
]
