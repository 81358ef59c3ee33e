"""Reading people, offices and terms from Popolo / Open Civic Data JSON.

The file is one JSON object with any of four lists, as Popolo exports and OCD data
(pupa's people, posts and memberships; Councilmatic's) have them:

    {"organizations": [{"id", "name", "classification", "parent_id"}],
     "posts":         [{"id", "label", "role", "organization_id", "division_id"}],
     "persons":       [{"id", "name", "sort_name", "image", "contact_details": [
                          {"type": "voice" | "email" | "address" | "url", "value", "note"}],
                        "links": [{"url"}], "memberships": […]}],
     "memberships":   [{"id", "person_id", "organization_id", "post_id", "role",
                        "start_date", "end_date"}]}

A person may carry its memberships inline, each naming its organization and post by
id or as an object ({"id", "name", "classification"}, {"id", "label", "division_id"}),
as the OCD API answers. Party organizations (and memberships in them) are left out:
a party is not a body that decides. `read_people` checks the whole file and raises
LegislationFileError with every problem found, before anything is written.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from groundswell.legislation.importers.common import (
    Problems,
    fuzzy_date,
    identifier,
    items,
    text,
    ward_number,
    web_address,
)
from groundswell.legislation.importers.source import LegislationFileError
from groundswell.legislation.models import Classification

CLASSIFICATIONS = {
    "legislature": Classification.LEGISLATURE,
    "upper": Classification.LEGISLATURE,
    "lower": Classification.LEGISLATURE,
    "committee": Classification.COMMITTEE,
    "executive": Classification.EXECUTIVE,
    "commission": Classification.COMMISSION,
}
SKIPPED_CLASSIFICATIONS = frozenset({"party"})


@dataclass
class BodyRecord:
    key: str
    name: str
    classification: str
    parent_key: str = ""


@dataclass
class OfficeRecord:
    key: str
    body_key: str
    label: str
    role: str = ""
    division_id: str = ""
    number: int | None = None


@dataclass
class PersonRecord:
    key: str
    name: str
    sort_name: str = ""
    photo_url: str = ""
    phone: str = ""
    email: str = ""
    office_address: str = ""
    website: str = ""


@dataclass
class TermRecord:
    key: str  # the file's id, or "" (found again by what it links)
    person_key: str
    body_key: str
    office_key: str = ""
    role: str = ""
    start_date: Any = None
    end_date: Any = None


@dataclass
class PeopleFile:
    bodies: list[BodyRecord] = field(default_factory=list)
    offices: list[OfficeRecord] = field(default_factory=list)
    persons: list[PersonRecord] = field(default_factory=list)
    terms: list[TermRecord] = field(default_factory=list)


def read_people(
    document: Any,
    *,
    known_bodies: Collection[str] = (),
    known_offices: Collection[str] = (),
    known_people: Collection[str] = (),
) -> PeopleFile:
    """The records of a Popolo document. Ids it refers to must be in the file or
    already imported (`known_*`: the ids on record)."""
    problems = Problems()
    if not isinstance(document, dict):
        raise LegislationFileError(
            ["The file must be a JSON object with organizations, posts, persons or memberships."]
        )
    lists = ("organizations", "posts", "persons", "memberships")
    if not any(key in document for key in lists):
        raise LegislationFileError(
            ["The file has none of organizations, posts, persons or memberships."]
        )
    result = PeopleFile()
    skipped: set[str] = set()
    seen: dict[str, set[str]] = {"body": set(), "office": set(), "person": set(), "term": set()}

    def unique(kind: str, key: str, where: str) -> bool:
        if key in seen[kind]:
            problems.add(where, f"the id {key} is given twice.")
            return False
        seen[kind].add(key)
        return True

    def body(raw: Any, where: str) -> str:
        """Read an organization; its key ("" when it is bad; a skipped one's key is
        in `skipped`)."""
        if not isinstance(raw, dict):
            problems.add(where, "is not an object.")
            return ""
        key = identifier(raw.get("id"), f"{where}.id", problems, required=True)
        kind = text(raw.get("classification"), f"{where}.classification", problems).lower()
        if kind in SKIPPED_CLASSIFICATIONS:
            skipped.add(key)
            return key
        name = text(raw.get("name"), f"{where}.name", problems, required=True)
        parent = identifier(raw.get("parent_id"), f"{where}.parent_id", problems)
        if kind and kind not in CLASSIFICATIONS:
            problems.add(where, f"the classification “{kind[:40]}” is not one a body has.")
        classification = CLASSIFICATIONS.get(
            kind, Classification.COMMITTEE if parent else Classification.LEGISLATURE
        )
        if key and name and key not in seen["body"]:
            seen["body"].add(key)
            result.bodies.append(BodyRecord(key, name, classification, parent))
        return key

    def office(raw: Any, where: str, body_key: str = "") -> str:
        if not isinstance(raw, dict):
            problems.add(where, "is not an object.")
            return ""
        key = identifier(raw.get("id"), f"{where}.id", problems, required=True)
        label = text(raw.get("label"), f"{where}.label", problems, required=True)
        organization = raw.get("organization_id") or raw.get("organization") or body_key
        if isinstance(organization, dict):
            organization = body(organization, f"{where}.organization")
        owner = identifier(organization, f"{where}.organization_id", problems, required=True)
        division = text(
            raw.get("division_id") or raw.get("area_id"),
            f"{where}.division_id",
            problems,
            max_length=200,
        )
        if key and label and owner and key not in seen["office"]:
            seen["office"].add(key)
            result.offices.append(
                OfficeRecord(
                    key,
                    owner,
                    label,
                    role=text(raw.get("role"), f"{where}.role", problems, max_length=100),
                    division_id=division,
                    number=ward_number(division) if division else None,
                )
            )
        return key

    def membership(raw: Any, where: str, person_key: str = "") -> None:
        if not isinstance(raw, dict):
            problems.add(where, "is not an object.")
            return
        organization = raw.get("organization_id") or raw.get("organization")
        if isinstance(organization, dict):
            organization = body(organization, f"{where}.organization")
        body_key = identifier(organization, f"{where}.organization_id", problems)
        post = raw.get("post_id") or raw.get("post")
        if isinstance(post, dict):
            post = office(post, f"{where}.post", body_key)
        office_key = identifier(post, f"{where}.post_id", problems)
        person = person_key or identifier(
            raw.get("person_id"), f"{where}.person_id", problems, required=True
        )
        if body_key in skipped:
            return
        if not body_key:
            problems.add(where, "names no organization.")
            return
        key = identifier(raw.get("id"), f"{where}.id", problems)
        if key and not unique("term", key, where):
            return
        result.terms.append(
            TermRecord(
                key,
                person,
                body_key,
                office_key,
                role=text(raw.get("role"), f"{where}.role", problems, max_length=100),
                start_date=fuzzy_date(raw.get("start_date"), f"{where}.start_date", problems),
                end_date=fuzzy_date(raw.get("end_date"), f"{where}.end_date", problems),
            )
        )

    for index, raw in enumerate(items(document.get("organizations"), "organizations", problems)):
        where = f"organizations[{index}]"
        before = len(seen["body"])
        key = body(raw, where)
        if key and len(seen["body"]) == before and key not in skipped:
            problems.add(where, f"the id {key} is given twice.")
    for index, raw in enumerate(items(document.get("posts"), "posts", problems)):
        where = f"posts[{index}]"
        before = len(seen["office"])
        key = office(raw, where)
        if key and len(seen["office"]) == before:
            problems.add(where, f"the id {key} is given twice.")
    for index, raw in enumerate(items(document.get("persons"), "persons", problems)):
        where = f"persons[{index}]"
        person = _person(raw, where, problems)
        if person is None or not unique("person", person.key, where):
            continue
        result.persons.append(person)
        inline = items(raw.get("memberships"), f"{where}.memberships", problems)
        for number, entry in enumerate(inline):
            membership(entry, f"{where}.memberships[{number}]", person.key)
    for index, raw in enumerate(items(document.get("memberships"), "memberships", problems)):
        membership(raw, f"memberships[{index}]")

    _check_references(
        result,
        problems,
        known_bodies=known_bodies,
        known_offices=known_offices,
        known_people=known_people,
    )
    if problems:
        raise LegislationFileError(problems.found)
    return result


def _person(raw: Any, where: str, problems: Problems) -> PersonRecord | None:
    if not isinstance(raw, dict):
        problems.add(where, "is not an object.")
        return None
    key = identifier(raw.get("id"), f"{where}.id", problems, required=True)
    name = text(raw.get("name"), f"{where}.name", problems, required=True)
    if not key or not name:
        return None
    person = PersonRecord(
        key,
        name,
        sort_name=text(raw.get("sort_name"), f"{where}.sort_name", problems),
        photo_url=web_address(raw.get("image"), f"{where}.image", problems),
    )
    for number, contact in enumerate(
        items(raw.get("contact_details"), f"{where}.contact_details", problems)
    ):
        at = f"{where}.contact_details[{number}]"
        if not isinstance(contact, dict):
            problems.add(at, "is not an object.")
            continue
        kind = text(contact.get("type"), f"{at}.type", problems, required=True)
        if kind == "address":
            value = text(contact.get("value"), f"{at}.value", problems, max_length=2000)
        else:
            value = text(contact.get("value"), f"{at}.value", problems, required=True)
        # The first of each kind is the office's: OCD lists the district office first.
        if kind == "voice" and not person.phone:
            person.phone = value[:50]
        elif kind == "email" and not person.email:
            if "@" not in value:
                problems.add(f"{at}.value", "is not an email address.")
            person.email = value[:254]
        elif kind == "address" and not person.office_address:
            person.office_address = value
        elif kind == "url" and not person.website:
            person.website = web_address(value, f"{at}.value", problems)
    for number, link in enumerate(items(raw.get("links"), f"{where}.links", problems)):
        if isinstance(link, dict) and not person.website:
            person.website = web_address(link.get("url"), f"{where}.links[{number}].url", problems)
    return person


def _check_references(
    result: PeopleFile,
    problems: Problems,
    *,
    known_bodies: Collection[str],
    known_offices: Collection[str],
    known_people: Collection[str],
) -> None:
    bodies = {b.key for b in result.bodies} | set(known_bodies)
    offices = {o.key: o for o in result.offices}
    people = {p.key for p in result.persons} | set(known_people)
    for record in result.bodies:
        if record.parent_key and record.parent_key not in bodies:
            problems.add(
                f"organization {record.key}", f"its parent {record.parent_key} is unknown."
            )
    for post in result.offices:
        if post.body_key not in bodies:
            problems.add(f"post {post.key}", f"its organization {post.body_key} is unknown.")
    for term in result.terms:
        where = f"membership of {term.person_key}"
        if term.person_key and term.person_key not in people:
            problems.add(where, f"the person {term.person_key} is unknown.")
        if term.body_key not in bodies:
            problems.add(where, f"the organization {term.body_key} is unknown.")
        if term.office_key:
            held = offices.get(term.office_key)
            if held is None:
                if term.office_key not in known_offices:
                    problems.add(where, f"the post {term.office_key} is unknown.")
            elif held.body_key != term.body_key:
                problems.add(where, f"the post {term.office_key} is not in {term.body_key}.")
        if term.start_date and term.end_date and term.end_date <= term.start_date:
            problems.add(where, "it ends before it starts.")
