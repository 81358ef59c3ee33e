"""The public volunteer form: /volunteer/<org>/ (and /volunteer/<org>/<campaign>/)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from groundswell.campaigns.models import Campaign
from groundswell.core import worker
from groundswell.organizations.models import Organization
from groundswell.volunteers import actions
from groundswell.volunteers.models import Interest, Signup, Volunteer
from tests.smtp import Mailbox
from tests.volunteers.conftest import CONFIRM_LINK, answers, form_token, sign_up

pytestmark = pytest.mark.django_db


def test_the_form_offers_the_organizations_own_interests(
    client: Client, action_now: Organization, interests: list[Interest], other_org: Organization
) -> None:
    actions.add_interest(other_org, "Phone banking")
    response = client.get("/volunteer/action-now/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rallies" in html and "Court support" in html
    assert "Phone banking" not in html
    assert 'name="consent"' in html and "checked" not in html.split('name="consent"')[1][:40]


def test_a_sign_up_waits_for_its_email_to_be_confirmed(
    client: Client, action_now: Organization, interests: list[Interest], mailbox: Mailbox
) -> None:
    response = sign_up(client, action_now, interests=[str(interests[0].pk)], consent="on")
    assert response.status_code == 303
    assert response["Location"] == "/volunteer/action-now/thanks"
    signup = Signup.objects.get()
    assert signup.confirmed_at is None
    assert signup.ward == 25 and signup.languages == ["en", "es"]
    assert list(signup.interests.all()) == [interests[0]]
    assert signup.consent is True
    assert not Volunteer.objects.exists()

    worker.drain()
    [message] = mailbox.wait_for(1)
    assert "Confirm that you want to volunteer with Action Now" in str(message["Subject"])
    assert CONFIRM_LINK.search(Mailbox.text(message))
    assert client.get(response["Location"]).status_code == 200


def test_the_page_is_the_same_whoever_signs_up(
    client: Client, action_now: Organization, mailbox: Mailbox
) -> None:
    first = sign_up(client, action_now)
    from tests.volunteers.conftest import confirm_latest

    confirm_latest()
    again = sign_up(client, action_now)
    assert first.status_code == again.status_code == 303
    assert first["Location"] == again["Location"]


def test_repeated_sign_ups_send_at_most_three_emails_a_day(
    client: Client, action_now: Organization, mailbox: Mailbox
) -> None:
    for _ in range(5):
        assert sign_up(client, action_now).status_code == 303
    worker.drain()
    assert len(mailbox.wait_for(3)) == 3
    assert Signup.objects.filter(confirmation_sends=0).count() == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "not an email"}, "Enter a valid email address."),
        ({"first_name": ""}, "This field is required."),
        ({"ward": "51"}, "Enter a ward number from 1 to 50."),
        ({"ward": "twenty"}, "Enter a ward number from 1 to 50."),
        ({"phone": "12"}, "Enter a phone number, like 312-555-0123."),
        ({"reach_by": "text"}, "Give a phone number to be reached by phone."),
        ({"reach_by": "carrier pigeon"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_explained_and_nothing_is_kept(
    client: Client, action_now: Organization, overrides: dict[str, Any], message: str
) -> None:
    response = sign_up(client, action_now, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Nothing has been sent yet." in response.content.decode()
    assert not Signup.objects.exists()


def test_another_organizations_interest_is_refused(
    client: Client, action_now: Organization, other_org: Organization
) -> None:
    theirs = actions.add_interest(other_org, "Phone banking")
    response = sign_up(client, action_now, interests=[str(theirs.pk)])
    assert response.status_code == 400
    assert not Signup.objects.exists()


def test_a_bot_filling_the_hidden_field_sees_thanks_and_nothing_is_kept(
    client: Client, action_now: Organization, mailbox: Mailbox
) -> None:
    response = sign_up(client, action_now, website="http://spam.example")
    assert response.status_code == 303
    assert not Signup.objects.exists()
    worker.drain()
    assert mailbox.messages == []


def test_a_form_sent_instantly_is_dropped(
    client: Client, action_now: Organization, settings: Any
) -> None:
    settings.SIGN_MIN_FILL_SECONDS = 3
    response = sign_up(client, action_now, form_token=form_token(age=0))
    assert response.status_code == 303
    assert not Signup.objects.exists()


def test_a_forged_form_token_is_refused_with_a_message(
    client: Client, action_now: Organization
) -> None:
    response = sign_up(client, action_now, form_token="forged")
    assert response.status_code == 400
    assert "Please send it again" in response.content.decode()
    assert not Signup.objects.exists()


def test_too_many_sign_ups_from_one_network_are_refused(
    client: Client, action_now: Organization
) -> None:
    for n in range(20):
        assert sign_up(client, action_now, email=f"person{n}@example.org").status_code == 303
    response = sign_up(client, action_now, email="one.more@example.org")
    assert response.status_code == 429
    assert "Too many sign-ups" in response.content.decode()
    assert Signup.objects.count() == 20


def test_a_closed_form_says_so(client: Client, action_now: Organization) -> None:
    actions.save_form_settings(action_now, is_open=False)
    response = client.get("/volunteer/action-now/")
    assert "not taking volunteer sign-ups" in response.content.decode()
    assert sign_up(client, action_now).status_code == 200
    assert not Signup.objects.exists()


def test_unknown_organization_is_404(client: Client, db: None) -> None:
    assert client.get("/volunteer/nobody/").status_code == 404


def test_a_campaign_form_needs_a_published_campaign_of_the_organization(
    client: Client, action_now: Organization, other_org: Organization
) -> None:
    contract = Campaign.objects.create(
        owner=action_now, slug="police-contract", title="Police Contract Accountability"
    )
    assert client.get("/volunteer/action-now/police-contract/").status_code == 404  # draft
    contract.status = Campaign.Status.ACTIVE
    contract.save()
    page = client.get("/volunteer/action-now/police-contract/")
    assert "Police Contract Accountability" in page.content.decode()
    assert client.get("/volunteer/elsewhere/police-contract/").status_code == 404
    response = client.post("/volunteer/action-now/police-contract/", answers())
    assert response.status_code == 303
    assert Signup.objects.get().campaign == contract


def test_the_campaign_page_section_links_to_the_form(rf: Any, action_now: Organization) -> None:
    from groundswell.volunteers.campaign_section import VolunteerSection

    contract = Campaign.objects.create(
        owner=action_now, slug="police-contract", title="Police", status="active"
    )
    section = VolunteerSection().section(contract, rf.get("/campaigns/police-contract/"))
    assert section is not None
    assert "/volunteer/action-now/police-contract/" in str(section.html)
    actions.save_form_settings(action_now, is_open=False)
    assert VolunteerSection().section(contract, rf.get("/")) is None
