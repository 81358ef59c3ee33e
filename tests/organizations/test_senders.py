"""Who an organization's emails come from (organizations.senders): its name via the site,
its Reply-To, and its own From address only on a domain the operator allows."""

from __future__ import annotations

from email.utils import parseaddr
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.organizations.senders import sender
from tests.conftest import login

URL = reverse("organizations_manage:settings", args=["action-now"])


def profile(**changes: Any) -> dict[str, Any]:
    data = {"name": "Action Now", "description": "", "website": "", "email": ""}
    data.update(changes)
    return data


@pytest.fixture(autouse=True)
def site(settings: Any) -> None:
    settings.SITE_NAME = "Groundswell"
    settings.DEFAULT_FROM_EMAIL = "Groundswell <noreply@groundswell.example>"
    settings.MAIL_SENDER_DOMAINS = ["actionnow.example"]


def test_by_default_the_organization_sends_from_the_platform_address_under_its_name(
    action_now: Organization,
) -> None:
    who = sender(action_now)
    name, address = parseaddr(who.from_email)
    assert (name, address) == ("Action Now via Groundswell", "noreply@groundswell.example")
    assert who.reply_to is None
    assert sender(None).from_email == "Groundswell <noreply@groundswell.example>"


def test_a_chosen_name_reply_to_and_allowed_address_are_used(
    client: Client, owner: User, action_now: Organization
) -> None:
    login(client, owner)
    response = client.post(
        URL,
        profile(
            sender_name='Action Now "Chicago"',
            reply_to="organizers@actionnow.example",
            sender_address="news@ActionNow.example",
        ),
    )
    assert response.status_code == 302
    action_now.refresh_from_db()
    who = sender(action_now)
    assert parseaddr(who.from_email) == ('Action Now "Chicago"', "news@ActionNow.example")
    assert who.reply_to == "organizers@actionnow.example"


def test_an_address_on_another_domain_is_refused_and_nothing_changes(
    client: Client, owner: User, action_now: Organization
) -> None:
    login(client, owner)
    response = client.post(URL, profile(name="Renamed", sender_address="mayor@cityofchicago.org"))
    assert response.status_code == 200
    assert "actionnow.example" in response.content.decode()
    action_now.refresh_from_db()
    assert action_now.name == "Action Now"
    assert action_now.sender_address == ""


def test_a_domain_the_operator_withdraws_falls_back_to_the_platform_address(
    settings: Any, action_now: Organization
) -> None:
    Organization.objects.filter(pk=action_now.pk).update(sender_address="news@actionnow.example")
    action_now.refresh_from_db()
    settings.MAIL_SENDER_DOMAINS = []
    assert parseaddr(sender(action_now).from_email)[1] == "noreply@groundswell.example"


def test_spanish_readers_see_the_name_in_spanish(action_now: Organization) -> None:
    from django.utils import translation

    with translation.override("es"):
        name = parseaddr(sender(action_now).from_email)[0]
    assert name.startswith("Action Now")
