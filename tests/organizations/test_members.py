"""/manage/<org>/members/: the staff list, with controls only where the role allows them."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.organizations.models import Membership, Organization
from tests.conftest import login

URL = reverse("organizations_manage:members", args=["action-now"])


def test_it_lists_staff_with_their_roles(
    client: Client, owner: User, organizer: User, admin: User
) -> None:
    login(client, owner)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    for email in ("maria@actionnow.example", "lee@actionnow.example", "dee@actionnow.example"):
        assert email in page
    assert page.index("maria@") < page.index("lee@") < page.index("dee@")  # owners first
    assert "Send invitation" in page


def test_an_organizer_sees_the_list_without_controls(
    client: Client, owner: User, organizer: User
) -> None:
    login(client, organizer)
    page = client.get(URL).content.decode()
    assert "maria@actionnow.example" in page
    assert "Change role" not in page
    assert "Send invitation" not in page
    assert "Remove Maria" not in page
    assert "Leave Action Now" in page  # anyone may leave


def test_an_admin_gets_no_controls_over_owners(
    client: Client, owner: User, admin: User, action_now: Organization
) -> None:
    login(client, admin)
    page = client.get(URL).content.decode()
    owner_membership = Membership.objects.get(user=owner, organization=action_now)
    assert (
        reverse("organizations_manage:change_role", args=["action-now", owner_membership.pk])
        not in page
    )
    assert '<option value="owner"' not in page  # admins cannot grant owner


def test_every_role_select_has_a_label(client: Client, owner: User, organizer: User) -> None:
    login(client, owner)
    page = client.get(URL).content.decode()
    for membership in Membership.objects.all():
        assert f'<label for="id_member-{membership.pk}-role">' in page
