"""Nobody outside an organization's staff sees or changes anything under /manage/<org>/."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.organizations import actions
from groundswell.organizations.models import (
    CoalitionInvitation,
    Invitation,
    Membership,
    Organization,
    Role,
)
from tests.conftest import answerer_of, login
from tests.organizations.conftest import join_coalition

# (URL name, method, extra URL kwargs builder)
PAGES = [
    ("home", "get"),
    ("settings", "get"),
    ("settings", "post"),
    ("members", "get"),
    ("invite", "post"),
    ("change_role", "post"),
    ("remove_member", "post"),
    ("revoke_invitation", "post"),
    ("coalition", "get"),
    ("invite_coalition_member", "post"),
    ("withdraw_coalition_invitation", "post"),
    ("accept_coalition_invitation", "post"),
    ("decline_coalition_invitation", "post"),
    ("remove_coalition_member", "post"),
    ("leave_coalition", "post"),
]

# Answering another organization's invitation and leaving a coalition are refused to an
# organizer by the actions, with a message (tests/organizations/test_coalition.py).
ADMIN_ONLY = [
    ("settings", "get"),
    ("settings", "post"),
    ("invite", "post"),
    ("change_role", "post"),
    ("revoke_invitation", "post"),
    ("invite_coalition_member", "post"),
    ("withdraw_coalition_invitation", "post"),
    ("remove_coalition_member", "post"),
]


@pytest.fixture
def targets(
    owner: User,
    organizer: User,
    action_now: Organization,
    ocad: Organization,
    other_org: Organization,
    coalition: Organization,
) -> Any:
    """Something real behind every URL: a member, an invitation, a coalition member, an
    invitation sent to join Action Now's coalition, one received from another coalition,
    and a coalition Action Now belongs to."""
    action_now.is_coalition = True
    action_now.save()
    owner_membership = Membership.objects.get(user=owner, organization=action_now)
    invitation = actions.invite_staff(owner_membership, "new@actionnow.example", Role.ORGANIZER)
    join_coalition(action_now, ocad)
    sent = actions.invite_to_coalition(owner_membership, other_org)
    received = actions.invite_to_coalition(answerer_of(coalition), action_now)
    alliance = Organization.objects.create(name="Alliance", slug="alliance", is_coalition=True)
    join_coalition(alliance, action_now)
    return {
        "member": Membership.objects.get(user=owner, organization=action_now).pk,
        "invitation": invitation.pk,
        "coalition_member": ocad.slug,
        "sent": sent.pk,
        "received": received.pk,
        "coalition": alliance.slug,
    }


def url(name: str, targets: dict[str, Any]) -> str:
    kwargs: dict[str, Any] = {"org": "action-now"}
    if name in ("change_role", "remove_member"):
        kwargs["member"] = targets["member"]
    if name == "revoke_invitation":
        kwargs["invitation"] = targets["invitation"]
    if name == "remove_coalition_member":
        kwargs["member"] = targets["coalition_member"]
    if name == "withdraw_coalition_invitation":
        kwargs["invitation"] = targets["sent"]
    if name in ("accept_coalition_invitation", "decline_coalition_invitation"):
        kwargs["invitation"] = targets["received"]
    if name == "leave_coalition":
        kwargs["coalition"] = targets["coalition"]
    return reverse(f"organizations_manage:{name}", kwargs=kwargs)


def snapshot(organization: Organization) -> tuple[Any, ...]:
    organization.refresh_from_db()
    return (
        organization.name,
        sorted(organization.memberships.values_list("user_id", "role")),
        sorted(Invitation.objects.values_list("pk", "revoked_at", "accepted_at")),
        sorted(organization.members.values_list("slug", flat=True)),
        sorted(organization.coalitions.values_list("slug", flat=True)),
        sorted(CoalitionInvitation.objects.values_list("pk", "state")),
    )


@pytest.mark.parametrize(("name", "method"), PAGES)
def test_it_forbids_every_manage_page_to_a_non_member(
    client: Client, outsider: User, action_now: Organization, targets: Any, name: str, method: str
) -> None:
    before = snapshot(action_now)
    login(client, outsider)
    response = getattr(client, method)(url(name, targets), {"name": "Hijacked", "role": "owner"})
    assert response.status_code == 403, f"{method.upper()} {name} answered {response.status_code}"
    assert snapshot(action_now) == before


@pytest.mark.parametrize(("name", "method"), ADMIN_ONLY)
def test_it_forbids_admin_pages_to_an_organizer(
    client: Client, organizer: User, action_now: Organization, targets: Any, name: str, method: str
) -> None:
    before = snapshot(action_now)
    login(client, organizer)
    response = getattr(client, method)(url(name, targets), {"name": "Hijacked", "role": "owner"})
    assert response.status_code == 403, f"{method.upper()} {name} answered {response.status_code}"
    assert snapshot(action_now) == before


@pytest.mark.parametrize(("name", "method"), PAGES)
def test_it_sends_anonymous_visitors_to_the_login_page(
    client: Client, action_now: Organization, targets: Any, name: str, method: str
) -> None:
    before = snapshot(action_now)
    response = getattr(client, method)(url(name, targets))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert snapshot(action_now) == before


def test_it_answers_404_for_an_organization_that_does_not_exist(
    client: Client, owner: User
) -> None:
    login(client, owner)
    response = client.get(reverse("organizations_manage:home", args=["no-such-org"]))
    assert response.status_code == 404
