"""The operator's Django admin for organizations, invitations, people and consent."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.organizations import actions
from groundswell.organizations.models import Membership, Organization, Role
from groundswell.people import actions as people_actions
from tests.conftest import PASSWORD
from tests.organizations.conftest import join_coalition


@pytest.fixture
def operator(db: None) -> User:
    return User.objects.create_superuser("ops@groundswell.example", PASSWORD)


@pytest.fixture
def operator_client(client: Client, operator: User) -> Client:
    client.force_login(operator)
    return client


def test_the_organization_page_shows_staff_and_coalition_members(
    operator_client: Client, action_now: Organization, ocad: Organization, owner: User
) -> None:
    action_now.is_coalition = True
    action_now.save()
    join_coalition(action_now, ocad)
    url = reverse("admin:organizations_organization_change", args=[action_now.pk])
    page = operator_client.get(url).content.decode()
    assert f'<option value="{owner.pk}" selected>Maria</option>' in page
    assert "Organized Communities Against Deportations" in page


def test_an_operator_creates_an_organization_with_its_first_owner(
    operator_client: Client, owner: User
) -> None:
    prefix_staff, prefix_members = "memberships", "member_links"
    response = operator_client.post(
        reverse("admin:organizations_organization_add"),
        {
            "name": "Brighton Park Neighborhood Council",
            "slug": "bpnc",
            "description": "",
            "website": "",
            "email": "",
            f"{prefix_staff}-TOTAL_FORMS": "1",
            f"{prefix_staff}-INITIAL_FORMS": "0",
            f"{prefix_staff}-0-user": str(owner.pk),
            f"{prefix_staff}-0-role": Role.OWNER,
            f"{prefix_members}-TOTAL_FORMS": "0",
            f"{prefix_members}-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    bpnc = Organization.objects.get(slug="bpnc")
    assert Membership.objects.get(organization=bpnc).user == owner


def test_invitations_are_listed_and_withdrawn_but_not_added(
    operator_client: Client, owner: User, action_now: Organization
) -> None:
    inviter = Membership.objects.get(user=owner)
    invitation = actions.invite_staff(inviter, "jo@example.org", Role.ORGANIZER)
    changelist = reverse("admin:organizations_invitation_changelist")
    assert b"jo@example.org" in operator_client.get(changelist).content
    assert operator_client.get(reverse("admin:organizations_invitation_add")).status_code == 403
    operator_client.post(changelist, {"action": "revoke", "_selected_action": [str(invitation.pk)]})
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_people_and_their_consent_are_shown_read_only(
    operator_client: Client, action_now: Organization
) -> None:
    person = people_actions.record_person(email="ana.reyes@example.org", first_name="Ana")
    consent = people_actions.grant_consent(person, action_now, source="petition:defend-chicago")
    page = operator_client.get(reverse("admin:people_person_change", args=[person.pk]))
    assert page.status_code == 200
    assert b"petition:defend-chicago" in page.content
    consent_page = operator_client.get(reverse("admin:people_consent_change", args=[consent.pk]))
    assert consent_page.status_code == 200
    assert b'name="source"' not in consent_page.content  # nothing editable
    assert operator_client.get(reverse("admin:people_consent_add")).status_code == 403
    assert operator_client.get(reverse("admin:people_person_add")).status_code == 403
    changelist = operator_client.get(reverse("admin:people_consent_changelist"))
    assert changelist.status_code == 200


def _staff_form(organization: Organization, roles: dict[Membership, str], **extra: str) -> dict:
    data = {
        "name": organization.name,
        "slug": organization.slug,
        "is_coalition": "",
        "description": organization.description,
        "website": organization.website,
        "email": organization.email,
        "memberships-TOTAL_FORMS": str(len(roles)),
        "memberships-INITIAL_FORMS": str(len(roles)),
        "member_links-TOTAL_FORMS": "0",
        "member_links-INITIAL_FORMS": "0",
    }
    for i, (membership, role) in enumerate(roles.items()):
        data[f"memberships-{i}-id"] = str(membership.pk)
        data[f"memberships-{i}-organization"] = str(organization.pk)
        data[f"memberships-{i}-user"] = str(membership.user_id)
        data[f"memberships-{i}-role"] = role
    data.update(extra)
    return data


def test_the_staff_inline_cannot_demote_or_remove_the_only_owner(
    operator_client: Client, action_now: Organization, owner: User, organizer: User
) -> None:
    maria = Membership.objects.get(user=owner)
    dee = Membership.objects.get(user=organizer)
    url = reverse("admin:organizations_organization_change", args=[action_now.pk])
    demoted = operator_client.post(
        url, _staff_form(action_now, {maria: Role.ADMIN, dee: Role.ORGANIZER})
    )
    assert demoted.status_code == 200
    assert "Maria is the only owner. Make someone else an owner first." in demoted.content.decode()
    removed = operator_client.post(
        url,
        _staff_form(
            action_now, {maria: Role.OWNER, dee: Role.ORGANIZER}, **{"memberships-0-DELETE": "on"}
        ),
    )
    assert "Maria is the only owner." in removed.content.decode()
    maria.refresh_from_db()
    assert maria.role == Role.OWNER
    # Handing over is allowed: Dee becomes owner as Maria steps down, in one save.
    swapped = operator_client.post(
        url, _staff_form(action_now, {maria: Role.ADMIN, dee: Role.OWNER})
    )
    assert swapped.status_code == 302, swapped.content.decode()[:3000]
    assert Membership.objects.get(user=organizer).role == Role.OWNER


def test_an_admin_change_reaches_the_organizations_audit_log(
    operator_client: Client, operator: User, action_now: Organization, owner: User, organizer: User
) -> None:
    from groundswell.people.models import AuditEvent

    maria = Membership.objects.get(user=owner)
    dee = Membership.objects.get(user=organizer)
    url = reverse("admin:organizations_organization_change", args=[action_now.pk])
    response = operator_client.post(
        url, _staff_form(action_now, {maria: Role.OWNER, dee: Role.ADMIN})
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(organization=action_now)
    assert (event.action, event.user) == (AuditEvent.Action.CHANGED, operator)
    assert event.detail.startswith("in the admin: changed organization")
    assert "membership (Role)" in event.detail
    assert organizer.email not in event.detail
