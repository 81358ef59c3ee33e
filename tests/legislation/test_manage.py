"""The organizer pages: the shared records (decision makers, terms, matters, sponsors),
each change kept with who made it, and an organization's own whip boards."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from groundswell.accounts.models import User
from groundswell.legislation import actions
from groundswell.legislation.models import (
    Body,
    DecisionMaker,
    Matter,
    RevisionSource,
    StanceSource,
    StanceValue,
    Term,
    WhipBoard,
)
from groundswell.organizations.models import Organization
from tests.conftest import login
from tests.legislation.conftest import Council

pytestmark = pytest.mark.django_db


def url(name: str, org: str = "action-now", *args: Any) -> str:
    return reverse(f"legislation_manage:{name}", args=[org, *args])


def photo_upload() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 80), "navy").save(buffer, "JPEG", comment=b"taken at City Hall")
    return SimpleUploadedFile("portrait.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_a_visitor_who_is_not_signed_in_is_sent_to_log_in(
    client: Client, action_now: Organization
) -> None:
    response = client.get(url("index"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_someone_without_a_role_at_the_organization_is_refused(
    client: Client, action_now: Organization, outsider: User
) -> None:
    login(client, outsider)

    assert client.get(url("index")).status_code == 403
    assert client.get(url("index", "elsewhere")).status_code == 200  # their own


def test_an_organizer_adds_a_decision_maker_with_a_photo_and_the_change_is_kept(
    client: Client, organizer: User, action_now: Organization, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    login(client, organizer)

    response = client.post(
        url("person_create"),
        {
            "name": "Jeanette Example",
            "sort_name": "Example, Jeanette",
            "phone": "773-555-0120",
            "email": "ward20@example.org",
            "office_address": "6100 S Example Ave",
            "photo": photo_upload(),
        },
    )

    assert response.status_code == 303
    person = DecisionMaker.objects.get(name="Jeanette Example")
    assert person.photo.name.startswith("decision-makers/")
    assert not person.photo.name.endswith("portrait.jpg")  # renamed, re-encoded
    with Image.open(person.photo.path) as saved:
        assert "comment" not in saved.info
    revision = person.revisions.get()
    assert (revision.changed_by, revision.organization, revision.source) == (
        organizer,
        action_now,
        RevisionSource.FORM,
    )
    assert revision.changes["phone"] == {"to": "773-555-0120"}


def test_an_organizer_of_any_organization_corrects_a_shared_record(
    client: Client, council: Council, outsider: User, other_org: Organization
) -> None:
    member = council.members[20]
    login(client, outsider)

    response = client.post(
        url("person_edit", "elsewhere", member.slug),
        {"name": "Member 20", "sort_name": "Member 20", "phone": "773-555-0199"},
    )

    assert response.status_code == 303
    member.refresh_from_db()
    assert member.phone == "773-555-0199"
    latest = member.revisions.first()
    assert latest is not None and latest.organization == other_org
    assert latest.changes["phone"] == {"from": "", "to": "773-555-0199"}
    page = client.get(url("person", "elsewhere", member.slug)).content.decode()
    assert "Elsewhere Alliance" in page
    assert "office phone: 773-555-0199" in page  # the field as organizers read it


def test_a_term_for_an_office_of_another_body_is_refused(
    client: Client, council: Council, organizer: User
) -> None:
    committee = actions.save_body(None, name="Committee on Finance", parent=council.body)
    office = council.members[1].terms.get().office
    assert office is not None
    login(client, organizer)

    response = client.post(
        url("term_create", "action-now", council.members[1].slug),
        {"body": committee.pk, "office": office.pk, "role": "Chair"},
    )

    assert response.status_code == 400
    assert "is an office of City Council" in response.content.decode()
    assert council.members[1].terms.count() == 1


def test_an_organizer_records_a_committee_chair(
    client: Client, council: Council, organizer: User
) -> None:
    committee = actions.save_body(None, name="Committee on Finance", parent=council.body)
    login(client, organizer)

    response = client.post(
        url("term_create", "action-now", council.members[1].slug),
        {"body": committee.pk, "role": "Chair", "start_date": "2023-05-22"},
    )

    assert response.status_code == 303
    term = Term.objects.get(body=committee)
    assert term.is_chair() and term.start_date == datetime.date(2023, 5, 22)
    assert council.members[1].revisions.filter(subject="term").exists()


def test_a_forged_choice_is_an_invalid_choice_not_an_error(
    client: Client, council: Council, organizer: User
) -> None:
    login(client, organizer)

    response = client.post(
        url("term_create", "action-now", council.members[1].slug),
        {"body": "99999999999999999999999", "office": "1 OR 1=1"},
    )

    assert response.status_code == 400


def test_an_organizer_adds_a_matter_and_a_sponsor_who_counts_on_the_board(
    client: Client, council: Council, organizer: User, action_now: Organization
) -> None:
    login(client, organizer)

    response = client.post(
        url("matter_create"),
        {
            "record_number": "O2024-0001",
            "title": "Bodycam footage within 48 hours",
            "kind": "ordinance",
            "status": "Introduced",
            "introduced_on": "2024-01-17",
            "body": council.body.pk,
        },
    )
    assert response.status_code == 303
    matter = Matter.objects.get(record_number="O2024-0001")
    board = actions.create_board(action_now, matter)

    response = client.post(
        url("matter", "action-now", matter.slug),
        {"decision_maker": council.members[9].pk, "primary": "on"},
    )

    assert response.status_code == 303
    assert board.stances.get(decision_maker=council.members[9]).value == StanceValue.YES
    sponsors = matter.revisions.filter(subject="sponsors").get()
    assert sponsors.changed_by == organizer
    again = client.post(
        url("matter", "action-now", matter.slug), {"decision_maker": council.members[9].pk}
    )
    assert again.status_code == 400
    assert "already sponsors this matter" in again.content.decode()


def test_an_organizer_starts_a_board_sets_it_public_and_records_a_stance(
    client: Client, council: Council, ordinance: Matter, organizer: User, action_now: Organization
) -> None:
    login(client, organizer)

    response = client.post(url("board_create"), {"matter": ordinance.pk, "votes_needed": ""})
    assert response.status_code == 303
    board = WhipBoard.objects.get(organization=action_now, matter=ordinance)
    assert not board.is_public
    assert client.get(board.get_absolute_url()).status_code == 404

    response = client.post(
        url("board", "action-now", board.pk), {"is_public": "on", "votes_needed": "34"}
    )
    assert response.status_code == 303
    board.refresh_from_db()
    assert board.is_public and board.needed() == 34

    member = council.members[14]
    response = client.post(
        url("stance", "action-now", board.pk, member.slug),
        {"value": "leaning_no", "source": "note", "note": "At the ward night", "on": "2023-06-12"},
    )
    assert response.status_code == 303
    change = board.changes.get(decision_maker=member)
    assert (change.value, change.source, change.recorded_by) == (
        StanceValue.LEANING_NO,
        StanceSource.NOTE,
        organizer,
    )
    page = client.get(url("board", "action-now", board.pk)).content.decode()
    assert "At the ward night" in page  # notes show to the board's own organizers


def test_a_stance_from_a_link_needs_the_link(
    client: Client, council: Council, ordinance: Matter, organizer: User, action_now: Organization
) -> None:
    board = actions.create_board(action_now, ordinance)
    login(client, organizer)

    response = client.post(
        url("stance", "action-now", board.pk, council.members[2].slug),
        {"value": "yes", "source": "link", "on": "2023-06-12"},
    )

    assert response.status_code == 400
    assert not board.changes.exists()


def test_another_organizations_board_is_not_found(
    client: Client, council: Council, ordinance: Matter, ocad: Organization, organizer: User
) -> None:
    theirs = actions.create_board(ocad, ordinance, is_public=True)
    login(client, organizer)

    assert client.get(url("board", "action-now", theirs.pk)).status_code == 404
    assert (
        client.post(
            url("stance", "action-now", theirs.pk, council.members[1].slug),
            {"value": "no", "source": "note", "note": "x", "on": "2023-06-12"},
        ).status_code
        == 404
    )


def test_a_second_board_on_the_same_matter_leads_to_the_first(
    client: Client, ordinance: Matter, organizer: User, action_now: Organization
) -> None:
    board = actions.create_board(action_now, ordinance)
    login(client, organizer)

    response = client.post(url("board_create"), {"matter": ordinance.pk})

    assert response.status_code == 303
    assert response["Location"] == url("board", "action-now", board.pk)
    assert WhipBoard.objects.count() == 1


def test_the_organizer_pages_render(
    client: Client, council: Council, ordinance: Matter, organizer: User, action_now: Organization
) -> None:
    board = actions.create_board(action_now, ordinance)
    member = council.members[1]
    term = member.terms.get()
    login(client, organizer)

    for page in (
        url("index"),
        url("people"),
        url("person_create"),
        url("person", "action-now", member.slug),
        url("person_edit", "action-now", member.slug),
        url("term_create", "action-now", member.slug),
        url("term_edit", "action-now", member.slug, term.pk),
        url("matters"),
        url("matter_create"),
        url("matter", "action-now", ordinance.slug),
        url("matter_edit", "action-now", ordinance.slug),
        url("board_create"),
        url("board", "action-now", board.pk),
        url("stance", "action-now", board.pk, member.slug),
    ):
        response = client.get(page)
        assert response.status_code == 200, page
        assert "no-store" in response["Cache-Control"], page
    assert Body.objects.count() == 1
