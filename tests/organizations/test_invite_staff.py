"""POST /manage/<org>/members/invite/: owners and admins invite staff by email."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.organizations.models import Invitation, Organization, Role
from tests.conftest import login
from tests.smtp import Mailbox

URL = reverse("organizations_manage:invite", args=["action-now"])


def test_an_admin_invites_an_organizer_by_email(
    client: Client,
    admin: User,
    action_now: Organization,
    mailbox: Mailbox,
    drain: Any,
    settings: Any,
) -> None:
    settings.BASE_URL = "https://groundswell.example"
    login(client, admin)
    response = client.post(URL, {"email": " Jo@Example.org ", "role": "organizer"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "jo@example.org",
        Role.ORGANIZER,
        admin,
    )
    drain()
    [message] = mailbox.wait_for(1)
    assert message["To"] == "jo@example.org"
    assert message["Subject"] == "You are invited to join Action Now on Groundswell"
    assert message["Reply-To"] == "lee@actionnow.example"
    text = Mailbox.text(message)
    assert "Lee invited you to join the staff of Action Now on Groundswell as Organizer." in text
    assert re.search(r"https://groundswell\.example/accounts/invitations/\S+/", text)


def test_it_shows_the_waiting_invitation(client: Client, owner: User) -> None:
    login(client, owner)
    client.post(URL, {"email": "jo@example.org", "role": "admin"})
    page = client.get(reverse("organizations_manage:members", args=["action-now"])).content
    assert b"jo@example.org" in page
    assert b"Withdraw the invitation to jo@example.org" in page


def test_an_owner_may_invite_an_owner(client: Client, owner: User) -> None:
    login(client, owner)
    client.post(URL, {"email": "co-owner@example.org", "role": "owner"})
    assert Invitation.objects.get().role == Role.OWNER


def test_an_admin_cannot_invite_an_owner(client: Client, admin: User) -> None:
    login(client, admin)
    response = client.post(URL, {"email": "jo@example.org", "role": "owner"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_organizer_cannot_invite(client: Client, organizer: User) -> None:
    login(client, organizer)
    response = client.post(URL, {"email": "jo@example.org", "role": "organizer"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_it_rejects_a_bad_email_address(client: Client, owner: User) -> None:
    login(client, owner)
    response = client.post(URL, {"email": "jo at example", "role": "organizer"})
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert 'id="id_email_error"' in page
    assert not Invitation.objects.exists()


def test_it_refuses_to_invite_someone_already_on_staff(
    client: Client,
    owner: User,
    organizer: User,
    action_now: Organization,
    staff: Callable[[Organization], list[tuple[str, str]]],
) -> None:
    before = staff(action_now)
    login(client, owner)
    response = client.post(URL, {"email": "DEE@actionnow.example", "role": "admin"})
    assert "dee@actionnow.example is already on the staff of Action Now." in (
        response.content.decode()
    )
    assert not Invitation.objects.exists()
    assert staff(action_now) == before


def test_inviting_again_withdraws_the_earlier_invitation(client: Client, owner: User) -> None:
    login(client, owner)
    client.post(URL, {"email": "jo@example.org", "role": "organizer"})
    client.post(URL, {"email": "jo@example.org", "role": "admin"})
    first, second = Invitation.objects.order_by("pk")
    assert first.revoked_at is not None
    assert second.is_open and second.role == Role.ADMIN
