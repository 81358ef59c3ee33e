"""The email and phone a volunteer typed in: shown to the organization's organizers for
volunteer follow-up (a purpose-limited exception to "contact fields only with consent"),
hidden once the person unsubscribes from the organization or is erased, never exported."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.people import actions as people_actions
from groundswell.people import tokens as people_tokens
from groundswell.people.models import Erasure
from groundswell.people.rights import actions as rights
from tests.conftest import login
from tests.volunteers.conftest import volunteer

pytestmark = pytest.mark.django_db

EMAIL = "ana.reyes@example.org"
PHONE_TYPED = "312-555-0123"


def detail_page(client: Client, organizer: User, pk: int) -> str:
    response = login(client, organizer).get(f"/manage/action-now/volunteers/{pk}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("consent", [True, False])
def test_the_contact_details_are_shown_for_follow_up_with_or_without_consent(
    client: Client, action_now: Organization, organizer: User, consent: bool
) -> None:
    record = volunteer(action_now, phone=PHONE_TYPED, consent="on" if consent else None)
    page = detail_page(client, organizer, record.pk)
    assert f"mailto:{EMAIL}" in page
    assert "tel:+13125550123" in page
    assert "Given for volunteer follow-up" in page


def test_unsubscribing_from_the_organization_hides_them(
    client: Client, action_now: Organization, organizer: User
) -> None:
    record = volunteer(action_now, phone=PHONE_TYPED, consent="on")
    assert record.person is not None
    token = people_tokens.unsubscribe_token(record.person, action_now)
    assert Client().post(f"/people/unsubscribe/{token}/").status_code == 200

    page = detail_page(client, organizer, record.pk)
    assert EMAIL not in page and "+13125550123" not in page and "555-0123" not in page
    assert "Given for volunteer follow-up" not in page
    assert "are hidden" in page


def test_volunteering_again_after_unsubscribing_shows_them_again(
    client: Client, action_now: Organization, organizer: User
) -> None:
    record = volunteer(action_now, consent="on")
    assert record.person is not None
    people_actions.withdraw_email_consent(record.person, action_now, source="test")
    assert EMAIL not in detail_page(client, organizer, record.pk)

    again = volunteer(action_now)  # asks again to be followed up, without mailings
    assert again.pk == record.pk
    assert f"mailto:{EMAIL}" in detail_page(client, organizer, record.pk)


def test_another_organizations_unsubscribe_changes_nothing(
    client: Client, action_now: Organization, ocad: Organization, organizer: User
) -> None:
    record = volunteer(action_now, consent="on")
    assert record.person is not None
    people_actions.grant_consent(record.person, ocad, source="test")
    people_actions.withdraw_email_consent(record.person, ocad, source="test")
    assert f"mailto:{EMAIL}" in detail_page(client, organizer, record.pk)


def test_an_erased_person_has_no_contact_details_to_show(
    client: Client, action_now: Organization, organizer: User
) -> None:
    record = volunteer(action_now, phone=PHONE_TYPED)
    assert record.person is not None
    rights.erase(record.person, via=Erasure.Via.OPERATOR)
    response = login(client, organizer).get(f"/manage/action-now/volunteers/{record.pk}/")
    assert response.status_code == 404  # erased records leave the pipeline
    record.refresh_from_db()
    assert record.email == "" and record.phone == "" and record.person is None


def test_the_people_export_leaves_out_what_was_given_for_follow_up(
    client: Client, action_now: Organization, organizer: User
) -> None:
    volunteer(action_now, phone=PHONE_TYPED)  # no consent ticked
    response = login(client, organizer).get("/manage/action-now/people/export.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row for row in rows if "Ana" in row.values()], text  # they are in it...
    assert EMAIL not in text and "+13125550123" not in text  # ...without those
