"""Campaign finance: the ISBE bulk-file import (tracked committees only, a duplicated
receipt, an amended report, a malformed row), donors proposed as one and confirmed by
an organizer (never merged silently), and the money behind decision makers and a
whip board's columns."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from groundswell.campaigns.models import Campaign
from groundswell.legislation import actions as legislation
from groundswell.legislation.models import Classification, DecisionMaker, StanceValue
from groundswell.organizations.models import Organization
from groundswell.research import money
from groundswell.research.actions import ResearchRefused, donors, finance
from groundswell.research.models import Committee, Donor, DonorMatch, MatchState, Receipt
from tests.conftest import login
from tests.research.conftest import DATA

pytestmark = pytest.mark.django_db

ISBE = DATA / "isbe"


@pytest.fixture
def members(db: None) -> dict[int, DecisionMaker]:
    return {
        ward: legislation.save_decision_maker(None, name=f"Ward {ward} Alderperson")
        for ward in (3, 20, 42)
    }


@pytest.fixture
def imported(members: dict[int, DecisionMaker]) -> finance.Imported:
    finance.import_committees(
        ISBE / "Committees.txt", ISBE / "Candidates.txt", ISBE / "CmteCandidateLinks.txt"
    )
    return finance.import_receipts(ISBE / "Receipts.txt")


def tops(person: DecisionMaker) -> list[tuple[str, Decimal]]:
    return [(t.donor.name, t.total) for t in money.for_decision_maker(person).top]


def test_only_tracked_decision_makers_committees_are_kept(
    members: dict[int, DecisionMaker], imported: finance.Imported
) -> None:
    assert dict(Committee.objects.values_list("isbe_id", "decision_maker")) == {
        5001: members[3].pk,
        5002: members[20].pk,
        5003: members[42].pk,
    }


def test_the_receipts_import_handles_isbes_quirks(imported: finance.Imported) -> None:
    assert (imported.read, imported.stored, imported.skipped) == (10, 7, 1)
    assert (imported.duplicates, imported.archived) == (1, 1)
    assert [line for line, _message in imported.errors] == [11]
    assert Receipt.objects.count() == 7
    assert Donor.objects.get(receipts__isbe_id=9006).name == "Elena Muñoz"  # Latin-1
    again = finance.import_receipts(ISBE / "Receipts.txt")
    assert (again.stored, Receipt.objects.count(), again.donors_created) == (7, 7, 0)


def test_an_amended_report_counts_once(
    members: dict[int, DecisionMaker], imported: finance.Imported
) -> None:
    found = money.for_decision_maker(members[3])
    assert found.total == Decimal("9000.00")  # the archived 2,500 is not counted twice
    assert found.by_kind == [
        ("Political committee", Decimal("5000.00")),
        ("Business or organization", Decimal("2500.00")),
        ("Individual", Decimal("1500.00")),
    ]
    assert found.by_year == [(2022, Decimal("9000.00"))]
    amendment = finance.rows_of(
        [
            (ISBE / "Receipts.txt").read_text("latin-1").splitlines()[0],
            "\t".join(
                ["9005", "5001", "706", "", "Lodge PAC (Sample)", "", "06/10/2022", "5000.00"]
                + [""] * 18
                + ["True", "", ""]
            ),
        ]
    )
    finance.import_receipts(amendment)  # a later file archives the PAC's receipt
    assert money.for_decision_maker(members[3]).total == Decimal("4000.00")


def test_variants_are_proposed_and_merged_only_when_confirmed(
    client: Client,
    organizer: object,
    action_now: Organization,
    members: dict[int, DecisionMaker],
    imported: finance.Imported,
) -> None:
    assert tops(members[3]) == [
        ("Lodge PAC (Sample)", Decimal("5000.00")),
        ("Acme Towing Co (Sample)", Decimal("2500.00")),
        ("John Sample", Decimal("1000.00")),
        ("JOHN SAMPLE", Decimal("500.00")),
    ]
    assert donors.propose_matches() == 1
    assert donors.propose_matches() == 0  # once
    match = DonorMatch.objects.get()
    assert {match.donor.name, match.other.name} == {"John Sample", "JOHN SAMPLE"}
    assert match.confidence >= donors.THRESHOLD
    assert tops(members[3])[2:] == [  # a proposal changes nothing
        ("John Sample", Decimal("1000.00")),
        ("JOHN SAMPLE", Decimal("500.00")),
    ]
    login(client, organizer)  # type: ignore[arg-type]
    queue = client.get("/manage/action-now/research/donors/").content.decode()
    assert "JOHN SAMPLE" in queue
    response = client.post(
        f"/manage/action-now/research/donors/{match.pk}/", {"decision": "confirm"}
    )
    assert response.status_code == 303
    match.refresh_from_db()
    assert (match.state, match.decided_for) == (MatchState.CONFIRMED, action_now)
    assert tops(members[3])[2] == ("John Sample", Decimal("1500.00"))
    assert members[42].name in Client().get("/research/money/").content.decode()
    page = Client().get(f"/research/money/{members[3].slug}/").content.decode()
    assert "Sample &amp; Partners LLP" in page and "Friends of Ward 3 (Sample)" in page


def test_a_rejected_pair_is_never_proposed_again(dee: object, imported: finance.Imported) -> None:
    donors.propose_matches()
    match = DonorMatch.objects.get()
    donors.reject_match(dee, match)  # type: ignore[arg-type]
    assert donors.propose_matches() == 0
    assert Donor.objects.filter(merged_into__isnull=False).count() == 0
    with pytest.raises(ResearchRefused):
        donors.confirm_match(dee, match)  # type: ignore[arg-type]


def test_the_money_behind_a_whip_boards_columns(
    client: Client,
    action_now: Organization,
    members: dict[int, DecisionMaker],
    imported: finance.Imported,
) -> None:
    body = legislation.save_body(
        None, name="City Council", classification=Classification.LEGISLATURE, seats=50
    )
    matter = legislation.save_matter(
        None, record_number="O2099-1", title="A sample ordinance", body=body
    )
    for ward, member in members.items():
        office = legislation.save_office(None, body=body, label=f"Ward {ward}", number=ward)
        legislation.save_term(
            None,
            decision_maker=member,
            body=body,
            office=office,
            start_date=datetime.date(2023, 5, 15),
        )
    board = legislation.create_board(action_now, matter, is_public=True)
    on = datetime.date(2024, 1, 2)
    legislation.record_stance(board, members[3], value=StanceValue.YES, on=on)
    legislation.record_stance(board, members[20], value=StanceValue.NO, on=on)
    legislation.record_stance(board, members[42], value=StanceValue.LEANING_NO, on=on)
    yes, no = money.behind_board(board)
    assert (yes.total, no.total) == (Decimal("9000.00"), Decimal("1000.00"))
    assert [t.donor.name for t in no.top] == ["John Sample", "Elena Muñoz"]
    html = client.get(f"/research/money/boards/{board.pk}/").content.decode()
    assert "$9,000.00" in html and "$1,000.00" in html
    assert money.by_stance(board) == {
        StanceValue.YES: Decimal("9000.00"),
        StanceValue.NO: Decimal("250.00"),
        StanceValue.LEANING_NO: Decimal("750.00"),
    }
    page = client.get(board.get_absolute_url()).content.decode()
    section = page.split('id="board-money-heading"')[1]
    assert "$9,000.00" in section and "$1,000.00" in section  # the yes and the no column
    assert f"/research/money/boards/{board.pk}/" in section
    under_yes = page.split('id="stance-yes"')[1].split('id="stance-')[0]
    assert "received $9,000.00" in under_yes
    assert "received $750.00" in page.split('id="stance-leaning_no"')[1]
    campaign = Campaign.objects.create(
        owner=action_now, slug="sample", title="Sample", status=Campaign.Status.ACTIVE
    )
    campaign.demands.create(title="Pass the sample ordinance", matter=matter)
    page = client.get("/campaigns/sample/").content.decode()  # the campaign links it too
    assert f"/research/money/boards/{board.pk}/" in page


def test_reading_isbe_files_leaves_the_csv_modules_limit_alone() -> None:
    """The csv module's field size limit is process-wide: the people imports rely on it to
    refuse an oversized cell, so the research desk never raises it."""
    import csv

    from groundswell.research.actions import finance

    assert finance.BATCH and csv.field_size_limit() == 131072
