"""The public pages: the Council by ward, a decision maker, a matter's record, and an
organization's public whip board (a private one is not found)."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.legislation import actions, registry
from groundswell.legislation.models import Matter, StanceValue, WhipBoard
from groundswell.organizations.models import Organization
from tests.legislation.conftest import BILL, PEOPLE, WARD, Council

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(council: Council, ordinance: Matter, action_now: Organization) -> WhipBoard:
    actions.add_sponsor(ordinance, council.members[33], primary=True)
    board = actions.create_board(action_now, ordinance, is_public=True)
    actions.record_stance(
        board,
        council.members[12],
        value=StanceValue.LEANING_NO,
        note="Private: her chief of staff told us over coffee.",
        on=datetime.date(2023, 6, 5),
    )
    actions.record_stance(
        board,
        council.members[14],
        value=StanceValue.LEANING_YES,
        source="link",
        url="https://example.org/interview",
        on=datetime.date(2023, 6, 6),
    )
    return board


def test_the_council_page_lists_each_ward_and_who_holds_it(
    client: Client, council: Council
) -> None:
    mayor = actions.save_body(None, name="Office of the Mayor", classification="executive")
    office = actions.save_office(None, body=mayor, label="Mayor")
    person = actions.save_decision_maker(None, name="Pat Example", phone="312-555-0100")
    actions.save_term(None, decision_maker=person, body=mayor, office=office)

    response = client.get(reverse("legislation:council"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Member 25" in page and "Member 50" in page
    assert "Pat Example" in page and 'href="tel:312-555-0100"' in page
    assert "Demo data." not in page


def test_a_decision_maker_page_shows_offices_contact_and_sponsorships(
    client: Client, council: Council, ordinance: Matter
) -> None:
    member = council.members[33]
    actions.save_decision_maker(
        member,
        email="ward33@example.org",
        office_address="3001 W Example Ave\nChicago, IL 60618",
    )
    actions.add_sponsor(ordinance, member, primary=True)

    response = client.get(member.get_absolute_url())

    page = response.content.decode()
    assert "Alderperson, Ward 33" in page
    assert 'href="mailto:ward33@example.org"' in page
    assert "3001 W Example Ave<br>Chicago, IL 60618" in page
    assert "O2023-0002065" in page


def test_a_photo_elsewhere_is_linked_not_embedded(client: Client, council: Council) -> None:
    member = council.members[2]
    actions.save_decision_maker(member, photo_url="https://example.org/photos/ward2.jpg")

    page = client.get(member.get_absolute_url()).content.decode()

    assert 'href="https://example.org/photos/ward2.jpg"' in page
    assert "<img" not in page.split("<main", 1)[1]


def test_a_matter_page_shows_sponsors_referrals_history_and_roll_calls(
    client: Client, write: Any
) -> None:
    actions.import_people(write(PEOPLE))
    actions.import_matters(write(BILL))
    matter = Matter.objects.get()

    response = client.get(matter.get_absolute_url())

    page = response.content.decode()
    assert "O2023-0002065" in page
    assert "Daniela Reyes" in page  # the sponsor, linked to her record
    assert "Committee on Public Safety" in page
    assert "Introduced" in page and "Passed" in page
    assert "1 yes, 1 no" in page and "1 excused" in page
    assert "How each member voted" in page


def test_the_public_board_shows_stances_sources_and_links_but_not_notes(
    client: Client, board: WhipBoard
) -> None:
    response = client.get(board.get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    assert "Action Now" in page
    assert "2 projected yes of 26 needed" in page
    assert "Leaning no" in page and "Member 12" in page
    assert 'href="https://example.org/interview"' in page
    assert "chief of staff" not in page
    assert "Verified signers" not in page  # no provider counts them yet


def test_a_private_board_is_not_found_in_public(client: Client, board: WhipBoard) -> None:
    actions.update_board(board, is_public=False, votes_needed=None)

    assert client.get(board.get_absolute_url()).status_code == 404


def test_an_unknown_matter_or_person_is_not_found(client: Client, db: None) -> None:
    assert client.get(reverse("legislation:matter", args=["nothing"])).status_code == 404
    assert client.get(reverse("legislation:decision_maker", args=["nobody"])).status_code == 404


def test_the_matter_list_searches_by_record_number(client: Client, ordinance: Matter) -> None:
    found = client.get(reverse("legislation:matters"), {"q": "0002065"}).content.decode()
    missed = client.get(reverse("legislation:matters"), {"q": "R1999"}).content.decode()

    assert ordinance.title in found
    assert ordinance.title not in missed


# --- The signers slot ----------------------------------------------------------------------


class WardSigners:
    name = "test-signers"

    def signers_by_ward(self, board: WhipBoard) -> dict[str, int] | None:
        return {WARD.format(12): 140, WARD.format(33): 7}


class Broken:
    name = "broken-signers"

    def signers_by_ward(self, board: WhipBoard) -> dict[str, int] | None:
        raise RuntimeError("the petitions table is locked")


@pytest.fixture
def providers() -> Iterator[list[Any]]:
    added: list[Any] = []
    yield added
    for provider in added:
        registry.unregister(provider.name)


def test_a_registered_provider_fills_the_verified_signers_slot(
    client: Client, board: WhipBoard, providers: list[Any]
) -> None:
    providers.append(WardSigners())
    registry.register(providers[-1])

    page = client.get(board.get_absolute_url()).content.decode()

    assert "Verified signers" in page
    assert '<td class="num">140</td>' in page
    assert '<td class="num">0</td>' in page  # a ward the provider has no signers in


def test_a_failing_provider_leaves_the_slot_empty_and_the_board_up(
    client: Client, board: WhipBoard, providers: list[Any], caplog: Any
) -> None:
    providers.append(Broken())
    registry.register(providers[-1])

    with caplog.at_level(logging.ERROR, logger="groundswell.legislation.registry"):
        response = client.get(board.get_absolute_url())

    assert response.status_code == 200
    assert "Verified signers" not in response.content.decode()
    assert "broken-signers" in caplog.text
