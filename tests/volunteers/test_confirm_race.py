"""Two sign-ups by the same person confirmed at the same moment make one volunteer."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from groundswell.organizations.models import Organization
from groundswell.volunteers import actions
from groundswell.volunteers.models import PipelineChange, Signup, Volunteer
from tests.volunteers.conftest import sign_up

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def test_two_confirmations_at_once_make_one_volunteer(action_now: Organization) -> None:
    client = Client()
    sign_up(client, action_now)
    sign_up(client, action_now, ward="3")
    tokens = [actions.confirmation_token(s) for s in Signup.objects.order_by("pk")]
    barrier = threading.Barrier(len(tokens))
    outcomes: list[str] = []

    def confirm(token: str) -> None:
        try:
            barrier.wait()
            outcomes.append(actions.confirm_signup(token).outcome.value)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["confirmed", "confirmed"]
    assert Volunteer.objects.count() == 1
    assert PipelineChange.objects.filter(kind=PipelineChange.Kind.SIGNED_UP).count() == 2
