"""Reading a whip board: its members with their stances, the projected count against
the votes needed, and, once the body has voted, the projection beside the outcome.

Nothing here writes; the board's pages (public and organizer) both read through it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from groundswell.legislation import registry
from groundswell.legislation.models import (
    PROJECTED_YES,
    STANCE_ORDER,
    DecisionMaker,
    Office,
    RollCall,
    StanceChange,
    StanceValue,
    Term,
    VoteOption,
    WhipBoard,
)


@dataclass
class Member:
    """A member of the board's body, where they stand, and why."""

    decision_maker: DecisionMaker
    office: Office
    stance: str = StanceValue.UNDECIDED
    latest: StanceChange | None = None
    signers: int | None = None

    @property
    def stance_label(self) -> str:
        return str(StanceValue(self.stance).label)


@dataclass
class Group:
    stance: str
    label: str
    members: list[Member]


@dataclass
class Count:
    """How many stand where, and what that projects against the votes needed."""

    by_stance: dict[str, int]
    needed: int
    seats: int

    @property
    def firm(self) -> int:
        return self.by_stance.get(StanceValue.YES, 0)

    @property
    def leaning(self) -> int:
        return self.by_stance.get(StanceValue.LEANING_YES, 0)

    @property
    def projected(self) -> int:
        """Yes and leaning yes: the votes the matter would get if it were called now."""
        return self.firm + self.leaning

    @property
    def short(self) -> int:
        return max(0, self.needed - self.projected)

    @property
    def wins(self) -> bool:
        return self.needed > 0 and self.projected >= self.needed


@dataclass
class Difference:
    name: str
    office: str
    projected: str  # a StanceValue
    vote: str  # a VoteOption, or "" for a member who did not vote

    @property
    def projected_label(self) -> str:
        return str(StanceValue(self.projected).label)

    @property
    def vote_label(self) -> str:
        return str(VoteOption(self.vote).label) if self.vote else ""


@dataclass
class Outcome:
    """The body's latest roll call on the matter beside the board's count before it."""

    roll_call: RollCall
    tally: dict[str, int]
    needed: int
    projected: int
    differences: list[Difference] = field(default_factory=list)

    @property
    def yes(self) -> int:
        return self.tally.get(VoteOption.YES, 0)


def members(board: WhipBoard, *, on: datetime.date | None = None) -> list[Member]:
    """The body's members on the day `on` (today), by ward, with their stances; each
    with their ward's verified signers when a provider counts them (registry)."""
    body = board.body()
    if body is None:
        return []
    terms = (
        Term.objects.current(on)
        .seated()
        .filter(body=body)
        .select_related("decision_maker", "office", "office__district")
        .order_by("office__number", "office__label", "pk")
    )
    stances = dict(board.stances.values_list("decision_maker_id", "value"))
    latest: dict[int, StanceChange] = {}
    for change in board.changes.select_related("recorded_by"):
        latest.setdefault(change.decision_maker_id, change)  # newest first
    signers = registry.signers_by_ward(board)
    found: list[Member] = []
    seen: set[int] = set()
    for term in terms:
        person, office = term.decision_maker, term.office
        if office is None or person.pk in seen:
            continue
        seen.add(person.pk)
        found.append(
            Member(
                decision_maker=person,
                office=office,
                stance=stances.get(person.pk, StanceValue.UNDECIDED),
                latest=latest.get(person.pk),
                signers=(
                    signers.get(office.division_id, 0)
                    if signers is not None and office.division_id
                    else None
                ),
            )
        )
    return found


def grouped(found: list[Member]) -> list[Group]:
    """Members by stance, yes first; empty stances left out."""
    return [
        Group(value, str(StanceValue(value).label), [m for m in found if m.stance == value])
        for value in STANCE_ORDER
        if any(m.stance == value for m in found)
    ]


def count(board: WhipBoard, found: list[Member]) -> Count:
    by_stance = dict.fromkeys(STANCE_ORDER, 0)
    for member in found:
        by_stance[member.stance] += 1
    body = board.body()
    return Count(
        by_stance=by_stance,
        needed=board.needed(),
        seats=body.seat_count() if body is not None else len(found),
    )


def stances_before(board: WhipBoard, day: datetime.date) -> dict[int, str]:
    """Each member's stance as the board had it before `day`."""
    before: dict[int, str] = {}
    for person, value in board.changes.filter(on__lt=day).values_list("decision_maker_id", "value"):
        before.setdefault(person, value)  # newest first
    return before


def _side(value: str) -> str:
    if value in PROJECTED_YES or value == VoteOption.YES:
        return "yes"
    if value in (StanceValue.NO, StanceValue.LEANING_NO, VoteOption.NO):
        return "no"
    return ""


def outcome(board: WhipBoard, found: list[Member]) -> Outcome | None:
    """The projection against the outcome of the body's latest roll call on the
    matter, or None before any vote. The members listed under `differences` are
    those who voted otherwise than the board expected the day before."""
    body = board.body()
    roll_calls = board.matter.roll_calls.order_by("-date", "-pk")
    roll_call = (roll_calls.filter(body=body).first() if body is not None else None) or (
        roll_calls.first()
    )
    if roll_call is None:
        return None
    before = stances_before(board, roll_call.date)
    votes = {
        v.decision_maker_id: v
        for v in roll_call.votes.select_related("decision_maker")
        if v.decision_maker_id is not None
    }
    offices = {m.decision_maker.pk: m.office.title() for m in found}
    people = {m.decision_maker.pk: m.decision_maker for m in found}
    people.update({pk: v.decision_maker for pk, v in votes.items() if v.decision_maker})
    projected = 0
    differences = []
    for pk, person in sorted(people.items(), key=lambda item: item[1].sort_name or item[1].name):
        expected = before.get(pk, StanceValue.UNDECIDED)
        projected += expected in PROJECTED_YES
        vote = votes[pk].option if pk in votes else ""
        if _side(expected) != _side(vote):
            differences.append(Difference(person.name, offices.get(pk, ""), expected, vote))
    return Outcome(
        roll_call=roll_call,
        tally=roll_call.tally(),
        needed=roll_call.needed or board.needed(),
        projected=projected,
        differences=differences,
    )
