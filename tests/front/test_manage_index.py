"""/manage/: the organizer's start page, listing their organizations and roles."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization, Role

URL = reverse("front_manage:index")


def test_it_lists_the_users_organizations_with_their_roles(
    client: Client, owner: User, ocad: Organization
) -> None:
    owner.memberships.create(organization=ocad, role=Role.ADMIN)
    client.force_login(owner)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Action Now") < page.index("Organized Communities Against Deportations")
    assert "Your role: Owner" in page and "Your role: Admin" in page
    assert reverse("organizations_manage:home", args=["action-now"]) in page
    assert reverse("organizations_manage:home", args=["ocad"]) in page


def test_it_does_not_list_other_organizations(client: Client, owner: User, outsider: User) -> None:
    client.force_login(owner)
    page = client.get(URL).content.decode()
    assert "Elsewhere Alliance" not in page


def test_it_explains_what_to_do_without_an_organization(client: Client, db: None) -> None:
    client.force_login(User.objects.create_user("new@example.org", "a long password 1"))
    page = client.get(URL).content.decode()
    assert "You are not on the staff of any organization yet." in page


def test_it_needs_a_login(client: Client, db: None) -> None:
    response = client.get(URL)
    assert response.url == f"{reverse('accounts:login')}?next={URL}"
