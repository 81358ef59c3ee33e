"""Dee (organizer) builds a follow-up on the petition from the organizer pages and sees
who sits at each step; bad input changes nothing; Sam (outsider) sees none of it."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from groundswell.core.worker import drain
from groundswell.ladders.models import Ladder, Step
from groundswell.petitions.models import Petition
from tests.conftest import login
from tests.ladders.conftest import sign_and_verify


def test_an_organizer_builds_starts_and_follows_a_ladder(
    client: Client, organizer: Any, petition: Petition
) -> None:
    login(client, organizer)
    response = client.post(
        reverse("ladders_manage:create", args=["action-now"]),
        {"name": "Thanks for signing", "trigger": "signed", "petition": str(petition.pk)},
    )
    ladder = Ladder.objects.get()
    assert response["Location"] == reverse("ladders_manage:detail", args=["action-now", ladder.pk])
    steps = reverse("ladders_manage:step_create", args=["action-now", ladder.pk])
    client.post(steps, {"kind": "wait", "wait_days": "1", "wait_hours": "2"})
    client.post(steps, {"kind": "email", "subject": "Thanks {{ first_name }}", "body": "Hi"})
    client.post(reverse("ladders_manage:activate", args=["action-now", ladder.pk]), {"active": "1"})
    sign_and_verify(petition)
    drain()
    page = client.get(response["Location"])
    assert [s.wait_hours for s in Step.objects.all()] == [26, 0]
    assert "Running" in page.content.decode()
    # Ana waits a day before the email: she sits at the second step.
    assert [row.waiting for row in page.context["figures"].steps] == [0, 1]


def test_an_unknown_merge_field_is_refused_and_nothing_saved(
    client: Client, organizer: Any, petition: Petition
) -> None:
    login(client, organizer)
    client.post(
        reverse("ladders_manage:create", args=["action-now"]),
        {"name": "Thanks", "trigger": "signed", "petition": str(petition.pk)},
    )
    ladder = Ladder.objects.get()
    response = client.post(
        reverse("ladders_manage:step_create", args=["action-now", ladder.pk]),
        {"kind": "email", "subject": "Hi {{ nickname }}", "body": "Hello"},
    )
    assert response.status_code == 200
    assert "is not a merge field" in response.content.decode()
    assert not Step.objects.exists()


def test_an_outsider_sees_no_ladder(client: Client, outsider: Any, organizer: Any) -> None:
    login(client, outsider)
    response = client.get(reverse("ladders_manage:list", args=["action-now"]))
    assert response.status_code == 403
