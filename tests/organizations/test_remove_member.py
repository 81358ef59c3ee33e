"""POST /manage/<org>/members/<id>/remove/: admins remove staff, owners remove owners,
anyone may leave, and the last owner stays."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.organizations.models import Membership, Organization
from tests.conftest import login

Staff = Callable[[Organization], list[tuple[str, str]]]


def remove(client: Client, user: User, organization: Organization) -> str:
    membership = Membership.objects.get(user=user, organization=organization)
    url = reverse("organizations_manage:remove_member", args=[organization.slug, membership.pk])
    return client.post(url, follow=True).content.decode()


def test_an_admin_removes_an_organizer(
    client: Client, admin: User, organizer: User, action_now: Organization
) -> None:
    login(client, admin)
    page = remove(client, organizer, action_now)
    assert "Dee was removed from the staff." in page
    assert not Membership.objects.filter(user=organizer).exists()
    assert User.objects.filter(pk=organizer.pk).exists()  # the account stays


def test_an_admin_cannot_remove_an_owner(
    client: Client, owner: User, admin: User, action_now: Organization, staff: Staff
) -> None:
    before = staff(action_now)
    login(client, admin)
    assert "Only an owner can remove an owner." in remove(client, owner, action_now)
    assert staff(action_now) == before


def test_an_organizer_cannot_remove_others(
    client: Client, admin: User, organizer: User, action_now: Organization, staff: Staff
) -> None:
    before = staff(action_now)
    login(client, organizer)
    assert "Only owners and admins can remove staff." in remove(client, admin, action_now)
    assert staff(action_now) == before


def test_the_last_owner_cannot_leave(
    client: Client, owner: User, action_now: Organization, staff: Staff
) -> None:
    before = staff(action_now)
    login(client, owner)
    page = remove(client, owner, action_now)
    assert "Maria is the only owner. Make someone else an owner first." in page
    assert staff(action_now) == before


def test_an_organizer_may_leave(
    client: Client, organizer: User, owner: User, action_now: Organization
) -> None:
    login(client, organizer)
    membership = Membership.objects.get(user=organizer)
    url = reverse("organizations_manage:remove_member", args=["action-now", membership.pk])
    response = client.post(url)
    assert response.url == reverse("front_manage:index")
    assert not Membership.objects.filter(user=organizer).exists()


def test_an_owner_removes_another_owner(
    client: Client, owner: User, admin: User, action_now: Organization
) -> None:
    Membership.objects.filter(user=admin).update(role="owner")
    login(client, owner)
    remove(client, admin, action_now)
    assert list(action_now.memberships.values_list("user__email", flat=True)) == [owner.email]
