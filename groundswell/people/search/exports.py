"""An organization's supporters as CSV: its own record of each, contact columns only
where it sees them (Supporter.shows: the person agreed to be contacted by it, or it
supplied the value itself), streamed in chunks (constant memory).

Each row is named by the organization's Supporter id (as its pages are), never by the
shared Person id, whose age would tell that someone was known elsewhere first."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from itertools import islice

from django.db.models import QuerySet
from django.utils import timezone

from groundswell.core.spreadsheets import neutralize
from groundswell.organizations.models import Organization
from groundswell.people.models import CONTACT_FIELDS, Supporter, Tagging

CHUNK_SIZE = 2000
HEADER = [
    "supporter_id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "address",
    "city",
    "state",
    "zip_code",
    "language",
    "email_consent",
    "tags",
    "custom_fields",
    "source",
    "added_at",
]
COLUMNS = (
    "pk",
    "person_id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "address",
    "city",
    "state",
    "zip_code",
    "language",
    "contactable",
    "supplied",
    "custom_fields",
    "source",
    "created_at",
)


# A number as people.phones stores it cannot start a formula: "+13125550123" stays usable.
E164 = re.compile(r"\+[0-9]{6,15}")


def _phone(number: str) -> str:
    return number if E164.fullmatch(number) else neutralize(number)


def filename(organization: Organization, what: str = "people") -> str:
    return f"{organization.slug}-{what}-{timezone.localdate().isoformat()}.csv"


def _tags(organization: Organization, person_ids: list[int]) -> dict[int, list[str]]:
    tags: dict[int, list[str]] = defaultdict(list)
    taggings = Tagging.objects.filter(
        person_id__in=person_ids, tag__organization=organization
    ).values_list("person_id", "tag__name")
    for person_id, name in taggings.order_by("tag__name"):
        tags[person_id].append(name)
    return tags


def supporter_rows(
    organization: Organization, supporters: QuerySet[Supporter]
) -> Iterator[list[str]]:
    """The header, then one row per supporter (as `supporters` orders them). Every cell
    a person or an organizer typed is neutralized against spreadsheet formulas."""
    yield HEADER
    zone = timezone.get_current_timezone()
    rows = supporters.values_list(*COLUMNS).iterator(chunk_size=CHUNK_SIZE)
    while batch := list(islice(rows, CHUNK_SIZE)):
        tags = _tags(organization, [row[1] for row in batch])
        for (
            supporter_id,
            person_id,
            first_name,
            last_name,
            email,
            phone,
            address,
            city,
            state,
            zip_code,
            language,
            contactable,
            supplied,
            custom_fields,
            source,
            created_at,
        ) in batch:
            custom = "; ".join(f"{k}: {v}" for k, v in (custom_fields or {}).items())
            # Supporter.shows, on the values read.
            seen = set(CONTACT_FIELDS) if contactable else set(supplied or ())
            yield [
                str(supporter_id),
                neutralize(first_name),
                neutralize(last_name),
                neutralize(email) if "email" in seen else "",
                _phone(phone) if "phone" in seen else "",
                neutralize(address) if "address" in seen else "",
                neutralize(city) if "city" in seen else "",
                neutralize(state),
                neutralize(zip_code),
                neutralize(language),
                "yes" if contactable else "no",
                neutralize("; ".join(tags.get(person_id, []))),
                neutralize(custom),
                neutralize(source),
                created_at.astimezone(zone).isoformat(timespec="seconds"),
            ]
