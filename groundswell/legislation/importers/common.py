"""What the readers of import files share: a problem list that names where each
problem is, and readers for the values OCD, Popolo and eLMS files hold (fuzzy dates,
texts, addresses, names)."""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Problems:
    """Every problem found in a file, each with where it is ("persons[3].name")."""

    found: list[str] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.found.append(f"{where}: {message}" if where else message)

    def __bool__(self) -> bool:
        return bool(self.found)


def text(
    value: Any, where: str, problems: Problems, *, required: bool = False, max_length: int = 300
) -> str:
    """A string value, stripped; "" for a missing one (a problem when required)."""
    if value is None or value == "":
        if required:
            problems.add(where, "is missing.")
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        problems.add(where, "is not text.")
        return ""
    value = " ".join(value.split()) if max_length <= 1000 else value.strip()
    if required and not value:
        problems.add(where, "is empty.")
    if len(value) > max_length:
        problems.add(where, f"is longer than {max_length} characters.")
        return value[:max_length]
    return value


def identifier(value: Any, where: str, problems: Problems, *, required: bool = False) -> str:
    """An id as text: strings as they are, integers (eLMS ids) written out."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return text(value, where, problems, required=required, max_length=200)


_FUZZY_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def fuzzy_date(value: Any, where: str, problems: Problems) -> datetime.date | None:
    """OCD's YYYY[-MM[-DD]] (a time after it is ignored), as the first day it can be;
    None for a missing date."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        problems.add(where, "is not a date such as 2023-05-15.")
        return None
    match = _FUZZY_DATE.match(value.strip())
    if match is None:
        problems.add(where, f"“{value[:40]}” is not a date such as 2023-05-15.")
        return None
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        problems.add(where, f"“{value[:40]}” is not a date on the calendar.")
        return None


def web_address(value: Any, where: str, problems: Problems) -> str:
    """An http(s) URL, or "" (with a problem) for anything else."""
    url = text(value, where, problems, max_length=500)
    if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc):
        problems.add(where, "is not an http:// or https:// address.")
        return ""
    return url


def items(value: Any, where: str, problems: Problems) -> list[Any]:
    """A list value; [] for a missing one."""
    if value is None:
        return []
    if not isinstance(value, list):
        problems.add(where, "is not a list.")
        return []
    return value


def name_key(name: str) -> str:
    """A name as people are matched by it: accents, case, punctuation and spacing
    ignored, and "Last, First" read as "First Last"."""
    if "," in name:
        last, _sep, first = name.partition(",")
        # "Cardona, Jr., Felix": the suffix stays with the last name.
        if "," in first:
            suffix, _sep, first = first.partition(",")
            last = f"{last} {suffix}"
        name = f"{first} {last}"
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", folded).split())


def ward_number(division_id: str) -> int | None:
    """25 for ".../ward:25", None for a division that is not a numbered ward."""
    last = division_id.rstrip("/").rsplit("/", 1)[-1]
    kind, _sep, number = last.partition(":")
    if kind in ("ward", "council_district", "district") and number.isdigit():
        return int(number)
    return None
