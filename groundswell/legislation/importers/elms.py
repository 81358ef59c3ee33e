"""Chicago City Clerk eLMS matters (api.chicityclerkelms.chicago.gov, GET /matter/{id}).

The document is one matter, a list of them, or the API's list envelope {"data": […]}.
A matter, with the keys read (alternatives after a bar):

    {"matterId": "9C4E…", "recordNumber": "O2023-0002065", "title": "…",
     "type" | "matterType": "Ordinance", "status" | "matterStatus": "Passed",
     "introductionDate": "2023-05-24T00:00:00", "controllingBody" | "body": "City Council",
     "sponsors": [{"sponsorName" | "displayName" | "name": "La Spata, Daniel",
                   "sponsorType": "Sponsor" | "CoSponsor", "personId", "ward": "1",
                   "sponsorDate" | "date"}],
     "actions": [{"actionId" | "id" | "lineId", "actionDate" | "date",
                  "actionName" | "action" | "actionText" | "description": "Referred",
                  "actionByName" | "actionBy" | "bodyName": "City Council",
                  "result" | "actionResult": "Passed",
                  "referredTo" | "committee": "Committee on Public Safety",
                  "votesNeeded": 26,
                  "votes": [{"voterName" | "personName" | "displayName" | "name",
                             "vote" | "voteValue" | "value": "Yea" | "Nay" | "Abstain" |
                                 "Absent" | "Excused" | "Recuse",
                             "personId", "ward"}]}]}

A sponsor whose sponsorType is "Sponsor" (or "Chief Sponsor") is the primary sponsor,
any other type a co-sponsor. An action with votes is a roll call, keyed by its action
id (or, without one, by its date and text). An action "Referred to Committee on …"
without a referredTo names its committee in its text.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.text import slugify

from groundswell.legislation.importers.common import Problems, fuzzy_date, identifier, items, text
from groundswell.legislation.importers.matters import (
    VOTE_OPTIONS,
    ActionRecord,
    MatterRecord,
    RollCallRecord,
    SponsorRecord,
    VoteRecord,
    kind_of,
    result_of,
)
from groundswell.legislation.importers.source import LegislationFileError

MATTER_PAGE = "https://chicityclerkelms.chicago.gov/Matter/?matterId={}"
PRIMARY_TYPES = frozenset({"sponsor", "primary sponsor", "chief sponsor", "lead sponsor"})
REFERRED = re.compile(r"^(?:re-?)?referred\s+to\s+(?P<committee>.+)$", re.IGNORECASE)


def first(raw: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        value = raw.get(key)
        if value not in (None, ""):
            return value
    return None


def looks_like(document: Any) -> bool:
    """An eLMS document: its first matter has a matterId."""
    if isinstance(document, dict) and isinstance(document.get("data"), list):
        document = document["data"]
    if isinstance(document, list):
        document = document[0] if document else {}
    return isinstance(document, dict) and "matterId" in document


def read(document: Any) -> list[MatterRecord]:
    problems = Problems()
    if isinstance(document, dict) and isinstance(document.get("data"), list):
        document = document["data"]
    matters_raw = document if isinstance(document, list) else [document]
    matters = []
    for index, raw in enumerate(matters_raw):
        matter = _matter(raw, f"matters[{index}]", problems)
        if matter is not None:
            matters.append(matter)
    if problems:
        raise LegislationFileError(problems.found)
    return matters


def _name(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("name") or value.get("body") or ""
    return str(value or "")


def _ward(value: Any, where: str, problems: Problems) -> int | None:
    if value in (None, ""):
        return None
    ward = str(value).strip()
    if not ward.isdigit() or not 0 < int(ward) < 1000:
        problems.add(where, f"“{ward[:20]}” is not a ward number.")
        return None
    return int(ward)


def _matter(raw: Any, where: str, problems: Problems) -> MatterRecord | None:
    if not isinstance(raw, dict):
        problems.add(where, "is not an object.")
        return None
    elms_id = identifier(raw.get("matterId"), f"{where}.matterId", problems, required=True)
    title = text(raw.get("title"), f"{where}.title", problems, required=True, max_length=5000)
    if not elms_id or not title:
        return None
    kind = text(first(raw, "type", "matterType"), f"{where}.type", problems, max_length=100)
    matter = MatterRecord(
        title=title,
        elms_id=elms_id,
        record_number=text(
            raw.get("recordNumber"), f"{where}.recordNumber", problems, max_length=60
        ),
        kind=kind_of(kind),
        status=text(
            first(raw, "status", "matterStatus"), f"{where}.status", problems, max_length=100
        ),
        introduced_on=fuzzy_date(
            raw.get("introductionDate"), f"{where}.introductionDate", problems
        ),
        body_name=_name(first(raw, "controllingBody", "body"))[:300],
        summary=text(
            first(raw, "summary", "description"), f"{where}.summary", problems, max_length=20000
        ),
        source_url=MATTER_PAGE.format(elms_id) if re.fullmatch(r"[\w-]+", elms_id) else "",
    )
    for number, entry in enumerate(items(raw.get("sponsors"), f"{where}.sponsors", problems)):
        at = f"{where}.sponsors[{number}]"
        if not isinstance(entry, dict):
            problems.add(at, "is not an object.")
            continue
        name = text(
            first(entry, "sponsorName", "displayName", "name"),
            f"{at}.sponsorName",
            problems,
            required=True,
        )
        kind = text(entry.get("sponsorType"), f"{at}.sponsorType", problems, max_length=100)
        if name:
            matter.sponsors.append(
                SponsorRecord(
                    name=name,
                    primary=kind.casefold() in PRIMARY_TYPES,
                    classification=kind,
                    ward=_ward(entry.get("ward"), f"{at}.ward", problems),
                    sponsored_on=fuzzy_date(
                        first(entry, "sponsorDate", "date"), f"{at}.date", problems
                    )
                    or matter.introduced_on,
                )
            )
    keys: dict[str, int] = {}
    for number, entry in enumerate(items(raw.get("actions"), f"{where}.actions", problems)):
        _action(entry, f"{where}.actions[{number}]", problems, matter, keys)
    return matter


def _action(
    raw: Any, where: str, problems: Problems, matter: MatterRecord, keys: dict[str, int]
) -> None:
    if not isinstance(raw, dict):
        problems.add(where, "is not an object.")
        return
    description = text(
        first(raw, "actionName", "action", "actionText", "description"),
        f"{where}.actionName",
        problems,
        required=True,
        max_length=2000,
    )
    if not description:
        return
    date = fuzzy_date(first(raw, "actionDate", "date"), f"{where}.actionDate", problems)
    action = ActionRecord(
        description=description,
        date=date,
        body_name=_name(first(raw, "actionByName", "actionBy", "bodyName", "body"))[:300],
        result=text(
            first(raw, "result", "actionResult"), f"{where}.result", problems, max_length=100
        ),
    )
    referred = first(raw, "referredTo", "committee", "referredToName")
    for committee in referred if isinstance(referred, list) else [referred]:
        if _name(committee):
            action.referred_to.append(_name(committee)[:300])
    match = REFERRED.match(description)
    if not action.referred_to and match:
        action.referred_to.append(match["committee"].strip()[:300])
    if action.referred_to:
        action.classification.append("committee-referral")
    matter.actions.append(action)

    votes = items(raw.get("votes"), f"{where}.votes", problems)
    if not votes:
        return
    if date is None:
        problems.add(f"{where}.actionDate", "is needed for an action with votes.")
        return
    own = identifier(first(raw, "actionId", "id", "lineId"), f"{where}.actionId", problems)
    key = f"elms:{own}" if own else f"elms:{date}:{slugify(description)[:60]}"
    keys[key] = keys.get(key, 0) + 1
    if keys[key] > 1:
        if own:
            problems.add(where, f"the action id {own} is given twice.")
        key = f"{key}:{keys[key]}"
    needed = raw.get("votesNeeded")
    if needed is not None and (
        not isinstance(needed, int) or isinstance(needed, bool) or not 0 < needed < 10000
    ):
        problems.add(f"{where}.votesNeeded", "is not a number of votes.")
        needed = None
    roll_call = RollCallRecord(
        key=key,
        date=date,
        motion=description,
        result=result_of(action.result),
        needed=needed,
        body_name=action.body_name,
        action_index=len(matter.actions) - 1,
    )
    seen: set[str] = set()
    for number, entry in enumerate(votes):
        at = f"{where}.votes[{number}]"
        if not isinstance(entry, dict):
            problems.add(at, "is not an object.")
            continue
        name = text(
            first(entry, "voterName", "personName", "displayName", "name"),
            f"{at}.voterName",
            problems,
            required=True,
        )
        label = text(
            first(entry, "vote", "voteValue", "value"), f"{at}.vote", problems, required=True
        ).casefold()
        option = VOTE_OPTIONS.get(label)
        if label and option is None:
            problems.add(
                f"{at}.vote",
                f"“{label[:30]}” is not a vote (Yea, Nay, Abstain, Absent, Excused, Recuse).",
            )
        if name in seen:
            problems.add(at, f"{name} votes twice.")
        seen.add(name)
        if name and option:
            roll_call.votes.append(
                VoteRecord(name, option, ward=_ward(entry.get("ward"), f"{at}.ward", problems))
            )
    matter.roll_calls.append(roll_call)
