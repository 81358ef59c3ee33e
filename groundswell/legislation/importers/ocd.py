"""Open Civic Data bills (pupa's scraped bill JSON, or the OCD API's), with their
actions, sponsorships and vote events.

The document is one bill, a list of bills, or {"bills": […], "vote_events": […]}.
A bill:

    {"id" | "_id": "ocd-bill/…", "identifier": "O2023-0002065", "title": "…",
     "classification": ["ordinance"], "from_organization": "ocd-organization/…" | {"id", "name"},
     "abstracts": [{"abstract"}], "sources": [{"url"}], "extras": {"status": "…"},
     "actions": [{"description", "date", "organization_id" | "organization": {"id", "name"},
                  "classification": ["committee-referral"],
                  "related_entities": [{"name", "entity_type": "organization", "organization_id"}],
                  "extras": {"result": "…"}}],
     "sponsorships": [{"name", "primary", "classification", "entity_type": "person",
                       "person_id" | "person": {"id", "name"}}],
     "votes" | "vote_events": [vote event, …]}

A vote event, in the bill or beside it (then its "bill" or "bill_id" names the bill by
id or identifier):

    {"id" | "_id" | "identifier", "motion_text", "start_date", "result": "pass" | "fail",
     "organization" | "organization_id", "bill_action": {"description", "date"} | …,
     "extras": {"needed": 26},
     "votes": [{"option": "yes" | "no" | "abstain" | "absent" | "excused" | "not voting" | …,
                "voter_name", "voter_id" | "voter": {"id", "name"}}]}

The status is the bill's extras.status when it has one, else the last action's
description; the introduction date is the first action classified "introduction"
(else the first action's date).
"""

from __future__ import annotations

from typing import Any

from groundswell.legislation.importers.common import (
    Problems,
    fuzzy_date,
    identifier,
    items,
    text,
    web_address,
)
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


def read(document: Any) -> list[MatterRecord]:
    problems = Problems()
    if isinstance(document, dict) and "bills" in document:
        bills = items(document.get("bills"), "bills", problems)
        loose = items(document.get("vote_events"), "vote_events", problems)
    elif isinstance(document, list):
        bills, loose = document, []
    elif isinstance(document, dict):
        bills, loose = [document], []
    else:
        raise LegislationFileError(
            [
                "The file must hold an OCD bill, a list of them, or "
                '{"bills": [...], "vote_events": [...]}.'
            ]
        )
    matters: list[MatterRecord] = []
    by_key: dict[str, MatterRecord] = {}
    for index, raw in enumerate(bills):
        matter = _bill(raw, f"bills[{index}]", problems)
        if matter is not None:
            matters.append(matter)
            by_key[matter.ocd_id] = matter
            if matter.record_number:
                by_key.setdefault(matter.record_number, matter)
    for index, raw in enumerate(loose):
        where = f"vote_events[{index}]"
        if not isinstance(raw, dict):
            problems.add(where, "is not an object.")
            continue
        bill = raw.get("bill") or raw.get("bill_id")
        if isinstance(bill, dict):
            bill = bill.get("id") or bill.get("identifier")
        owner = by_key.get(identifier(bill, f"{where}.bill", problems, required=True))
        if owner is None:
            problems.add(where, f"its bill {str(bill)[:60]} is not in the file.")
            continue
        roll_call = _vote_event(raw, where, problems, owner)
        if roll_call is not None:
            owner.roll_calls.append(roll_call)
    for matter in matters:
        keys = [r.key for r in matter.roll_calls]
        for key in sorted({k for k in keys if keys.count(k) > 1}):
            problems.add(f"bill {matter.ocd_id}", f"the vote {key} is given twice.")
    if problems:
        raise LegislationFileError(problems.found)
    return matters


def _extras(raw: dict[str, Any]) -> dict[str, Any]:
    extras = raw.get("extras")
    return extras if isinstance(extras, dict) else {}


def _id_and_name(value: Any) -> tuple[str, str]:
    """An OCD reference as (id, name): a string is an id (or, without "ocd-", a
    name), an object gives both."""
    if isinstance(value, dict):
        return str(value.get("id") or ""), str(value.get("name") or "")
    if isinstance(value, str):
        return (value, "") if value.startswith("ocd-") else ("", value)
    return "", ""


def _bill(raw: Any, where: str, problems: Problems) -> MatterRecord | None:
    if not isinstance(raw, dict):
        problems.add(where, "is not an object.")
        return None
    ocd_id = identifier(raw.get("id") or raw.get("_id"), f"{where}.id", problems, required=True)
    title = text(raw.get("title"), f"{where}.title", problems, required=True, max_length=5000)
    if not ocd_id or not title:
        return None
    classification = raw.get("classification")
    if isinstance(classification, list):
        classification = " ".join(str(c) for c in classification)
    body_id, body_name = _id_and_name(
        raw.get("from_organization") or raw.get("from_organization_id")
    )
    extras = _extras(raw)
    matter = MatterRecord(
        title=title,
        ocd_id=ocd_id,
        record_number=text(raw.get("identifier"), f"{where}.identifier", problems, max_length=60),
        kind=kind_of(text(classification, f"{where}.classification", problems)),
        body_id=body_id,
        body_name=body_name[:300],
    )
    for number, abstract in enumerate(items(raw.get("abstracts"), f"{where}.abstracts", problems)):
        if isinstance(abstract, dict) and not matter.summary:
            matter.summary = text(
                abstract.get("abstract"), f"{where}.abstracts[{number}]", problems, max_length=20000
            )
    for number, source in enumerate(items(raw.get("sources"), f"{where}.sources", problems)):
        if isinstance(source, dict) and not matter.source_url:
            matter.source_url = web_address(
                source.get("url"), f"{where}.sources[{number}].url", problems
            )
    for number, entry in enumerate(items(raw.get("actions"), f"{where}.actions", problems)):
        action = _action(entry, f"{where}.actions[{number}]", problems)
        if action is not None:
            matter.actions.append(action)
    introduced = [a.date for a in matter.actions if "introduction" in a.classification and a.date]
    dated = [a.date for a in matter.actions if a.date]
    matter.introduced_on = introduced[0] if introduced else (min(dated) if dated else None)
    status = text(extras.get("status"), f"{where}.extras.status", problems, max_length=100)
    if not status and matter.actions:
        status = matter.actions[-1].description[:100]
    matter.status = status
    sponsors = raw.get("sponsorships", raw.get("sponsors"))
    for number, entry in enumerate(items(sponsors, f"{where}.sponsorships", problems)):
        sponsor = _sponsor(entry, f"{where}.sponsorships[{number}]", problems)
        if sponsor is not None:
            sponsor.sponsored_on = matter.introduced_on
            matter.sponsors.append(sponsor)
    events = raw.get("votes", raw.get("vote_events"))
    for number, entry in enumerate(items(events, f"{where}.votes", problems)):
        roll_call = _vote_event(entry, f"{where}.votes[{number}]", problems, matter)
        if roll_call is not None:
            matter.roll_calls.append(roll_call)
    return matter


def _action(raw: Any, where: str, problems: Problems) -> ActionRecord | None:
    if not isinstance(raw, dict):
        problems.add(where, "is not an object.")
        return None
    description = text(
        raw.get("description"), f"{where}.description", problems, required=True, max_length=2000
    )
    body_id, body_name = _id_and_name(raw.get("organization") or raw.get("organization_id"))
    classification = [
        str(c) for c in items(raw.get("classification"), f"{where}.classification", problems)
    ]
    extras = _extras(raw)
    action = ActionRecord(
        description=description,
        date=fuzzy_date(raw.get("date"), f"{where}.date", problems),
        body_id=body_id,
        body_name=body_name[:300],
        classification=classification,
        result=text(extras.get("result"), f"{where}.extras.result", problems, max_length=100),
    )
    if "committee-referral" in classification:
        entities = items(raw.get("related_entities"), f"{where}.related_entities", problems)
        for entity in entities:
            if isinstance(entity, dict) and entity.get("entity_type") == "organization":
                committee = str(entity.get("organization_id") or entity.get("name") or "")
                if committee:
                    action.referred_to.append(committee[:300])
        if not action.referred_to and (body_id or body_name):
            action.referred_to.append(body_id or body_name)
    return action if description else None


def _sponsor(raw: Any, where: str, problems: Problems) -> SponsorRecord | None:
    if not isinstance(raw, dict):
        problems.add(where, "is not an object.")
        return None
    person_id, person_name = _id_and_name(raw.get("person"))
    name = text(raw.get("name") or person_name, f"{where}.name", problems, required=True)
    if not name:
        return None
    return SponsorRecord(
        name=name,
        primary=bool(raw.get("primary")),
        classification=text(
            raw.get("classification"), f"{where}.classification", problems, max_length=100
        ),
        person_id=str(raw.get("person_id") or person_id or "")[:200],
    )


def _vote_event(
    raw: Any, where: str, problems: Problems, matter: MatterRecord
) -> RollCallRecord | None:
    if not isinstance(raw, dict):
        problems.add(where, "is not an object.")
        return None
    key = identifier(
        raw.get("id") or raw.get("_id") or raw.get("identifier"),
        f"{where}.id",
        problems,
        required=True,
    )
    date = fuzzy_date(raw.get("start_date"), f"{where}.start_date", problems)
    if date is None and "start_date" not in raw:
        problems.add(f"{where}.start_date", "is missing.")
    motion = text(raw.get("motion_text"), f"{where}.motion_text", problems, max_length=2000)
    body_id, body_name = _id_and_name(raw.get("organization") or raw.get("organization_id"))
    extras = _extras(raw)
    needed = extras.get("needed")
    if needed is not None and (
        not isinstance(needed, int) or isinstance(needed, bool) or not 0 < needed < 10000
    ):
        problems.add(f"{where}.extras.needed", "is not a number of votes.")
        needed = None
    if not key or date is None:
        return None
    roll_call = RollCallRecord(
        key=key,
        date=date,
        motion=motion or matter.title[:200],
        result=result_of(text(raw.get("result"), f"{where}.result", problems, max_length=100)),
        needed=needed,
        body_id=body_id,
        body_name=body_name[:300],
        action_index=_action_index(raw.get("bill_action"), matter),
    )
    seen: set[str] = set()
    for number, entry in enumerate(items(raw.get("votes"), f"{where}.votes", problems)):
        at = f"{where}.votes[{number}]"
        if not isinstance(entry, dict):
            problems.add(at, "is not an object.")
            continue
        voter_id, voter_name = _id_and_name(entry.get("voter"))
        name = text(
            entry.get("voter_name") or voter_name, f"{at}.voter_name", problems, required=True
        )
        label = text(entry.get("option"), f"{at}.option", problems, required=True).casefold()
        option = VOTE_OPTIONS.get(label)
        if label and option is None:
            problems.add(f"{at}.option", f"“{label[:30]}” is not a vote OCD knows.")
        if name in seen:
            problems.add(at, f"{name} votes twice.")
        seen.add(name)
        if name and option:
            roll_call.votes.append(
                VoteRecord(name, option, person_id=str(entry.get("voter_id") or voter_id)[:200])
            )
    return roll_call


def _action_index(value: Any, matter: MatterRecord) -> int | None:
    """Which of the matter's actions the vote was taken at, if the event says."""
    if isinstance(value, dict):
        description, date = value.get("description"), str(value.get("date") or "")[:10]
        for index, action in enumerate(matter.actions):
            if action.description == description and str(action.date or "") == date:
                return index
    return None
