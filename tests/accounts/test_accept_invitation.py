"""/accounts/invitations/<token>/: joining an organization's staff from an emailed link."""

from __future__ import annotations

import datetime
import re
import time
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groundswell.accounts.models import User
from groundswell.organizations import actions
from groundswell.organizations.models import Invitation, Membership, Organization, Role
from tests.conftest import PASSWORD, make_organizer
from tests.smtp import Mailbox

NEW_PASSWORD = "we keep us safe 1968"


def invite(owner: User, email: str = "jo@example.org", role: str = Role.ORGANIZER) -> Invitation:
    inviter = Membership.objects.get(user=owner)
    return actions.invite_staff(inviter, email, role)


def link(invitation: Invitation) -> str:
    return reverse("accounts:invitation", args=[actions.invitation_token(invitation)])


def signup(**changes: str) -> dict[str, str]:
    return {
        "first_name": "Jo",
        "last_name": "Rivera",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **changes,
    }


def memberships() -> list[tuple[str, str, str]]:
    return sorted(Membership.objects.values_list("organization__slug", "user__email", "role"))


def test_a_new_organizer_joins_from_the_emailed_link(
    client: Client,
    owner: User,
    action_now: Organization,
    mailbox: Mailbox,
    drain: Any,
    settings: Any,
) -> None:
    settings.BASE_URL = "https://groundswell.example"
    client.force_login(owner)
    client.post(
        reverse("organizations_manage:invite", args=["action-now"]),
        {"email": "jo@example.org", "role": "admin"},
    )
    client.logout()
    drain()
    [message] = mailbox.wait_for(1)
    match = re.search(
        r"https://groundswell\.example(/accounts/invitations/\S+/)", Mailbox.text(message)
    )
    assert match
    path = match.group(1)

    page = client.get(path).content.decode()
    assert "<h1>Join Action Now</h1>" in page
    assert 'value="jo@example.org" readonly' in page
    response = client.post(path, signup())
    assert response.url == reverse("organizations_manage:home", args=["action-now"])

    jo = User.objects.get(email="jo@example.org")
    assert (jo.first_name, jo.last_name) == ("Jo", "Rivera")
    assert jo.check_password(NEW_PASSWORD)
    assert Membership.objects.get(user=jo).role == Role.ADMIN
    assert client.session["_auth_user_id"] == str(jo.pk)
    assert Invitation.objects.get().accepted_at is not None


def test_an_existing_account_must_log_in_to_accept(
    client: Client, owner: User, outsider: User, action_now: Organization
) -> None:
    invitation = invite(owner, email="sam@elsewhere.example")
    path = link(invitation)  # one link: each signing carries its own timestamp
    page = client.get(path).content.decode()
    assert "There is already an account for sam@elsewhere.example." in page
    login_url = f"{reverse('accounts:login')}?{urlencode({'next': path})}"
    assert f'href="{login_url}"' in page
    assert client.post(path, signup()).status_code == 200
    assert not Membership.objects.filter(user=outsider, organization=action_now).exists()

    response = client.post(
        reverse("accounts:login"),
        {"username": outsider.email, "password": PASSWORD, "next": path},
    )
    assert response.url == path
    assert "Join Action Now" in client.get(path).content.decode()
    assert not Membership.objects.filter(user=outsider, organization=action_now).exists()
    response = client.post(path)  # a click, not the page load, accepts
    assert response.url == reverse("organizations_manage:home", args=["action-now"])
    assert Membership.objects.get(user=outsider, organization=action_now).role == Role.ORGANIZER
    assert User.objects.filter(email=outsider.email).count() == 1


def test_it_refuses_while_signed_in_as_someone_else(
    client: Client, owner: User, organizer: User
) -> None:
    invitation = invite(owner)
    before = memberships()
    client.force_login(organizer)
    page = client.get(link(invitation)).content.decode()
    assert "You are logged in as dee@actionnow.example." in page
    client.post(link(invitation), signup())
    assert memberships() == before
    assert not User.objects.filter(email="jo@example.org").exists()
    assert Invitation.objects.get().is_open


def test_it_rejects_a_forged_invitation(client: Client, owner: User) -> None:
    invitation = invite(owner)
    before = memberships()
    token = actions.invitation_token(invitation)
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = client.post(reverse("accounts:invitation", args=[forged]), signup())
    assert response.status_code == 400
    assert "This invitation link is not valid." in response.content.decode()
    assert memberships() == before
    assert not User.objects.filter(email="jo@example.org").exists()


def test_it_rejects_a_token_signed_for_something_else(client: Client, owner: User) -> None:
    invitation = invite(owner)
    other = signing.dumps([invitation.pk, invitation.email], salt="groundswell.people.unsubscribe")
    response = client.get(reverse("accounts:invitation", args=[other]))
    assert response.status_code == 400


def test_it_rejects_an_expired_invitation(
    client: Client, owner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    invitation = invite(owner)
    fifteen_days_ago = time.time() - 15 * 24 * 3600
    with monkeypatch.context() as patch:
        patch.setattr(time, "time", lambda: fifteen_days_ago)
        token = actions.invitation_token(invitation)
    before = memberships()
    response = client.post(reverse("accounts:invitation", args=[token]), signup())
    assert response.status_code == 400
    assert "This invitation has expired." in response.content.decode()
    assert memberships() == before
    assert not User.objects.filter(email="jo@example.org").exists()


def test_it_rejects_an_invitation_older_than_14_days_even_with_a_fresh_link(
    client: Client, owner: User
) -> None:
    invitation = invite(owner)
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=14, minutes=1)
    )
    response = client.post(link(invitation), signup())
    assert "This invitation has expired. Ask Action Now to invite you again." in (
        response.content.decode()
    )
    assert not User.objects.filter(email="jo@example.org").exists()


def test_it_rejects_a_reused_invitation(client: Client, owner: User, organizer: User) -> None:
    invitation = invite(owner)
    client.post(link(invitation), signup())
    jo = User.objects.get(email="jo@example.org")
    Membership.objects.filter(user=jo).update(role=Role.ORGANIZER)
    client.logout()
    before = memberships()
    response = client.post(
        link(invitation), signup(password1="another pass 99", password2="another pass 99")
    )
    assert response.status_code == 400
    assert "This invitation has already been used." in response.content.decode()
    assert memberships() == before
    jo.refresh_from_db()
    assert jo.check_password(NEW_PASSWORD)


def test_it_rejects_a_withdrawn_invitation(client: Client, owner: User) -> None:
    invitation = invite(owner)
    actions.revoke_invitation(Membership.objects.get(user=owner), invitation)
    response = client.post(link(invitation), signup())
    assert "This invitation was withdrawn. Ask Action Now to invite you again." in (
        response.content.decode()
    )
    assert not User.objects.filter(email="jo@example.org").exists()


def test_only_the_newest_invitation_to_an_address_works(client: Client, owner: User) -> None:
    first = invite(owner, role=Role.ADMIN)
    second = invite(owner, role=Role.ORGANIZER)
    assert client.get(link(first)).status_code == 400
    client.post(link(second), signup())
    assert Membership.objects.get(user__email="jo@example.org").role == Role.ORGANIZER


def test_it_rejects_mismatched_passwords_and_creates_nothing(client: Client, owner: User) -> None:
    invitation = invite(owner)
    response = client.post(link(invitation), signup(password2="something else entirely"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "The two passwords differ. Type them again." in page
    assert 'aria-describedby="id_password2_helptext id_password2_error"' in page
    assert not User.objects.filter(email="jo@example.org").exists()
    assert Invitation.objects.get().is_open


def test_it_rejects_a_password_like_the_email(client: Client, owner: User) -> None:
    invitation = invite(owner)
    response = client.post(
        link(invitation), signup(password1="jo@example.org", password2="jo@example.org")
    )
    assert "The password is too similar to the email address." in response.content.decode()
    assert not User.objects.filter(email="jo@example.org").exists()


def test_an_owner_invitation_makes_an_owner(client: Client, owner: User) -> None:
    invitation = invite(owner, role=Role.OWNER)
    client.post(link(invitation), signup())
    assert Membership.objects.get(user__email="jo@example.org").role == Role.OWNER


def test_opening_the_link_changes_nothing(
    client: Client, owner: User, action_now: Organization
) -> None:
    make_organizer("jo@example.org", Organization.objects.create(name="Other", slug="other"))
    invitation = invite(owner)
    jo = User.objects.get(email="jo@example.org")
    client.force_login(jo)
    client.get(link(invitation))  # mail scanners follow links; only the button accepts
    assert not Membership.objects.filter(user=jo, organization=action_now).exists()
    assert Invitation.objects.get().is_open
