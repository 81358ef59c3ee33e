"""Volunteers still "new" after the organization's reminder days are emailed to their
assignee (or the organization's contact address), at most once a day."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from groundswell.accounts.models import User
from groundswell.core import worker
from groundswell.core.models import OutboundEmail
from groundswell.organizations.models import Organization
from groundswell.volunteers import actions, tasks
from groundswell.volunteers.models import Reminder, Stage, Volunteer
from tests.smtp import Mailbox
from tests.volunteers.conftest import volunteer

pytestmark = pytest.mark.django_db


def _age(record: Volunteer, days: float) -> None:
    """As if the volunteer had entered their stage `days` days ago."""
    then = timezone.now() - datetime.timedelta(days=days)
    Volunteer.objects.filter(pk=record.pk).update(stage_changed_at=then, signed_up_at=then)


def _run(now: datetime.datetime | None = None) -> int:
    queued = tasks.queue_reminders(now)
    worker.drain(periodic=False)
    return queued


def test_a_new_volunteer_waiting_three_days_is_emailed_to_the_contact_address_once(
    action_now: Organization, mailbox: Mailbox
) -> None:
    record = volunteer(action_now)
    mailbox.clear()
    _age(record, 2.9)
    assert _run() == 0
    _age(record, 3.1)
    assert _run() == 1
    [message] = mailbox.wait_for(1)
    assert message["To"] == "staff@actionnow.example"
    assert "1 volunteer is waiting to hear from you" in str(message["Subject"])
    text = Mailbox.text(message)
    assert "Ana Reyes" in text and f"/manage/action-now/volunteers/{record.pk}/" in text
    # The clock runs every hour: the same day, nothing more.
    assert _run() == 0
    assert _run() == 0
    assert len(mailbox.messages) == 1
    # The next day, still new: reminded again.
    assert _run(timezone.now() + datetime.timedelta(days=1)) == 1
    assert len(mailbox.wait_for(2)) == 2


def test_the_assignee_is_reminded_instead(
    action_now: Organization, organizer: User, owner: User, mailbox: Mailbox
) -> None:
    record = volunteer(action_now)
    actions.assign(record, organizer, by=owner)
    _age(record, 4)
    mailbox.clear()
    assert _run() == 1
    [message] = mailbox.wait_for(1)
    assert message["To"] == organizer.email


def test_volunteers_followed_up_are_not_reminded_of(
    action_now: Organization, mailbox: Mailbox
) -> None:
    record = volunteer(action_now)
    actions.move_stage(record, Stage.CONTACTED, by=None)
    _age(record, 10)
    assert _run() == 0


def test_followed_up_between_queueing_and_sending_sends_nothing(
    action_now: Organization, mailbox: Mailbox
) -> None:
    record = volunteer(action_now)
    _age(record, 5)
    mailbox.clear()
    assert tasks.queue_reminders() == 1
    actions.move_stage(record, Stage.CONTACTED, by=None)
    worker.drain(periodic=False)
    assert mailbox.messages == []
    assert OutboundEmail.objects.get(kind="volunteers.reminder").state == "skipped"
    assert Reminder.objects.get().sent_at is None


def test_the_organization_sets_the_days_or_turns_reminders_off(
    action_now: Organization, mailbox: Mailbox
) -> None:
    record = volunteer(action_now)
    _age(record, 1.5)
    actions.save_form_settings(action_now, reminder_days=1)
    assert _run() == 1
    actions.save_form_settings(action_now, reminder_days=0)
    assert _run(timezone.now() + datetime.timedelta(days=2)) == 0


def test_the_worker_clock_runs_the_reminders(action_now: Organization, mailbox: Mailbox) -> None:
    record = volunteer(action_now)
    _age(record, 4)
    mailbox.clear()
    worker.drain()
    assert len(mailbox.wait_for(1)) == 1
    worker.drain()
    assert len(mailbox.messages) == 1


def _remove(organization: Organization, user: User, *, by: User) -> None:
    from groundswell.organizations import actions as organization_actions
    from groundswell.organizations.models import Membership

    organization_actions.remove_member(
        Membership.objects.get(user=by, organization=organization),
        Membership.objects.get(user=user, organization=organization),
    )


def test_removing_a_member_unassigns_their_volunteers_and_the_contact_is_reminded(
    action_now: Organization, organizer: User, owner: User, mailbox: Mailbox
) -> None:
    record = volunteer(action_now)
    actions.assign(record, organizer, by=owner)
    _age(record, 4)
    _remove(action_now, organizer, by=owner)
    record.refresh_from_db()
    assert record.assignee is None
    assert record.changes.filter(kind="assigned", note="").exists()
    mailbox.clear()
    assert _run() == 1
    [message] = mailbox.wait_for(1)
    assert message["To"] == "staff@actionnow.example"
    assert organizer.email not in [str(m["To"]) for m in mailbox.messages]


def test_a_reminder_queued_before_the_member_was_removed_is_not_sent_to_them(
    action_now: Organization, organizer: User, owner: User, mailbox: Mailbox
) -> None:
    record = volunteer(action_now)
    actions.assign(record, organizer, by=owner)
    _age(record, 4)
    mailbox.clear()
    assert tasks.queue_reminders() == 1  # to the assignee, queued
    # Removed between queueing and sending (here, the membership alone goes, as the
    # admin's inline could once do: the send-time check holds anyway).
    from groundswell.organizations.models import Membership

    Membership.objects.filter(user=organizer, organization=action_now).delete()
    worker.drain(periodic=False)
    assert mailbox.messages == []
    assert OutboundEmail.objects.get(kind="volunteers.reminder").state == "skipped"
