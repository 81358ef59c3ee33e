"""Importing decision makers, offices and terms from Popolo / OCD JSON."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from groundswell.core.network import InsideTransaction
from groundswell.districts import actions as district_actions
from groundswell.districts.models import DistrictSet
from groundswell.legislation import actions
from groundswell.legislation.models import (
    Body,
    Classification,
    DecisionMaker,
    Office,
    Revision,
    RevisionSource,
    Term,
)
from tests.legislation.conftest import (
    COUNCIL_ID,
    HARPER,
    NOVAK,
    PEOPLE,
    REYES,
    SAFETY_ID,
    TERM_START,
    WARD,
    WARDS_FILE,
    FileServer,
    document,
    post_id,
)

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, Any]:
    """Every row an import writes, with its last-changed time: equal snapshots mean
    nothing was written."""
    return {
        "bodies": list(Body.objects.order_by("pk").values()),
        "offices": list(Office.objects.order_by("pk").values()),
        "people": list(DecisionMaker.objects.order_by("pk").values()),
        "terms": list(Term.objects.order_by("pk").values()),
        "revisions": list(Revision.objects.order_by("pk").values_list("pk", flat=True)),
    }


def test_a_popolo_file_makes_bodies_offices_people_and_terms(
    wards: DistrictSet, write: Any
) -> None:
    result = actions.import_people(write(PEOPLE))

    assert result.created == {"bodies": 2, "offices": 3, "decision makers": 3, "terms": 4}
    council = Body.objects.get(ocd_id=COUNCIL_ID)
    assert council.classification == Classification.LEGISLATURE
    assert Body.objects.get(ocd_id=SAFETY_ID).parent == council
    office = Office.objects.get(ocd_id=post_id(1))
    assert (office.body, office.number, office.division_id) == (council, 1, WARD.format(1))
    assert office.district is not None and office.district.division_id == WARD.format(1)
    assert office.district.set == wards
    reyes = DecisionMaker.objects.get(ocd_id=REYES)
    assert (reyes.name, reyes.sort_name) == ("Daniela Reyes", "Reyes, Daniela")
    assert reyes.phone == "773-555-0101"
    assert reyes.email == "ward01@example.org"
    assert reyes.office_address == "1 W Example St\nChicago, IL 60622"
    assert reyes.website == "https://example.org/ward1"
    assert reyes.photo_url == "https://example.org/photos/reyes.jpg"
    assert reyes.picture == ""  # linked from the page, never embedded from elsewhere
    term = Term.objects.get(decision_maker=reyes)
    assert (term.office, term.start_date, term.end_date) == (
        office,
        datetime.date(2023, 5, 15),
        None,
    )
    chair = Term.objects.get(decision_maker__ocd_id=NOVAK, body__ocd_id=SAFETY_ID)
    assert chair.office is None and chair.is_chair()
    assert chair.start_date == datetime.date(2023, 6, 1)  # "2023-06": its first day
    assert list(
        DecisionMaker.objects.in_office().order_by("name").values_list("name", flat=True)
    ) == [
        "Daniela Reyes",
        "Lee Harper",
        "Tomas Novak",
    ]
    revision = Revision.objects.filter(decision_maker=reyes, subject="decision maker").get()
    assert revision.source == RevisionSource.IMPORT
    assert revision.changes["name"] == {"to": "Daniela Reyes"}


def test_party_organizations_and_memberships_are_left_out(write: Any) -> None:
    actions.import_people(write(PEOPLE))

    assert not Body.objects.filter(name="Democratic").exists()
    assert Term.objects.filter(decision_maker__ocd_id=REYES).count() == 1


def test_importing_the_same_file_twice_changes_nothing(write: Any) -> None:
    path = write(PEOPLE)
    actions.import_people(path)
    before = snapshot()

    result = actions.import_people(path)

    assert not result.changed
    assert result.unchanged == {"bodies": 2, "offices": 3, "decision makers": 3, "terms": 4}
    assert snapshot() == before


def test_a_changed_file_updates_in_place_and_records_what_changed(write: Any) -> None:
    actions.import_people(write(PEOPLE))
    changed = document(PEOPLE)
    changed["persons"][0]["contact_details"][0]["value"] = "773-555-0199"
    changed["memberships"][2]["end_date"] = "2024-01-31"  # Lee Harper resigns
    people_before = DecisionMaker.objects.count()

    result = actions.import_people(write(changed))

    assert result.updated == {"decision makers": 1, "terms": 1}
    assert DecisionMaker.objects.count() == people_before
    reyes = DecisionMaker.objects.get(ocd_id=REYES)
    assert reyes.phone == "773-555-0199"
    latest = reyes.revisions.first()
    assert latest is not None and latest.source == RevisionSource.IMPORT
    assert latest.changes == {"phone": {"from": "773-555-0101", "to": "773-555-0199"}}
    harper = DecisionMaker.objects.get(ocd_id=HARPER)
    assert Term.objects.get(decision_maker=harper).end_date == datetime.date(2024, 1, 31)
    term_change = harper.revisions.filter(subject="term").first()
    assert term_change is not None
    assert term_change.changes == {"until": {"from": "", "to": "2024-01-31"}}
    assert harper not in DecisionMaker.objects.in_office(datetime.date(2024, 2, 1))


def test_what_a_file_leaves_out_is_left_as_it_is(write: Any) -> None:
    actions.import_people(write(PEOPLE))
    novak = DecisionMaker.objects.get(ocd_id=NOVAK)
    actions.save_decision_maker(novak, email="ward02@example.org")

    actions.import_people(write(PEOPLE))

    assert DecisionMaker.objects.get(ocd_id=NOVAK).email == "ward02@example.org"


def test_a_record_made_by_hand_is_adopted_by_its_name(write: Any) -> None:
    by_hand = actions.save_decision_maker(None, name="Lee Harper", phone="773-555-0303")
    council = actions.save_body(None, name="Chicago City Council", classification="legislature")

    actions.import_people(write(PEOPLE))

    by_hand.refresh_from_db()
    assert by_hand.ocd_id == HARPER
    assert by_hand.phone == "773-555-0303"
    assert DecisionMaker.objects.filter(name="Lee Harper").count() == 1
    council.refresh_from_db()
    assert council.ocd_id == COUNCIL_ID


def test_memberships_inline_in_persons_as_the_ocd_api_gives_them(write: Any) -> None:
    inline = {
        "persons": [
            {
                "id": REYES,
                "name": "Daniela Reyes",
                "memberships": [
                    {
                        "organization": {
                            "id": COUNCIL_ID,
                            "name": "Chicago City Council",
                            "classification": "legislature",
                        },
                        "post": {
                            "id": post_id(1),
                            "label": "Ward 1",
                            "division_id": WARD.format(1),
                        },
                        "role": "Alderman",
                        "start_date": "2023-05-15",
                        "end_date": "",
                    },
                    {
                        "organization": {
                            "id": PARTY_ID_INLINE,
                            "name": "Party",
                            "classification": "party",
                        },
                        "role": "member",
                    },
                ],
            }
        ]
    }

    actions.import_people(write(inline))

    term = Term.objects.select_related("office", "body").get(decision_maker__ocd_id=REYES)
    assert term.body.ocd_id == COUNCIL_ID
    assert term.office is not None and term.office.number == 1


PARTY_ID_INLINE = "ocd-organization/00000000-0000-4000-8000-00000000c0c9"


def test_a_bad_file_is_refused_with_every_problem_and_changes_nothing(write: Any) -> None:
    bad = document(PEOPLE)
    bad["persons"][1]["name"] = ""
    bad["persons"][2]["image"] = "javascript:alert(1)"
    bad["posts"][0]["organization_id"] = "ocd-organization/nowhere"
    bad["memberships"][0]["start_date"] = "15 May 2023"
    bad["memberships"][1]["person_id"] = "ocd-person/nobody"
    bad["memberships"].append(dict(bad["memberships"][2]))  # the same id twice

    with pytest.raises(actions.LegislationFileError) as refused:
        actions.import_people(write(bad))

    problems = "\n".join(refused.value.problems)
    assert "persons[1].name: is empty." in problems or "persons[1].name: is missing." in problems
    assert "persons[2].image: is not an http:// or https:// address." in problems
    assert "its organization ocd-organization/nowhere is unknown" in problems
    assert "“15 May 2023” is not a date" in problems
    assert "the person ocd-person/nobody is unknown" in problems
    assert "is given twice" in problems
    assert not Body.objects.exists() and not DecisionMaker.objects.exists()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"\xff\xfe not text", "The file is not UTF-8 text."),
        (b'{"persons": [', "The file is not JSON"),
        (b"[1, 2]", "The file must be a JSON object"),
        (b'{"people": []}', "The file has none of organizations, posts, persons or memberships."),
        (b'{"persons": {"id": 1}}', "persons: is not a list."),
    ],
)
def test_a_file_that_is_not_popolo_says_so(write: Any, content: bytes, problem: str) -> None:
    with pytest.raises(actions.LegislationFileError) as refused:
        actions.import_people(write(content))

    assert problem in refused.value.problems[0]


def test_a_file_over_the_size_limit_is_refused_unread(write: Any, settings: Any) -> None:
    settings.LEGISLATION_IMPORT_MAX_MB = 0.001  # about 1 KB
    path = write({"persons": [{"id": f"p{n}", "name": "x" * 40} for n in range(100)]})

    with pytest.raises(actions.LegislationFileError) as refused:
        actions.import_people(path)

    assert "larger than" in refused.value.problems[0]


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(actions.LegislationFileError) as refused:
        actions.import_people(tmp_path / "nowhere.json")

    assert "cannot be read" in refused.value.problems[0]


# --- From a URL ----------------------------------------------------------------------------


def test_a_url_is_fetched_and_imported(file_server: FileServer) -> None:
    file_server.body = json.dumps(PEOPLE).encode()

    result = actions.import_people(file_server.url())

    assert result.created["decision makers"] == 3
    assert result.source == file_server.url()


@pytest.mark.parametrize(
    ("behaviour", "problem"),
    [("404", "answered HTTP 404"), ("slow", "did not answer within"), ("trickle", "within")],
)
def test_a_url_that_fails_changes_nothing(
    file_server: FileServer, settings: Any, behaviour: str, problem: str
) -> None:
    settings.LEGISLATION_IMPORT_TIMEOUT = 0.5
    file_server.body = json.dumps(PEOPLE).encode()
    file_server.behaviour = behaviour

    with pytest.raises(actions.LegislationFileError) as refused:
        actions.import_people(file_server.url())

    assert problem in refused.value.problems[0]
    assert not DecisionMaker.objects.exists()


def test_a_url_answer_over_the_size_limit_is_cut_off(
    file_server: FileServer, settings: Any
) -> None:
    settings.LEGISLATION_IMPORT_MAX_MB = 0.001
    file_server.body = json.dumps({"persons": [{"id": "x", "name": "y" * 5000}]}).encode()

    with pytest.raises(actions.LegislationFileError) as refused:
        actions.import_people(file_server.url())

    assert "larger than" in refused.value.problems[0]


def test_a_url_is_never_fetched_inside_a_transaction(file_server: FileServer) -> None:
    file_server.body = json.dumps(PEOPLE).encode()

    with pytest.raises(InsideTransaction), transaction.atomic():
        actions.import_people(file_server.url())


# --- The command ---------------------------------------------------------------------------


def test_the_command_reports_what_it_did_and_then_that_nothing_changed(write: Any) -> None:
    path = str(write(PEOPLE))
    out = StringIO()

    call_command("import_people", path, stdout=out)
    call_command("import_people", path, stdout=out)

    report = out.getvalue()
    assert "decision makers: 3 new, 0 updated, 0 unchanged" in report
    assert "decision makers: 0 new, 0 updated, 3 unchanged" in report
    assert "Already up to date: nothing changed." in report


def test_the_command_refuses_a_bad_file_with_its_problems(write: Any) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("import_people", str(write({"persons": [{"id": "x"}]})))

    assert "was not imported; nothing changed." in str(refused.value)
    assert "persons[0].name: is missing." in str(refused.value)


def test_offices_made_before_the_ward_map_are_linked_once_it_is_imported(write: Any) -> None:
    actions.import_people(write(PEOPLE))
    assert not Office.objects.filter(district__isnull=False).exists()

    district_actions.import_districts(WARDS_FILE, "chicago-wards-2023", valid_from=TERM_START)

    assert actions.link_wards() == 3
    assert actions.link_wards() == 0
    office = Office.objects.get(ocd_id=post_id(2))
    assert office.district is not None and office.district.number == 2
