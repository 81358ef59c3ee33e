"""A decision maker's response, recorded with "email it", reaches the verified signers
who consented to the owner over real SMTP, once, by the updates' path."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groundswell.accounts.models import User
from groundswell.core import outbox
from groundswell.organizations.models import Organization
from groundswell.petitions import actions, emails
from groundswell.petitions.models import Petition, PetitionResponse
from tests.conftest import login
from tests.petitions.test_manage_updates import sign
from tests.smtp import Mailbox

pytestmark = pytest.mark.django_db


def response_url(petition: Petition) -> str:
    return reverse("petitions_manage:response_create", args=["action-now", petition.slug])


def test_a_response_is_emailed_once_to_the_signers_who_consented_to_the_owner(
    client: Client,
    organizer: User,
    petition: Petition,
    action_now: Organization,
    ocad: Organization,
    mailbox: Mailbox,
    drain: Any,
) -> None:
    sign(petition, "Ana", consents=[action_now.pk])
    sign(petition, "Luz", consents=[action_now.pk], language="es")
    sign(petition, "Ben", consents=[ocad.pk])
    sign(petition, "Dan", consents=[])
    drain()
    mailbox.clear()

    response = login(client, organizer).post(
        response_url(petition),
        {
            "target": str(petition.targets.get().pk),
            "responder": "",
            "responded_on": timezone.localdate().isoformat(),
            "body": "The Mayor will meet the coalition on **Monday**.",
            "body_es": "El alcalde se reunirá con la coalición el lunes.",
            "email_signers": "on",
        },
    )
    assert response.status_code == 303
    drain()
    drain()  # a second run finds nothing more to send

    messages = mailbox.wait_for(2)
    assert sorted(str(m["To"]) for m in messages) == ["ana@example.org", "luz@example.org"]
    ana = mailbox.to("ana@example.org")[0]
    assert "Rahm Emanuel responded" in str(ana["Subject"])
    assert "Monday" in Mailbox.text(ana)
    assert "/people/unsubscribe/" in str(ana["List-Unsubscribe"])
    luz = mailbox.to("luz@example.org")[0]
    assert "el lunes" in Mailbox.text(luz)
    recorded = PetitionResponse.objects.get()
    assert (recorded.emailed_count, recorded.emailed_at is not None) == (2, True)
    assert len(mailbox.messages) == 2
    dashboard = client.get(response["Location"]).content.decode()
    assert "emailed to 2 signers" in dashboard


def test_queuing_a_response_again_after_a_cut_off_run_sends_nobody_twice(
    organizer: User,
    petition: Petition,
    action_now: Organization,
    mailbox: Mailbox,
    drain: Any,
    settings: Any,
) -> None:
    for name in ("Ana", "Ben", "Cat"):
        sign(petition, name, consents=[action_now.pk])
    drain()
    mailbox.clear()
    settings.EMAIL_BATCH_SIZE = 2
    recorded = actions.record_response(
        petition,
        recorded_by=organizer,
        target=petition.targets.get(),
        body="We will vote yes.",
        email_signers=True,
    )
    # A first run queued one batch, then the worker died before finishing.
    PetitionResponse.objects.filter(pk=recorded.pk).update(emailed_through=0)
    emails.queue_response_recipients(recorded.pk)
    PetitionResponse.objects.filter(pk=recorded.pk).update(emailed_at=None)
    emails.queue_response_recipients(recorded.pk)
    drain()

    assert sorted(str(m["To"]) for m in mailbox.wait_for(3)) == [
        "ana@example.org",
        "ben@example.org",
        "cat@example.org",
    ]
    assert len(mailbox.messages) == 3
    assert not outbox.pending_in(emails.RESPONSES.group(recorded.pk))


def test_a_response_not_to_be_emailed_is_only_recorded(
    organizer: User, petition: Petition, action_now: Organization, mailbox: Mailbox, drain: Any
) -> None:
    sign(petition, "Ana", consents=[action_now.pk])
    drain()
    mailbox.clear()

    actions.record_response(
        petition,
        recorded_by=organizer,
        responder="Office of the Mayor",
        body="No comment.",
        email_signers=False,
    )
    drain()

    assert mailbox.messages == []
    assert PetitionResponse.objects.get().emailed_count == 0
