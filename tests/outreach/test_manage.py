"""The organizer pages: Maria and Dee (Action Now) list, create and edit their actions,
see results per office and download the participants who agreed to hear from them; Sam
(Elsewhere Alliance) sees none of it."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client

from groundswell.accounts.models import User
from groundswell.outreach import actions
from groundswell.outreach.models import OfficeMessage, OutreachAction
from groundswell.outreach.targets import Target
from groundswell.people import actions as people_actions
from groundswell.people.models import Person
from tests.conftest import login
from tests.outreach.conftest import SUPPORTER, Council, call_post

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Tell the Mayor: fund ECPS",
    "slug": "",
    "intro": "The budget vote is near.",
    "target": "mayor",
    "by_email": "on",
    "subject": "Fund ECPS",
    "message": "Dear Mayor, please fund it.",
    "by_call": "on",
    "call_script": "Hello, I am calling about ECPS.",
    "published": "on",
}


def confirmed(action: OutreachAction, council: Council, **overrides: Any) -> OfficeMessage:
    target = Target(council.home, council.home_holder)
    message = actions.record_message(action, target, **{**SUPPORTER, **overrides}).message
    assert message is not None
    actions.confirm_message(actions.confirmation_token(message))
    message.refresh_from_db()
    return message


def test_an_organizer_creates_an_action(client: Client, organizer: User, council: Council) -> None:
    login(client, organizer)
    response = client.post("/manage/action-now/outreach/new/", FORM)
    assert response.status_code == 303
    action = OutreachAction.objects.get()
    assert action.slug == "tell-the-mayor-fund-ecps"
    assert action.owner.slug == "action-now" and action.created_by == organizer
    assert response["Location"] == "/manage/action-now/outreach/tell-the-mayor-fund-ecps/"
    assert "Jordan Mayor" in client.get("/act/tell-the-mayor-fund-ecps/").content.decode()


@pytest.mark.parametrize(
    ("overrides", "says"),
    [
        ({"title": ""}, "This field is required"),
        ({"by_email": "", "by_call": ""}, "Offer at least one way"),
        ({"message": ""}, "Needed when supporters may send an email"),
        ({"slug": "new"}, "Choose another short name"),
        ({"target": "governor"}, "Select a valid choice"),
    ],
)
def test_bad_input_saves_nothing(
    client: Client, organizer: User, overrides: dict[str, str], says: str
) -> None:
    login(client, organizer)
    response = client.post("/manage/action-now/outreach/new/", {**FORM, **overrides})
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not OutreachAction.objects.exists()


def test_an_organizer_edits_an_action_but_not_its_published_address(
    client: Client, organizer: User, action: OutreachAction
) -> None:
    login(client, organizer)
    url = f"/manage/action-now/outreach/{action.slug}/edit/"
    response = client.post(url, {**FORM, "target": "ward", "slug": "moved"})
    assert response.status_code == 303
    action.refresh_from_db()
    assert action.title == FORM["title"] and action.slug == "cosponsor-ecps"


def test_results_per_office(
    client: Client,
    organizer: User,
    action: OutreachAction,
    council: Council,
    drain: Any,
    mailbox: Any,
) -> None:
    confirmed(action, council)
    confirmed(action, council, email="two@example.org")
    actions.record_message(action, Target(council.home, council.home_holder), **SUPPORTER)
    drain()
    Client().post(f"/act/{action.slug}/call", call_post(council.home))
    login(client, organizer)
    html = client.get(f"/manage/action-now/outreach/{action.slug}/").content.decode()
    assert f"Alderperson, Ward {council.home.number}" in html
    assert "2 messages sent" in html
    assert "1 message not confirmed by its sender" in html
    assert "1 call" in html
    assert f"/act/{action.slug}/embed/" in html  # the code to paste on a website


def test_the_export_holds_only_participants_who_agreed(
    client: Client, organizer: User, action: OutreachAction, council: Council
) -> None:
    confirmed(action, council, consent=True)
    confirmed(action, council, email="quiet@example.org", name="Quiet Person")
    confirmed(action, council, email="gone@example.org", name="Changed Mind", consent=True)
    gone = Person.objects.get(email_normalized="gone@example.org")
    people_actions.withdraw_consent(gone, action.owner, source="unsubscribe")
    login(client, organizer)
    response = client.get(f"/manage/action-now/outreach/{action.slug}/participants.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["first_name", "last_name", "email", "ward", "office", "confirmed_at"]
    assert [r[:4] for r in rows[1:]] == [
        ["Lupe", "Ramos", "lupe@example.org", str(council.home.number)]
    ]


def test_another_organizations_action_is_not_found(
    client: Client, outsider: User, action: OutreachAction
) -> None:
    login(client, outsider)
    for path in ("", "edit/", "participants.csv"):
        response = client.get(f"/manage/elsewhere/outreach/{action.slug}/{path}")
        assert response.status_code == 404
    assert client.get("/manage/action-now/outreach/").status_code == 403


def test_a_visitor_is_sent_to_log_in(client: Client, action: OutreachAction) -> None:
    response = client.get(f"/manage/action-now/outreach/{action.slug}/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_organizer_menu_links_the_actions(client: Client, organizer: User) -> None:
    login(client, organizer)
    html = client.get("/manage/action-now/outreach/").content.decode()
    assert '<a href="/manage/action-now/outreach/" aria-current="page">' in html
