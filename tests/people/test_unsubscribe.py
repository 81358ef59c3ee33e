"""Unsubscribe links (RFC 8058 one-click and the confirm page)."""

from __future__ import annotations

import pytest
from django.test import Client

from groundswell.organizations.models import Organization
from groundswell.people import actions, tokens
from groundswell.people.models import Consent

pytestmark = pytest.mark.django_db


def consenting(action_now: Organization, ocad: Organization) -> tuple[object, str]:
    person = actions.record_person(email="ana@example.org", first_name="Ana")
    actions.grant_consent(person, action_now, source="petition:a")
    actions.grant_consent(person, ocad, source="petition:a")
    return person, tokens.unsubscribe_token(person, action_now)


def test_one_click_post_withdraws_that_organizations_consent_only(
    client: Client, action_now: Organization, ocad: Organization
) -> None:
    person, token = consenting(action_now, ocad)
    response = client.post(f"/people/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    active = Consent.objects.active().filter(person=person)
    assert [c.organization for c in active] == [ocad]


def test_get_asks_before_withdrawing(
    client: Client, action_now: Organization, ocad: Organization
) -> None:
    person, token = consenting(action_now, ocad)
    response = client.get(f"/people/unsubscribe/{token}/")
    assert "Stop all emails from Action Now?" in response.content.decode()
    assert Consent.objects.active().filter(person=person).count() == 2


def test_a_forged_link_changes_nothing(
    client: Client, action_now: Organization, ocad: Organization
) -> None:
    person, token = consenting(action_now, ocad)
    response = client.post(f"/people/unsubscribe/{token[:-3]}abc/")
    assert response.status_code == 400
    assert Consent.objects.active().filter(person=person).count() == 2


def test_consent_given_again_after_unsubscribing_is_honored(
    client: Client, action_now: Organization, ocad: Organization
) -> None:
    person, token = consenting(action_now, ocad)
    client.post(f"/people/unsubscribe/{token}/")
    actions.grant_consent(person, action_now, source="petition:b")  # type: ignore[arg-type]
    assert Consent.objects.active().filter(person=person).count() == 2
