"""A mail server that is down delays email; it loses none."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from groundswell.core.mail import RETRY_DELAYS
from groundswell.petitions import actions, counts
from groundswell.petitions.models import Milestone, Petition
from tests.petitions.test_counts import add_signatures
from tests.smtp import Mailbox

pytestmark = pytest.mark.django_db


def time_passes() -> None:
    """Make every deferred task due now, as if its delay had gone by."""
    DBTaskResult.objects.filter(status="READY").update(
        run_after=timezone.now() - datetime.timedelta(seconds=1)
    )


def test_a_confirmation_email_waits_in_the_outbox_until_the_server_takes_it(
    petition: Petition, mailbox: Mailbox, drain: Any
) -> None:
    import time

    from groundswell.petitions import tasks
    from groundswell.petitions.models import Signature

    mailbox.refusing = True
    actions.record_signature(
        petition,
        first_name="A",
        last_name="B",
        email="a@example.org",
        email_normalized="a@example.org",
        zip_code="60608",
    )
    drain()
    assert mailbox.messages == []
    assert Signature.objects.get().verification_due  # rolled back: still waiting
    mailbox.refusing = False
    assert tasks.send_due_verifications() == 0  # backing off after the failure
    assert tasks.send_due_verifications(now=time.monotonic() + 10) == 1
    assert len(mailbox.wait_for(1)) == 1
    signature = Signature.objects.get()
    assert not signature.verification_due and signature.verification_sent_at is not None


def test_a_milestone_notice_is_retried_and_sent_once(
    petition: Petition, mailbox: Mailbox, drain: Any
) -> None:
    mailbox.refusing = True
    add_signatures(petition, 1000, verified=True)
    counts.recount(petition)
    drain()
    assert Milestone.objects.get().notified_at is None
    mailbox.refusing = False
    time_passes()
    drain()
    assert Milestone.objects.get().notified_at is not None
    assert len(mailbox.to("staff@actionnow.example")) == 1


def test_it_gives_up_after_the_last_retry(petition: Petition, mailbox: Mailbox, drain: Any) -> None:
    mailbox.refusing = True
    add_signatures(petition, 1000, verified=True)
    counts.recount(petition)
    for _ in range(len(RETRY_DELAYS) + 2):
        drain()
        time_passes()
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert DBTaskResult.objects.count() == len(RETRY_DELAYS) + 1
    assert Milestone.objects.get().notified_at is None
