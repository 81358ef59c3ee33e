"""One set of rules for a petition's status, whichever way a change comes in.

The organizer screen, the API and the admin each ask `petitions.actions` to publish,
close or reopen; a change the rules refuse is refused by every one of them with the
same reason, and leaves the petition exactly as it was.
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.petitions import actions
from groundswell.petitions.models import Petition, PetitionCount, Status
from tests.api.conftest import ApiClient, token_for
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _draft(
    organization: Organization,
    *,
    targets: list[dict[str, str]] | None = None,
    ask: str = "Fund it.",
) -> Petition:
    return actions.create_petition(
        owner=organization,
        created_by=None,
        targets=[{"name": "Mayor"}] if targets is None else targets,
        slug="peacekeepers",
        title="Fund the Peacekeepers",
        ask=ask,
    )


def without_a_decision_maker(organization: Organization) -> Petition:
    return _draft(organization, targets=[])


def without_an_ask(organization: Organization) -> Petition:
    return _draft(organization, ask="")


def past_its_deadline(organization: Organization) -> Petition:
    petition = _draft(organization)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Petition.objects.filter(pk=petition.pk).update(deadline=yesterday)
    return Petition.objects.get(pk=petition.pk)


def a_draft(organization: Organization) -> Petition:
    return _draft(organization)


def a_victory(organization: Organization) -> Petition:
    petition = _draft(organization)
    actions.publish(petition)
    actions.declare_victory(petition)
    return petition


# (how the petition stands, the status asked for, the reason every interface gives)
RULES = {
    "no decision maker": (
        without_a_decision_maker,
        Status.OPEN,
        "Add at least one decision maker before publishing.",
    ),
    "no ask": (without_an_ask, Status.OPEN, "Say what the petition asks for before publishing."),
    "deadline passed": (
        past_its_deadline,
        Status.OPEN,
        "The deadline has passed. Move it to a later day first.",
    ),
    "closing a draft": (a_draft, Status.CLOSED, "Only an open petition can be closed."),
    "reopening a victory": (a_victory, Status.OPEN, "Only a closed petition can be reopened."),
}


def through_the_organizer_screen(client: Client, owner: User, petition: Petition, to: str) -> str:
    if to == Status.CLOSED:
        name = "close"
    else:
        name = "publish" if petition.status == Status.DRAFT else "reopen"
    url = reverse(f"petitions_manage:{name}", args=[petition.owner.slug, petition.slug])
    return login(client, owner).post(url, follow=True).content.decode()


def through_the_api(client: Client, owner: User, petition: Petition, to: str) -> str:
    api = ApiClient(client, token_for(petition.owner))
    response = api.put(f"petitions/{petition.pk}", {"groundswell:status": to})
    assert response.status_code == 400
    return str(response.json()["error"])


def through_the_admin(client: Client, owner: User, petition: Petition, to: str) -> str:
    operator = User.objects.create_superuser("ops@groundswell.example", "x" * 12)
    action = "close_petitions" if to == Status.CLOSED else "open_petitions"
    response = login(client, operator).post(
        reverse("admin:petitions_petition_changelist"),
        {"action": action, "_selected_action": [str(petition.pk)]},
        follow=True,
    )
    return response.content.decode()


INTERFACES: dict[str, Callable[[Client, User, Petition, str], str]] = {
    "organizer screen": through_the_organizer_screen,
    "API": through_the_api,
    "admin": through_the_admin,
}


def snapshot(petition: Petition) -> tuple[object, ...]:
    petition = Petition.objects.get(pk=petition.pk)
    return (
        petition.status,
        petition.published_at,
        petition.closed_at,
        petition.won_at,
        petition.updated_at,
        PetitionCount.objects.filter(petition=petition).exists(),
    )


@pytest.mark.parametrize("interface", INTERFACES)
@pytest.mark.parametrize("rule", RULES)
def test_every_interface_refuses_what_the_rules_refuse_and_changes_nothing(
    client: Client, owner: User, action_now: Organization, rule: str, interface: str
) -> None:
    make, to, reason = RULES[rule]
    petition = make(action_now)
    before = snapshot(petition)

    answer = INTERFACES[interface](client, owner, petition, to)

    assert reason in html.unescape(answer)
    assert snapshot(petition) == before


@pytest.mark.parametrize("rule", RULES)
def test_the_actions_refuse_with_the_reason(action_now: Organization, rule: str) -> None:
    make, to, reason = RULES[rule]
    petition = make(action_now)
    change = actions.close if to == Status.CLOSED else actions.reopen
    if petition.status == Status.DRAFT and to == Status.OPEN:
        change = actions.publish

    with pytest.raises(actions.StatusRefused, match=reason):
        change(petition)
    assert Petition.objects.get(pk=petition.pk).status == petition.status


@pytest.mark.parametrize("interface", INTERFACES)
def test_every_interface_publishes_a_ready_draft(
    client: Client, owner: User, action_now: Organization, interface: str
) -> None:
    petition = a_draft(action_now)

    if interface == "API":
        api = ApiClient(client, token_for(action_now))
        assert (
            api.put(f"petitions/{petition.pk}", {"groundswell:status": "open"}).status_code == 200
        )
    else:
        INTERFACES[interface](client, owner, petition, Status.OPEN)

    petition.refresh_from_db()
    assert petition.status == Status.OPEN
    assert petition.published_at is not None


def test_the_admin_shows_the_status_but_does_not_edit_it(
    client: Client, petition: Petition
) -> None:
    operator = User.objects.create_superuser("ops@groundswell.example", "x" * 12)
    url = reverse("admin:petitions_petition_change", args=[petition.pk])
    page = login(client, operator).get(url).content.decode()

    assert 'name="status"' not in page
