"""The emailed link: /volunteer/confirm/<token>/ — GET shows a button, POST confirms."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from groundswell.organizations.models import Organization
from groundswell.people.models import Consent, Person, Supporter
from groundswell.volunteers import actions
from groundswell.volunteers.models import Interest, PipelineChange, Signup, Stage, Volunteer
from tests.volunteers.conftest import sign_up

pytestmark = pytest.mark.django_db


def _token(client: Client, organization: Organization, **overrides: Any) -> str:
    sign_up(client, organization, **overrides)
    return actions.confirmation_token(Signup.objects.latest("pk"))


def test_opening_the_link_changes_nothing(client: Client, action_now: Organization) -> None:
    token = _token(client, action_now)
    response = client.get(f"/volunteer/confirm/{token}/")
    assert response.status_code == 200
    assert "Confirm that I want to volunteer" in response.content.decode()
    assert not Volunteer.objects.exists() and not Person.objects.exists()


def test_confirming_puts_the_volunteer_in_the_pipeline_as_new(
    client: Client, action_now: Organization, interests: list[Interest]
) -> None:
    token = _token(client, action_now, interests=[str(i.pk) for i in interests])
    response = client.post(f"/volunteer/confirm/{token}/")
    assert response.status_code == 200
    assert "An organizer from Action Now will get in touch" in response.content.decode()
    volunteer = Volunteer.objects.get()
    assert volunteer.stage == Stage.NEW and volunteer.organization == action_now
    assert volunteer.full_name == "Ana Reyes" and volunteer.ward == 25
    assert set(volunteer.interests.all()) == set(interests)
    assert volunteer.person == Person.objects.get(email_normalized="ana.reyes@example.org")
    assert [c.kind for c in volunteer.changes.all()] == [PipelineChange.Kind.SIGNED_UP]
    supporter = Supporter.objects.get(organization=action_now)
    assert supporter.source == "volunteer:action-now"
    # No consent ticked: the organization knows them, but holds no contact details
    # for mailings and may not email them.
    assert supporter.email == "" and not Consent.objects.exists()


def test_consent_ticked_is_granted_on_confirmation(
    client: Client, action_now: Organization
) -> None:
    token = _token(client, action_now, consent="on", phone="312-555-0123")
    assert not Consent.objects.exists()
    client.post(f"/volunteer/confirm/{token}/")
    consent = Consent.objects.get(organization=action_now)
    assert consent.withdrawn_at is None and consent.source == "volunteer:action-now"
    supporter = Supporter.objects.visible_to(action_now).get()
    assert supporter.contactable  # type: ignore[attr-defined]
    assert supporter.email == "ana.reyes@example.org" and supporter.phone == "+13125550123"


def test_confirming_twice_says_already_confirmed(client: Client, action_now: Organization) -> None:
    token = _token(client, action_now)
    client.post(f"/volunteer/confirm/{token}/")
    again = client.post(f"/volunteer/confirm/{token}/")
    assert again.status_code == 200
    assert "Already confirmed" in again.content.decode()
    assert Volunteer.objects.count() == 1
    assert PipelineChange.objects.count() == 1


def test_a_forged_link_changes_nothing(client: Client, action_now: Organization) -> None:
    token = _token(client, action_now)
    other = signing.dumps({"s": Signup.objects.get().pk, "e": "0" * 16}, salt=actions.CONFIRM_SALT)
    for bad in (token[:-3] + "abc", other, "nonsense"):
        response = client.post(f"/volunteer/confirm/{bad}/")
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()
    assert not Volunteer.objects.exists() and not Person.objects.exists()


def test_an_expired_link_says_so(
    client: Client, action_now: Organization, settings: Any, monkeypatch: Any
) -> None:
    token = _token(client, action_now)
    later = timezone.now() + datetime.timedelta(days=settings.VERIFICATION_MAX_AGE_DAYS + 1)
    monkeypatch.setattr("time.time", lambda: later.timestamp())
    response = client.post(f"/volunteer/confirm/{token}/")
    assert response.status_code == 410
    assert not Volunteer.objects.exists()


def test_signing_up_again_updates_the_same_volunteer(
    client: Client, action_now: Organization, interests: list[Interest]
) -> None:
    client.post(f"/volunteer/confirm/{_token(client, action_now)}/")
    volunteer = Volunteer.objects.get()
    actions.move_stage(volunteer, Stage.INACTIVE, by=None)
    token = _token(
        client, action_now, interests=[str(interests[1].pk)], ward="12", skills="Driving"
    )
    client.post(f"/volunteer/confirm/{token}/")
    volunteer.refresh_from_db()
    assert Volunteer.objects.count() == 1
    assert volunteer.stage == Stage.NEW  # came back: followed up again
    assert volunteer.ward == 12 and volunteer.skills == "Driving"
    assert list(volunteer.interests.all()) == [interests[1]]


def test_unconfirmed_sign_ups_are_pruned_once_their_link_expired(
    client: Client, action_now: Organization, settings: Any
) -> None:
    from groundswell.volunteers.tasks import prune_unconfirmed

    sign_up(client, action_now)
    confirmed = _token(client, action_now, email="bo@example.org")
    client.post(f"/volunteer/confirm/{confirmed}/")
    later = timezone.now() + datetime.timedelta(days=settings.VERIFICATION_MAX_AGE_DAYS + 1)
    assert prune_unconfirmed(later) == 1
    assert list(Signup.objects.values_list("email", flat=True)) == ["bo@example.org"]
