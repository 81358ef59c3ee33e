"""The demo's Council: the Mayor and the 50 ward offices of the 2023 ward map, the two
matters of the seed pages, and a whip board on each for the coalition behind it.

`load()` is what the demo loader calls (after the organizations exist); running it again
adds nothing. The Mayor is the real one (Brandon Johnson, in office since 2023-05-15,
with City Hall's address and the Mayor's page on chicago.gov; no phone number, none
being at hand that could be checked). The 50 alderpersons are placeholders ("Ward 7
Alderperson", no contact details), marked `demo`, and every
page that shows one says so: the demo does not pretend to know who holds each ward, or
how they stand. The two matters are the seed pages' (the Empowering Communities for
Public Safety ordinance, the Welcoming City Ordinance amendments) with made-up record
details (no record number, placeholder sponsors, dates relative to today), also marked
`demo`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from groundswell.accounts.models import User
from groundswell.districts.actions import import_districts
from groundswell.districts.models import DistrictSet, Kind
from groundswell.legislation import actions
from groundswell.legislation.actions.records import ward_map
from groundswell.legislation.models import (
    Body,
    Classification,
    DecisionMaker,
    Matter,
    MatterKind,
    Office,
    RevisionSource,
    StanceChange,
    StanceSource,
    StanceValue,
    Term,
    WhipBoard,
)
from groundswell.organizations.models import Organization

WARDS_FILE = (
    Path(__file__).resolve().parents[1] / "districts" / "data" / "chicago-wards-2023.geojson"
)
WARDS_SET = "chicago-wards-2023"
TERM_START = datetime.date(2023, 5, 15)  # the council elected on the 2023 map took office
WARD_DIVISION = "ocd-division/country:us/state:il/place:chicago/ward:{}"
DEMO = RevisionSource.DEMO


@dataclass(frozen=True)
class DemoMatter:
    slug: str
    title: str
    summary: str
    committee: str
    days_ago: int  # introduced this many days before the demo is loaded
    sponsor: int  # ward of the primary sponsor
    cosponsors: tuple[int, ...]
    organization: str  # slug of the organization keeping the whip board


ECPS = DemoMatter(
    slug="empowering-communities-for-public-safety-ecps-ordinance",
    title="Empowering Communities for Public Safety (ECPS) Ordinance",
    summary=(
        "The coalitions behind the Civilian Police Accountability Council (CPAC) and "
        "Grassroots Alliance for Police Accountability (GAPA) ordinances have united and "
        "created an ordinance to transform policing in Chicago. The two coalitions represent "
        "more than 100 organizations and tens of thousands of people. Hundreds of community "
        "members from neighborhoods across the city were directly involved in creating the "
        "ordinance that integrates the best thinking on police reform in Chicago and gives "
        "Chicago communities a powerful voice in determining what policing looks like."
    ),
    committee="Committee on Public Safety",
    days_ago=75,
    sponsor=33,
    cosponsors=(1, 12, 15, 16, 20, 22, 25, 35, 40, 49),
    organization="ecps-coalition",
)

WELCOMING_CITY = DemoMatter(
    slug="amendments-to-the-welcoming-city-ordinance",
    title="Amendments to the Welcoming City Ordinance",
    summary=(
        "Amendments to the Welcoming City Ordinance, increasing the protections that "
        "immigrants have in the city of Chicago, so that there are no exceptions and the "
        "ordinance protects all immigrants, increased protections for survivors of "
        "trafficking and domestic violence, and prohibit the Chicago police from ever "
        "becoming immigration enforcement agents."
    ),
    committee="Committee on Immigrant and Refugee Rights",
    days_ago=45,
    sponsor=22,
    cosponsors=(1, 12, 25, 26, 30, 33, 35, 40),
    organization="expand-sanctuary-coalition",
)

MATTERS = (ECPS, WELCOMING_CITY)

# What the demo boards heard from members who did not sponsor: (ward, stance, note).
HEARD = (
    (3, StanceValue.LEANING_YES, "Demo: told us at a ward night they are open to it."),
    (5, StanceValue.LEANING_YES, "Demo: staff said they support the goals."),
    (10, StanceValue.LEANING_NO, "Demo: worried about the cost, per their chief of staff."),
    (14, StanceValue.NO, "Demo: said at a community meeting they will vote no."),
    (21, StanceValue.LEANING_YES, "Demo: signed our pledge card at a rally."),
    (24, StanceValue.UNDECIDED, "Demo: wants to hear from the block clubs first."),
    (28, StanceValue.LEANING_YES, "Demo: met with our delegation; positive."),
    (36, StanceValue.LEANING_NO, "Demo: voted against a similar measure before."),
    (38, StanceValue.NO, "Demo: said no in a newsletter."),
    (41, StanceValue.NO, "Demo: publicly opposed."),
    (46, StanceValue.LEANING_YES, "Demo: co-hosted a town hall on the issue."),
    (48, StanceValue.UNDECIDED, "Demo: asked for the fiscal note."),
)


@dataclass
class Loaded:
    council: Body
    matters: list[Matter] = field(default_factory=list)
    boards: list[WhipBoard] = field(default_factory=list)
    skipped_boards: list[str] = field(default_factory=list)  # organizations not (yet) there


def ensure_ward_map() -> None:
    """Import the shipped 2023 ward map unless a ward map is in force already."""
    if DistrictSet.objects.current().get(Kind.WARD) is None:
        import_districts(WARDS_FILE, WARDS_SET, name="Chicago wards (2023–)", valid_from=TERM_START)


def load() -> Loaded:
    """Load (or find again) the demo Council, matters and whip boards. Idempotent."""
    ensure_ward_map()
    with transaction.atomic():
        council = _body("city-council", "City Council", Classification.LEGISLATURE, seats=50)
        mayor_office_body = _body(
            "office-of-the-mayor", "Office of the Mayor", Classification.EXECUTIVE
        )
        _mayor(mayor_office_body)
        wards = _wards(council)
        loaded = Loaded(council=council)
        for demo in MATTERS:
            committee = _body(None, demo.committee, Classification.COMMITTEE, parent=council)
            matter = _matter(demo, council, committee, wards)
            loaded.matters.append(matter)
            board = _board(demo, matter, wards)
            if board is None:
                loaded.skipped_boards.append(demo.organization)
            else:
                loaded.boards.append(board)
        _chair(wards[12], "Committee on Public Safety")
        _chair(wards[22], "Committee on Immigrant and Refugee Rights")
    return loaded


def _body(
    slug: str | None,
    name: str,
    classification: str,
    *,
    seats: int | None = None,
    parent: Body | None = None,
) -> Body:
    found = Body.objects.filter(slug=slug).first() if slug else None
    found = found or Body.objects.filter(name__iexact=name).first()
    if found is not None:
        return found
    body = actions.save_body(
        None, name=name, classification=classification, parent=parent, seats=seats
    )
    if slug and body.slug != slug and not Body.objects.filter(slug=slug).exists():
        Body.objects.filter(pk=body.pk).update(slug=slug)
        body.slug = slug
    return body


def _mayor(body: Body) -> None:
    office = Office.objects.filter(body=body, label="Mayor").first() or actions.save_office(
        None, body=body, label="Mayor", role="Mayor"
    )
    if Term.objects.filter(office=office).exists():
        return
    person = DecisionMaker.objects.filter(name="Brandon Johnson").first() or (
        actions.save_decision_maker(
            None,
            source=DEMO,
            name="Brandon Johnson",
            sort_name="Johnson, Brandon",
            office_address="121 N. LaSalle Street, 5th Floor\nChicago, IL 60602",
            website="https://www.chicago.gov/city/en/depts/mayor.html",
        )
    )
    actions.save_term(
        None,
        decision_maker=person,
        body=body,
        office=office,
        role="Mayor",
        start_date=TERM_START,
        source=DEMO,
    )


def _wards(council: Body) -> dict[int, DecisionMaker]:
    """The 50 ward offices and their placeholder holders, by ward number."""
    districts = ward_map()
    holders: dict[int, DecisionMaker] = {}
    offices = {o.number: o for o in Office.objects.filter(body=council, number__isnull=False)}
    for number in range(1, 51):
        office = offices.get(number) or actions.save_office(
            None,
            body=council,
            label=f"Alderperson, Ward {number}",
            role="Alderperson",
            division_id=WARD_DIVISION.format(number),
            number=number,
            wards=districts,
        )
        term = Term.objects.current().filter(office=office).select_related("decision_maker")
        held = term.first()
        if held is not None:
            holders[number] = held.decision_maker
            continue
        person = DecisionMaker.objects.filter(slug=f"ward-{number}-alderperson").first()
        if person is None:
            person = actions.save_decision_maker(
                None,
                source=DEMO,
                demo=True,
                name=f"Ward {number} Alderperson",
                sort_name=f"Ward {number:02d} Alderperson",
            )
        actions.save_term(
            None,
            decision_maker=person,
            body=council,
            office=office,
            role="Alderperson",
            start_date=TERM_START,
            source=DEMO,
        )
        holders[number] = person
    return holders


def _chair(person: DecisionMaker, committee_name: str) -> None:
    committee = Body.objects.filter(name=committee_name).first()
    if committee is None or Term.objects.filter(body=committee, role="Chair").exists():
        return
    actions.save_term(
        None,
        decision_maker=person,
        body=committee,
        role="Chair",
        start_date=TERM_START,
        source=DEMO,
    )


def _matter(
    demo: DemoMatter, council: Body, committee: Body, wards: dict[int, DecisionMaker]
) -> Matter:
    found = Matter.objects.filter(slug=demo.slug).first()
    if found is not None:
        return found
    introduced = timezone.localdate() - datetime.timedelta(days=demo.days_ago)
    matter = actions.save_matter(
        None,
        source=DEMO,
        demo=True,
        title=demo.title,
        kind=MatterKind.ORDINANCE,
        status="In committee",
        introduced_on=introduced,
        body=council,
        summary=demo.summary,
    )
    actions.record_action(matter, "Introduced", date=introduced, body=council, source=DEMO)
    actions.record_action(
        matter,
        f"Referred to {committee.name}",
        date=introduced,
        body=council,
        referred_to=committee,
        source=DEMO,
    )
    actions.add_sponsor(matter, wards[demo.sponsor], primary=True, source=DEMO)
    for number, ward in enumerate(demo.cosponsors):
        actions.add_sponsor(
            matter,
            wards[ward],
            sponsored_on=introduced + datetime.timedelta(days=min(number * 3, demo.days_ago)),
            source=DEMO,
        )
    return matter


def _board(demo: DemoMatter, matter: Matter, wards: dict[int, DecisionMaker]) -> WhipBoard | None:
    organization = Organization.objects.filter(slug=demo.organization).first()
    if organization is None:
        return None
    board = WhipBoard.objects.filter(organization=organization, matter=matter).first()
    if board is not None:
        return board
    # The demo's stances are recorded by the organization's first staff member.
    organizer = User.objects.filter(memberships__organization=organization).order_by("pk").first()
    board = actions.create_board(organization, matter, is_public=True, by=organizer)
    sponsors = {demo.sponsor, *demo.cosponsors}
    today = timezone.localdate()
    for days, (ward, value, note) in enumerate(HEARD):
        if (
            ward in sponsors
            or StanceChange.objects.filter(board=board, decision_maker=wards[ward]).exists()
        ):
            continue
        actions.record_stance(
            board,
            wards[ward],
            value=value,
            source=StanceSource.NOTE,
            note=note,
            on=today - datetime.timedelta(days=2 + days),
            by=organizer,
        )
    return board


__all__ = ["ECPS", "MATTERS", "WELCOMING_CITY", "Loaded", "load"]
