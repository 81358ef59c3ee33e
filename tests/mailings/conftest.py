"""Supporters of Action Now to mail: Ana and Ben agreed to its emails, Cy did not,
Dee unsubscribed; all four are tagged "members"."""

from __future__ import annotations

from typing import Any

import pytest

from groundswell.mailings import actions
from groundswell.mailings.models import Mailing
from groundswell.organizations.models import Membership, Organization
from groundswell.people import actions as people_actions
from groundswell.people.actions.lists import get_or_create_tag, tag_people
from groundswell.people.models import Person, Tag


def supporter(
    organization: Organization,
    email: str,
    first_name: str,
    *,
    consent: bool = True,
    language: str = "en",
) -> Person:
    person = people_actions.record_person(
        email=email, first_name=first_name, language=language, organization=organization
    )
    people_actions.link(person, organization, source="test")
    if consent:
        people_actions.grant_consent(person, organization, source="test")
    return person


@pytest.fixture
def members(action_now: Organization) -> Tag:
    tag = get_or_create_tag(action_now, "members")
    ana = supporter(action_now, "ana@example.org", "Ana")
    ben = supporter(action_now, "ben@example.org", "", language="es")
    cy = supporter(action_now, "cy@example.org", "Cy", consent=False)
    dee = supporter(action_now, "dee@example.org", "Dee")
    people_actions.withdraw_email_consent(dee, action_now, source="test")
    tag_people(tag, [ana.pk, ben.pk, cy.pk, dee.pk])
    return tag


@pytest.fixture
def membership(organizer: Any, action_now: Organization) -> Membership:
    return Membership.objects.get(user=organizer, organization=action_now)


@pytest.fixture
def owner_membership(owner: Any, action_now: Organization) -> Membership:
    return Membership.objects.get(user=owner, organization=action_now)


def write(membership: Membership, tag: Tag, **extra: Any) -> Mailing:
    fields: dict[str, Any] = {
        "subject": 'Hello {{ first_name|default:"friend" }}',
        "body": 'Dear {{ first_name|default:"friend" }},\n\nJoin us *Saturday*.',
        "language": "en",
        "chosen": {"tags": [str(tag.pk)]},
        "versions": {"es": ('Hola {{ first_name|default:"amiga" }}', "Te esperamos el sábado.")},
    }
    fields.update(extra)
    return actions.save_mailing(membership, None, **fields)
