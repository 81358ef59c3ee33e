"""Whip boards: stance history, co-sponsorships and roll calls that move stances by
themselves, the projected count against the votes needed, and projection vs outcome."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from groundswell.accounts.models import User
from groundswell.legislation import actions, boards
from groundswell.legislation.models import (
    Matter,
    Stance,
    StanceChange,
    StanceSource,
    StanceValue,
    WhipBoard,
)
from groundswell.organizations.models import Organization
from tests.legislation.conftest import Council

pytestmark = pytest.mark.django_db

DAY = datetime.date(2023, 6, 10)


def stance_of(board: WhipBoard, person: Any) -> str:
    found = Stance.objects.filter(board=board, decision_maker=person).first()
    return found.value if found else StanceValue.UNDECIDED


def elms_roll_call(
    votes: dict[int, str], *, on: str = "2023-07-19", result: str = "Passed"
) -> dict:
    """An eLMS matter file for the `ordinance` fixture with one roll call: {ward: vote}."""
    return {
        "matterId": "whip-test",
        "recordNumber": "O2023-0002065",
        "title": "Empowering Communities for Public Safety",
        "type": "Ordinance",
        "status": result,
        "introductionDate": "2023-06-01T00:00:00",
        "actions": [
            {
                "actionId": "vote-1",
                "actionDate": f"{on}T00:00:00",
                "actionName": "Passed",
                "actionByName": "City Council",
                "result": result,
                "votes": [
                    {"voterName": f"Member {ward}", "vote": vote, "ward": str(ward)}
                    for ward, vote in votes.items()
                ],
            }
        ],
    }


def test_a_stance_change_is_kept_with_its_value_source_date_and_who_recorded_it(
    council: Council, ordinance: Matter, action_now: Organization, organizer: User
) -> None:
    board = actions.create_board(action_now, ordinance, by=organizer)
    member = council.members[12]

    actions.record_stance(
        board,
        member,
        value=StanceValue.LEANING_YES,
        note="Said so at the ward night on Cermak.",
        on=DAY,
        by=organizer,
    )
    actions.record_stance(
        board,
        member,
        value=StanceValue.YES,
        source=StanceSource.LINK,
        url="https://example.org/statement",
        on=DAY + datetime.timedelta(days=3),
        by=organizer,
    )

    history = list(board.changes.filter(decision_maker=member))
    assert [(c.value, c.source, c.on, c.recorded_by) for c in history] == [
        (StanceValue.YES, StanceSource.LINK, DAY + datetime.timedelta(days=3), organizer),
        (StanceValue.LEANING_YES, StanceSource.NOTE, DAY, organizer),
    ]
    assert history[0].url == "https://example.org/statement"
    assert history[1].note == "Said so at the ward night on Cermak."
    assert stance_of(board, member) == StanceValue.YES


def test_the_stance_is_the_latest_dated_change_not_the_latest_recorded(
    council: Council, ordinance: Matter, action_now: Organization
) -> None:
    board = actions.create_board(action_now, ordinance)
    member = council.members[3]
    actions.record_stance(board, member, value=StanceValue.LEANING_NO, note="Heard it", on=DAY)

    # Something older comes to light later: it joins the history, and the stance stays.
    actions.record_stance(
        board, member, value=StanceValue.YES, note="An old newsletter", on=DAY.replace(day=1)
    )

    assert stance_of(board, member) == StanceValue.LEANING_NO
    assert board.changes.filter(decision_maker=member).count() == 2


def test_a_new_board_counts_the_matters_sponsors_as_yes(
    council: Council, ordinance: Matter, action_now: Organization
) -> None:
    actions.add_sponsor(ordinance, council.members[33], primary=True)
    actions.add_sponsor(ordinance, council.members[1], sponsored_on=DAY)

    board = actions.create_board(action_now, ordinance)

    assert stance_of(board, council.members[33]) == StanceValue.YES
    change = board.changes.get(decision_maker=council.members[1])
    assert (change.value, change.source, change.on, change.recorded_by) == (
        StanceValue.YES,
        StanceSource.COSPONSORED,
        DAY,
        None,
    )


def test_a_cosponsor_added_later_moves_to_yes_on_every_board_once(
    council: Council, ordinance: Matter, action_now: Organization, ocad: Organization
) -> None:
    first = actions.create_board(action_now, ordinance)
    second = actions.create_board(ocad, ordinance, is_public=True)
    member = council.members[25]
    actions.record_stance(first, member, value=StanceValue.UNDECIDED, note="No answer", on=DAY)

    actions.add_sponsor(ordinance, member, sponsored_on=DAY + datetime.timedelta(days=1))
    actions.apply_matter_events(ordinance)  # again: nothing more

    for board in (first, second):
        assert stance_of(board, member) == StanceValue.YES
        assert board.changes.filter(source=StanceSource.COSPONSORED).count() == 1


def test_a_sponsor_already_on_record_is_refused(council: Council, ordinance: Matter) -> None:
    actions.add_sponsor(ordinance, council.members[2])

    with pytest.raises(actions.RecordRefused):
        actions.add_sponsor(ordinance, council.members[2])


def test_a_roll_call_sets_each_stance_to_the_vote_cast_once(
    council: Council, ordinance: Matter, action_now: Organization, write: Any
) -> None:
    board = actions.create_board(action_now, ordinance)
    for ward in (4, 5, 6):
        actions.record_stance(
            board, council.members[ward], value=StanceValue.LEANING_YES, note="Said so", on=DAY
        )
    path = write(elms_roll_call({4: "Yea", 5: "Nay", 6: "Absent"}))

    first = actions.import_matters(path)
    again = actions.import_matters(path)

    assert first.stance_changes == 2
    assert again.stance_changes == 0
    assert stance_of(board, council.members[4]) == StanceValue.YES
    assert stance_of(board, council.members[5]) == StanceValue.NO
    # Absent says nothing of where they stand: the stance stays as it was.
    assert stance_of(board, council.members[6]) == StanceValue.LEANING_YES
    voted = board.changes.get(decision_maker=council.members[5], source=StanceSource.VOTED)
    assert voted.on == datetime.date(2023, 7, 19)
    assert voted.roll_call is not None and voted.roll_call.matter == ordinance
    assert StanceChange.objects.filter(board=board, source=StanceSource.VOTED).count() == 2


def test_an_organizers_later_word_stands_after_the_file_is_imported_again(
    council: Council, ordinance: Matter, action_now: Organization, write: Any
) -> None:
    board = actions.create_board(action_now, ordinance)
    path = write(elms_roll_call({7: "Yea"}, on="2023-07-01"))
    actions.import_matters(path)
    actions.record_stance(
        board,
        council.members[7],
        value=StanceValue.LEANING_NO,
        note="Regrets the vote",
        on=datetime.date(2023, 8, 1),
    )

    actions.import_matters(path)

    assert stance_of(board, council.members[7]) == StanceValue.LEANING_NO


def test_the_votes_needed_are_a_majority_of_the_seats_unless_the_board_says(
    council: Council, ordinance: Matter, action_now: Organization
) -> None:
    board = actions.create_board(action_now, ordinance)
    assert board.needed() == 26

    actions.update_board(board, is_public=True, votes_needed=34)  # two thirds, to override
    assert board.needed() == 34


def test_the_projection_counts_yes_and_leaning_yes_against_the_votes_needed(
    council: Council, ordinance: Matter, action_now: Organization
) -> None:
    board = actions.create_board(action_now, ordinance)
    for ward in range(1, 21):
        actions.record_stance(board, council.members[ward], value=StanceValue.YES, note="x")
    for ward in range(21, 25):
        actions.record_stance(board, council.members[ward], value=StanceValue.LEANING_YES, note="x")
    actions.record_stance(board, council.members[50], value=StanceValue.NO, note="x")

    found = boards.members(board)
    count = boards.count(board, found)

    assert len(found) == 50
    assert (count.firm, count.leaning, count.projected, count.needed) == (20, 4, 24, 26)
    assert count.short == 2 and not count.wins
    assert count.by_stance[StanceValue.UNDECIDED] == 25
    assert [g.stance for g in boards.grouped(found)] == ["yes", "leaning_yes", "undecided", "no"]
    assert found[0].office.number == 1 and found[0].latest is not None


def test_after_a_vote_the_board_shows_its_projection_beside_the_outcome(
    council: Council, ordinance: Matter, action_now: Organization, write: Any
) -> None:
    board = actions.create_board(action_now, ordinance)
    before = datetime.date(2023, 7, 1)
    for ward in (1, 2, 3):
        actions.record_stance(
            board, council.members[ward], value=StanceValue.YES, note="x", on=before
        )
    actions.record_stance(
        board, council.members[4], value=StanceValue.LEANING_NO, note="x", on=before
    )
    actions.import_matters(write(elms_roll_call({1: "Yea", 2: "Yea", 3: "Nay", 4: "Yea"})))

    found = boards.members(board)
    outcome = boards.outcome(board, found)

    assert outcome is not None
    assert (outcome.projected, outcome.yes, outcome.needed) == (3, 3, 26)
    assert outcome.roll_call.result == "pass"
    surprises = {d.name: (d.projected, d.vote) for d in outcome.differences}
    assert surprises["Member 3"] == (StanceValue.YES, "no")
    assert surprises["Member 4"] == (StanceValue.LEANING_NO, "yes")
    assert "Member 1" not in surprises
    # 46 members were undecided and did not vote: that is no surprise either.
    assert len(surprises) == 2


def test_an_organization_keeps_one_board_per_matter(
    council: Council, ordinance: Matter, action_now: Organization
) -> None:
    board = actions.create_board(action_now, ordinance)

    with pytest.raises(actions.BoardExists) as refused:
        actions.create_board(action_now, ordinance)

    assert refused.value.board == board
