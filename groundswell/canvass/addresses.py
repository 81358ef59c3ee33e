"""Street addresses as a canvass sees them: one building per normalized address, its
units apart, its house number and street for the walk order.

>>> household("1234 West Madison Street, Apt. 2B")
Household(building='1234 W MADISON ST', unit='2B', street='W MADISON ST', house_number=1234)
>>> household("1234 w. madison st #2b").building
'1234 W MADISON ST'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WORDS = {
    "NORTH": "N",
    "SOUTH": "S",
    "EAST": "E",
    "WEST": "W",
    "STREET": "ST",
    "AVENUE": "AVE",
    "AV": "AVE",
    "BOULEVARD": "BLVD",
    "DRIVE": "DR",
    "ROAD": "RD",
    "PLACE": "PL",
    "PARKWAY": "PKWY",
    "COURT": "CT",
    "LANE": "LN",
    "TERRACE": "TER",
}
UNIT = re.compile(
    r"(?:,\s*|\s+)(?:APT|APARTMENT|UNIT|STE|SUITE|FL|FLOOR|RM|ROOM)\.?\s*#?\s*([\w-]+)\s*$|\s*#\s*([\w-]+)\s*$",
    re.IGNORECASE,
)
NUMBER = re.compile(r"^(\d+)[A-Z]?\b")


@dataclass(frozen=True)
class Household:
    building: str
    unit: str
    street: str
    house_number: int | None


def household(address: str) -> Household:
    """The building (normalized, without the unit), the unit, the street and the house
    number of one line of address (a city or ZIP after a comma is dropped)."""
    text = " ".join(address.split())
    unit = ""
    found = UNIT.search(text)
    if found:
        unit = (found.group(1) or found.group(2) or "").upper()
        text = text[: found.start()]
    street_line = text.split(",")[0]
    words = [WORDS.get(w, w) for w in re.sub(r"[^\w\s-]", " ", street_line.upper()).split()]
    building = " ".join(words)
    number = NUMBER.match(building)
    house_number = int(number.group(1)) if number else None
    street = " ".join(words[1:]) if number else building
    return Household(building=building, unit=unit, street=street, house_number=house_number)
