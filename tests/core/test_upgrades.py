"""An installation upgraded while emails wait as tasks of the old design loses none:
each app's migration turns them into outbox rows, which the worker then sends."""

from __future__ import annotations

import importlib
import uuid
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from groundswell.core.models import OutboundEmail
from groundswell.events.models import Event
from groundswell.organizations.models import Organization
from groundswell.petitions import counts
from groundswell.petitions.models import Milestone, Petition, PetitionUpdate
from tests.petitions.test_counts import add_signatures
from tests.smtp import Mailbox

pytestmark = pytest.mark.django_db


def old_task(path: str, *args: Any, **kwargs: Any) -> None:
    DBTaskResult.objects.create(
        id=uuid.uuid4(),
        status="READY",
        args_kwargs={"args": list(args), "kwargs": kwargs},
        task_path=path,
        queue_name="default",
        backend_name="default",
        run_after=timezone.now(),
    )


def migrate(app: str, name: str) -> None:
    importlib.import_module(f"groundswell.{app}.migrations.{name}").forwards(apps, None)


def test_waiting_petition_emails_go_on_from_the_outbox(
    petition: Petition, action_now: Organization, mailbox: Mailbox, drain: Any
) -> None:
    add_signatures(petition, 1000, verified=True)
    counts.recount(petition)
    milestone = Milestone.objects.get()
    Milestone.objects.update(notified_at=None)
    OutboundEmail.objects.all().delete()  # as if queued the old way
    old_task("groundswell.petitions.tasks.send_milestone_notice", milestone.pk, attempt=2)
    update = PetitionUpdate.objects.create(petition=petition, title="News", body="B")
    old_task("groundswell.petitions.tasks.send_update_batch", update.pk, attempt=1)
    migrate("petitions", "0007_email_tasks_to_outbox")
    assert not DBTaskResult.objects.filter(task_path__contains="send_").exists()
    moved = DBTaskResult.objects.get()
    assert moved.task_path == "groundswell.petitions.tasks.queue_update_emails"
    assert moved.args_kwargs == {"args": [update.pk], "kwargs": {}}
    drain()
    assert mailbox.to("staff@actionnow.example")  # the milestone notice
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_waiting_rsvp_notices_and_invitations_go_on(
    action_now: Organization, mailbox: Mailbox, drain: Any
) -> None:
    from tests.events.conftest import make_event, rsvp_as

    event: Event = make_event(action_now)
    rsvp = rsvp_as(event, "ana@example.org").rsvp
    OutboundEmail.objects.all().delete()
    old_task("groundswell.events.tasks.send_rsvp_notice", rsvp.pk, "confirmed")
    migrate("events", "0004_email_tasks_to_outbox")
    drain()
    assert mailbox.to("ana@example.org")
