"""Importing matters from OCD bill JSON and Chicago City Clerk eLMS matter JSON."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from groundswell.legislation import actions
from groundswell.legislation.models import (
    Body,
    DecisionMaker,
    Matter,
    MatterAction,
    MatterKind,
    Referral,
    Revision,
    RevisionSource,
    RollCall,
    Sponsorship,
    Vote,
    VoteOption,
)
from tests.legislation.conftest import (
    BILL,
    BILL_ID,
    ELMS,
    HARPER,
    MATTER_ID,
    NOVAK,
    PEOPLE,
    REYES,
    SAFETY_ID,
    VOTE_ID,
    FileServer,
    document,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(write: Any) -> None:
    actions.import_people(write(PEOPLE))


def snapshot() -> dict[str, Any]:
    """Every row a matters import writes: equal snapshots mean nothing was written."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Body, Matter, Sponsorship, Referral, MatterAction, RollCall, Vote, Revision)
    }


def test_an_ocd_bill_comes_with_its_sponsors_referrals_actions_and_votes(
    people: None, write: Any
) -> None:
    result = actions.import_matters(write(BILL))

    assert result.created == {"matters": 1}
    matter = Matter.objects.get(ocd_id=BILL_ID)
    assert matter.record_number == "O2023-0002065"
    assert matter.slug == "o2023-0002065"
    assert matter.kind == MatterKind.ORDINANCE
    assert matter.introduced_on == datetime.date(2023, 5, 24)
    assert matter.status == "Passed"  # the last action, OCD having no status of its own
    assert matter.summary == "Removes the exceptions from the ordinance."
    assert matter.source_url == "https://example.org/legislation/O2023-0002065"
    assert matter.body is not None and matter.body.name == "Chicago City Council"
    primary, cosponsor = matter.sponsorships.select_related("decision_maker")
    assert primary.primary and primary.decision_maker == DecisionMaker.objects.get(ocd_id=REYES)
    assert not cosponsor.primary
    assert cosponsor.decision_maker == DecisionMaker.objects.get(ocd_id=NOVAK)  # by name
    assert [r.committee.ocd_id for r in matter.referrals.all()] == [SAFETY_ID]
    assert list(matter.actions.values_list("position", "date", "description")) == [
        (0, datetime.date(2023, 5, 24), "Introduced"),
        (1, datetime.date(2023, 5, 24), "Referred"),
        (2, datetime.date(2023, 7, 19), "Passed"),
    ]
    roll_call = matter.roll_calls.get()
    assert (roll_call.key, roll_call.result, roll_call.needed) == (VOTE_ID, "pass", 2)
    assert roll_call.action is not None and roll_call.action.description == "Passed"
    assert roll_call.tally() == {"yes": 1, "no": 1, "abstain": 0, "absent": 0, "excused": 1}
    votes = {
        v.decision_maker.ocd_id: v.option for v in roll_call.votes.select_related("decision_maker")
    }
    assert votes == {REYES: VoteOption.YES, NOVAK: VoteOption.NO, HARPER: VoteOption.EXCUSED}


def test_importing_an_ocd_file_twice_changes_nothing(people: None, write: Any) -> None:
    path = write({"bills": [document(BILL)]})
    actions.import_matters(path)
    before = snapshot()

    result = actions.import_matters(path)

    assert not result.changed
    assert result.unchanged == {"matters": 1}
    assert snapshot() == before


def test_vote_events_beside_the_bills_find_their_bill(people: None, write: Any) -> None:
    bill = document(BILL)
    event = bill.pop("vote_events")[0]
    event["bill"] = "O2023-0002065"

    actions.import_matters(write({"bills": [bill], "vote_events": [event]}))

    assert RollCall.objects.get().key == VOTE_ID


def test_an_elms_matter_comes_with_its_sponsors_referral_actions_and_votes(
    people: None, write: Any
) -> None:
    actions.import_matters(write(ELMS))

    matter = Matter.objects.get(elms_id=MATTER_ID)
    assert (matter.record_number, matter.kind, matter.status) == (
        "R2023-0001234",
        MatterKind.RESOLUTION,
        "Adopted",
    )
    assert matter.introduced_on == datetime.date(2023, 6, 21)
    assert matter.source_url.endswith(f"?matterId={MATTER_ID}")
    # "City Council" is the one legislature on record, "Chicago City Council".
    assert matter.body is not None and matter.body.name == "Chicago City Council"
    sponsors = {s.name: (s.primary, s.decision_maker) for s in matter.sponsorships.all()}
    assert sponsors == {
        "Reyes, Daniela": (True, DecisionMaker.objects.get(ocd_id=REYES)),
        # "T. Novak" is no name on record: the holder of ward 2 that day is.
        "T. Novak": (False, DecisionMaker.objects.get(ocd_id=NOVAK)),
    }
    assert [r.committee.name for r in matter.referrals.all()] == ["Committee on Public Safety"]
    roll_call = matter.roll_calls.get()
    assert (roll_call.key, roll_call.date, roll_call.result) == (
        "elms:act-2",
        datetime.date(2023, 7, 19),
        "pass",
    )
    assert roll_call.tally()["absent"] == 1
    assert all(v.decision_maker is not None for v in roll_call.votes.all())


def test_importing_an_elms_file_twice_changes_nothing(people: None, write: Any) -> None:
    path = write({"data": [document(ELMS)]})
    actions.import_matters(path)
    before = snapshot()

    result = actions.import_matters(path)

    assert not result.changed
    assert snapshot() == before


def test_a_changed_elms_file_updates_the_matter_in_place_and_records_what_changed(
    people: None, write: Any
) -> None:
    actions.import_matters(write(ELMS))
    matter = Matter.objects.get(elms_id=MATTER_ID)
    roll_call = matter.roll_calls.get()
    changed = document(ELMS)
    changed["status"] = "Passed as amended"
    changed["actions"][1]["votes"][2]["vote"] = "Yea"  # Lee Harper's vote was mis-entered
    changed["sponsors"].append({"sponsorName": "Harper, Lee", "sponsorType": "CoSponsor"})

    result = actions.import_matters(write(changed))

    assert result.updated == {"matters": 1}
    assert Matter.objects.count() == 1
    matter.refresh_from_db()
    assert matter.status == "Passed as amended"
    assert matter.roll_calls.get().pk == roll_call.pk  # the same roll call, its votes updated
    assert roll_call.tally() == {"yes": 2, "no": 1, "abstain": 0, "absent": 0, "excused": 0}
    assert matter.sponsorships.count() == 3
    revision = matter.revisions.first()
    assert revision is not None and revision.source == RevisionSource.IMPORT
    assert revision.changes["status"] == {"from": "Adopted", "to": "Passed as amended"}
    assert revision.changes["sponsors"]["to"] == "Reyes, Daniela; T. Novak; Harper, Lee"
    assert "roll calls" in revision.changes


def test_a_matter_made_by_hand_is_adopted_by_its_record_number(people: None, write: Any) -> None:
    by_hand = actions.save_matter(None, record_number="R2023-0001234", title="A hearing")

    actions.import_matters(write(ELMS))

    by_hand.refresh_from_db()
    assert by_hand.elms_id == MATTER_ID
    assert by_hand.title == ELMS["title"]
    assert Matter.objects.count() == 1


def test_voters_the_records_lack_keep_their_names(write: Any) -> None:
    actions.import_matters(write(ELMS))  # no people imported

    roll_call = RollCall.objects.get()
    assert sorted(roll_call.votes.values_list("voter_name", flat=True)) == [
        "Harper, Lee",
        "Novak, Tomas",
        "Reyes, Daniela",
    ]
    assert not roll_call.votes.filter(decision_maker__isnull=False).exists()


def test_a_bad_elms_file_is_refused_with_every_problem_and_changes_nothing(
    people: None, write: Any
) -> None:
    bad = document(ELMS)
    bad["actions"][1]["votes"][0]["vote"] = "Maybe"
    bad["actions"][1]["votes"][1]["voterName"] = "Reyes, Daniela"
    bad["introductionDate"] = "June 21"
    bad["sponsors"][0]["ward"] = "First"
    second = document(ELMS)
    second.pop("matterId")
    before = snapshot()

    with pytest.raises(actions.LegislationFileError) as refused:
        actions.import_matters(write([bad, second]))

    problems = "\n".join(refused.value.problems)
    assert "“maybe” is not a vote" in problems
    assert "Reyes, Daniela votes twice." in problems
    assert "matters[0].introductionDate: “June 21” is not a date" in problems
    assert "“First” is not a ward number." in problems
    assert "matters[1].matterId: is missing." in problems
    assert snapshot() == before


def test_a_bad_ocd_file_is_refused_with_every_problem(write: Any) -> None:
    bad = document(BILL)
    bad["title"] = ""
    other = document(BILL)
    other["vote_events"][0]["votes"][0]["option"] = "sort of"
    other["vote_events"][0].pop("start_date")

    with pytest.raises(actions.LegislationFileError) as refused:
        actions.import_matters(write([bad, other]))

    problems = "\n".join(refused.value.problems)
    assert "bills[0].title: is empty." in problems or "bills[0].title: is missing." in problems
    assert "bills[1].vote_events[0].start_date: is missing." in problems or (
        "bills[1].votes[0].start_date: is missing." in problems
    )
    assert not Matter.objects.exists()


def test_the_same_matter_twice_in_a_file_is_refused(write: Any) -> None:
    with pytest.raises(actions.LegislationFileError) as refused:
        actions.import_matters(write([document(ELMS), document(ELMS)]))

    assert f"The matter elms:{MATTER_ID} is in the file twice." in refused.value.problems


def test_a_matters_file_from_a_url(people: None, file_server: FileServer) -> None:
    file_server.body = json.dumps(ELMS).encode()

    result = actions.import_matters(file_server.url("/matter/1"), format="elms")

    assert result.created == {"matters": 1}


def test_the_command_imports_and_reports(people: None, write: Any) -> None:
    path = str(write(BILL))
    out = StringIO()

    call_command("import_matters", path, "--format", "ocd", stdout=out)
    call_command("import_matters", path, stdout=out)

    assert "matters: 1 new, 0 updated, 0 unchanged" in out.getvalue()
    assert "Already up to date: nothing changed." in out.getvalue()


def test_the_command_refuses_a_file_without_matters(write: Any) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("import_matters", str(write([])))

    assert "The file holds no matters." in str(refused.value)
