"""Reading matters from a file: Open Civic Data bills or Chicago City Clerk eLMS
matters, into the same records (MatterRecord), which actions.import_matters writes.

`read_matters(document, format)` takes the parsed JSON: "ocd" (groundswell.legislation.
importers.ocd), "elms" (…importers.elms) or "auto", which looks at the first matter:
an eLMS matter has a `matterId`, an OCD bill an `identifier`. The whole file is read and
checked before anything is written; LegislationFileError lists every problem.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from groundswell.legislation.importers.source import LegislationFileError
from groundswell.legislation.models import MatterKind, VoteOption

FORMATS = ("auto", "ocd", "elms")


@dataclass
class SponsorRecord:
    name: str
    primary: bool
    classification: str = ""
    person_id: str = ""  # an OCD person id, when the file gives one
    ward: int | None = None
    sponsored_on: datetime.date | None = None


@dataclass
class ActionRecord:
    description: str
    date: datetime.date | None = None
    body_name: str = ""
    body_id: str = ""
    classification: list[str] = field(default_factory=list)
    result: str = ""
    referred_to: list[str] = field(default_factory=list)  # committee names or OCD ids


@dataclass
class VoteRecord:
    voter_name: str
    option: str  # a VoteOption value
    person_id: str = ""
    ward: int | None = None


@dataclass
class RollCallRecord:
    key: str
    date: datetime.date
    motion: str
    result: str = ""  # a RollCallResult value or ""
    needed: int | None = None
    body_name: str = ""
    body_id: str = ""
    action_index: int | None = None  # the action (in ActionRecord order) it was taken at
    votes: list[VoteRecord] = field(default_factory=list)


@dataclass
class MatterRecord:
    title: str
    ocd_id: str = ""
    elms_id: str = ""
    record_number: str = ""
    kind: str = MatterKind.OTHER
    status: str = ""
    introduced_on: datetime.date | None = None
    body_name: str = ""
    body_id: str = ""
    summary: str = ""
    source_url: str = ""
    sponsors: list[SponsorRecord] = field(default_factory=list)
    actions: list[ActionRecord] = field(default_factory=list)
    roll_calls: list[RollCallRecord] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.ocd_id or f"elms:{self.elms_id}"


KINDS = {
    "ordinance": MatterKind.ORDINANCE,
    "bill": MatterKind.ORDINANCE,
    "resolution": MatterKind.RESOLUTION,
    "order": MatterKind.ORDER,
    "appointment": MatterKind.APPOINTMENT,
    "claim": MatterKind.CLAIM,
    "communication": MatterKind.COMMUNICATION,
}


def kind_of(label: str) -> str:
    """A source's type ("Ordinance", "Resolution", "Order", "bill") as a MatterKind;
    OTHER for the rest (claims, communications and the like keep their own)."""
    words = label.casefold().replace("-", " ").split()
    for word in words:
        if word in KINDS:
            return KINDS[word]
    return MatterKind.OTHER


VOTE_OPTIONS = {
    "yes": VoteOption.YES,
    "yea": VoteOption.YES,
    "aye": VoteOption.YES,
    "y": VoteOption.YES,
    "no": VoteOption.NO,
    "nay": VoteOption.NO,
    "n": VoteOption.NO,
    "abstain": VoteOption.ABSTAIN,
    "abstained": VoteOption.ABSTAIN,
    # A recusal, a pair and OCD's "other" are no vote either way, taken in the chamber.
    "recuse": VoteOption.ABSTAIN,
    "recused": VoteOption.ABSTAIN,
    "paired": VoteOption.ABSTAIN,
    "other": VoteOption.ABSTAIN,
    "absent": VoteOption.ABSENT,
    "not voting": VoteOption.ABSENT,
    "excused": VoteOption.EXCUSED,
}

PASSED = ("pass", "passed", "adopted", "approved", "carried", "concurred")
FAILED = ("fail", "failed", "defeated", "rejected", "lost")


def result_of(label: str) -> str:
    """ "pass" or "fail" from a source's result ("Passed", "Adopted", "Failed"), else ""."""
    folded = label.casefold().strip()
    if any(folded.startswith(word) for word in PASSED):
        return "pass"
    if any(folded.startswith(word) for word in FAILED):
        return "fail"
    return ""


def read_matters(document: Any, format: str = "auto") -> list[MatterRecord]:
    from groundswell.legislation.importers import elms, ocd

    if format not in FORMATS:
        raise LegislationFileError([f"The format must be one of {', '.join(FORMATS)}."])
    if format == "auto":
        format = "elms" if elms.looks_like(document) else "ocd"
    matters = elms.read(document) if format == "elms" else ocd.read(document)
    if not matters:
        raise LegislationFileError(["The file holds no matters."])
    keys = [m.key for m in matters]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        raise LegislationFileError([f"The matter {key} is in the file twice." for key in twice])
    return matters
