"""The log keeps WEBHOOKS_RETENTION_DAYS of deliveries; erasing a person deletes every
delivery about them (their bodies hold their details)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.people.models import Erasure, Person, Supporter
from groundswell.people.rights import actions as rights
from groundswell.petitions.models import Petition
from groundswell.webhooks import actions
from groundswell.webhooks.models import Delivery
from tests.webhooks.conftest import Receiver, endpoint, sign_and_verify

pytestmark = pytest.mark.django_db


def test_deliveries_older_than_the_retention_are_pruned(
    action_now: Organization, receiver: Receiver, settings: Any
) -> None:
    settings.WEBHOOKS_RETENTION_DAYS = 30
    hook = endpoint(action_now, receiver)
    now = timezone.now()
    old = Delivery.objects.create(
        endpoint=hook, event="person.created", created_at=now - datetime.timedelta(days=31)
    )
    recent = Delivery.objects.create(
        endpoint=hook, event="person.created", created_at=now - datetime.timedelta(days=29)
    )

    assert actions.prune(now=now) == 1

    assert list(Delivery.objects.all()) == [recent]
    assert not Delivery.objects.filter(pk=old.pk).exists()


def test_erasing_a_person_deletes_the_deliveries_about_them(
    petition: Petition,
    action_now: Organization,
    ocad: Organization,
    receiver: Receiver,
    drain: Any,
) -> None:
    endpoint(action_now, receiver)
    endpoint(ocad, receiver, "/ocad")
    sign_and_verify(petition)
    drain(periodic=False)
    assert Delivery.objects.filter(payload__isnull=False).count() == 4

    rights.erase(Person.objects.get(), via=Erasure.Via.OPERATOR)

    assert not Delivery.objects.exists()


def test_an_organization_forgetting_someone_deletes_only_its_deliveries(
    petition: Petition,
    action_now: Organization,
    ocad: Organization,
    owner: User,
    receiver: Receiver,
    drain: Any,
) -> None:
    endpoint(action_now, receiver)
    ocad_hook = endpoint(ocad, receiver, "/ocad")
    sign_and_verify(petition)
    drain(periodic=False)

    person = Person.objects.get()
    rights.erase_from_organization(person, action_now, by=owner)

    assert set(Delivery.objects.values_list("endpoint", flat=True)) == {ocad_hook.pk}
    assert Supporter.objects.filter(organization=ocad).exists()
