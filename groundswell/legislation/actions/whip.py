"""Writes to whip boards: creating one, its settings, and each stance change.

A co-sponsorship or a roll call changes stances by itself (apply_matter_events), through
the same record_stance an organizer's change goes through, so the history reads the
same whoever wrote it. Each sponsorship and each roll call is applied to a member once
(the unique constraints on StanceChange), which is why importing a file twice, or
adding the same sponsor again, changes nothing.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groundswell.accounts.models import User
from groundswell.legislation.models import (
    DecisionMaker,
    Matter,
    RollCall,
    Sponsorship,
    Stance,
    StanceChange,
    StanceSource,
    StanceValue,
    Term,
    VoteOption,
    WhipBoard,
)
from groundswell.organizations.models import Organization

VOTE_STANCES: dict[str, str] = {VoteOption.YES: StanceValue.YES, VoteOption.NO: StanceValue.NO}


class BoardExists(ValueError):
    """The organization already keeps a whip board for this matter."""

    def __init__(self, board: WhipBoard) -> None:
        super().__init__(_("Your organization already keeps a whip board for this matter."))
        self.board = board


def create_board(
    organization: Organization,
    matter: Matter,
    *,
    is_public: bool = False,
    votes_needed: int | None = None,
    by: User | None = None,
) -> WhipBoard:
    """Start an organization's whip board on a matter. Its sponsors and recorded votes
    are counted at once (apply_matter_events). Raises BoardExists for a second one."""
    existing = WhipBoard.objects.filter(organization=organization, matter=matter).first()
    if existing is not None:
        raise BoardExists(existing)
    try:
        with transaction.atomic():
            board = WhipBoard.objects.create(
                organization=organization,
                matter=matter,
                is_public=is_public,
                votes_needed=votes_needed,
                created_by=by,
            )
            apply_board_events(board)
    except IntegrityError:
        # Another request made it between the check and the insert.
        raise BoardExists(WhipBoard.objects.get(organization=organization, matter=matter)) from None
    return board


def update_board(board: WhipBoard, *, is_public: bool, votes_needed: int | None) -> WhipBoard:
    """Make the board public or private, and set the votes it needs (None: a majority)."""
    board.is_public = is_public
    board.votes_needed = votes_needed
    board.save(update_fields=["is_public", "votes_needed"])
    return board


def record_stance(
    board: WhipBoard,
    decision_maker: DecisionMaker,
    *,
    value: str,
    source: str = StanceSource.NOTE,
    note: str = "",
    url: str = "",
    on: datetime.date | None = None,
    by: User | None = None,
    sponsorship: Sponsorship | None = None,
    roll_call: RollCall | None = None,
) -> StanceChange | None:
    """Add a change to a member's stance history on the board, and make it their
    stance unless a change dated later is already there. A change from a sponsorship
    or roll call already applied to this member is not added again (None)."""
    if value not in StanceValue.values:
        raise ValueError(f"Not a stance: {value!r}")
    on = on or timezone.localdate()
    try:
        with transaction.atomic():
            # One writer per board at a time: a member's first Stance row is made once.
            WhipBoard.objects.select_for_update().filter(pk=board.pk).first()
            change = StanceChange.objects.create(
                board=board,
                decision_maker=decision_maker,
                value=value,
                source=source,
                note=note,
                url=url,
                on=on,
                recorded_by=by,
                sponsorship=sponsorship,
                roll_call=roll_call,
            )
            stance = (
                Stance.objects.select_for_update()
                .filter(board=board, decision_maker=decision_maker)
                .first()
            )
            if stance is None:
                Stance.objects.create(
                    board=board,
                    decision_maker=decision_maker,
                    value=value,
                    as_of=on,
                    changed_at=change.recorded_at,
                )
            elif on >= stance.as_of:
                stance.value, stance.as_of, stance.changed_at = value, on, change.recorded_at
                stance.save(update_fields=["value", "as_of", "changed_at"])
    except IntegrityError:
        if sponsorship is None and roll_call is None:
            raise
        return None  # applied already, by this call's twin
    return change


def _members(board: WhipBoard) -> set[int]:
    """Who the board counts: everyone who holds, or held, a seat in its body."""
    body = board.body()
    if body is None:
        return set()
    return set(Term.objects.seated().filter(body=body).values_list("decision_maker_id", flat=True))


def apply_board_events(board: WhipBoard) -> int:
    """Turn the matter's sponsorships and roll calls into stance changes on the board,
    once each: a sponsor or co-sponsor stands at yes ("co-sponsored"), a member who
    voted yes or no at that vote ("voted"). An abstention, an absence or an excused
    member says nothing about where they stand, so it changes nothing. Returns how
    many changes were added."""
    members = _members(board)
    applied_sponsorships = set(
        StanceChange.objects.filter(board=board, sponsorship__isnull=False).values_list(
            "decision_maker_id", "sponsorship_id"
        )
    )
    applied_votes = set(
        StanceChange.objects.filter(board=board, roll_call__isnull=False).values_list(
            "decision_maker_id", "roll_call_id"
        )
    )
    matter = board.matter
    added = 0
    sponsorships = matter.sponsorships.filter(decision_maker__isnull=False).select_related(
        "decision_maker"
    )
    for sponsorship in sponsorships:
        assert sponsorship.decision_maker is not None
        person = sponsorship.decision_maker
        if person.pk not in members or (person.pk, sponsorship.pk) in applied_sponsorships:
            continue
        change = record_stance(
            board,
            person,
            value=StanceValue.YES,
            source=StanceSource.COSPONSORED,
            on=sponsorship.sponsored_on or matter.introduced_on or timezone.localdate(),
            sponsorship=sponsorship,
        )
        added += change is not None
    roll_calls = matter.roll_calls.prefetch_related("votes__decision_maker").order_by("date", "pk")
    for roll_call in roll_calls:
        for vote in roll_call.votes.all():
            value = VOTE_STANCES.get(vote.option)
            voter = vote.decision_maker
            if value is None or voter is None or voter.pk not in members:
                continue
            if (voter.pk, roll_call.pk) in applied_votes:
                continue
            change = record_stance(
                board,
                voter,
                value=value,
                source=StanceSource.VOTED,
                note=roll_call.motion[:500],
                on=roll_call.date,
                roll_call=roll_call,
            )
            added += change is not None
    return added


def apply_matter_events(matter: Matter) -> int:
    """apply_board_events for every board that follows the matter (after an import
    or a new sponsor)."""
    return sum(apply_board_events(board) for board in matter.whip_boards.all())
