"""A medical emergency starts a clock: when nobody acts in CASES_EMERGENCY_SLA_MINUTES,
the worker emails the case managers and owners, once."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from groundswell.accounts.models import User
from groundswell.cases import actions
from groundswell.cases.models import AuditEntry, Case, CaseType, Urgency
from groundswell.organizations.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def emergency(
    action_now: Organization,
    types: dict[str, CaseType],
    manager: User,
    drain: Any,
    mailbox: Any,
) -> Case:
    case = actions.open_case(
        action_now,
        case_type=types["medical-emergency"],
        client_name="Fictional Client",
        medical_details="no insulin",
        requester=actions.Requester(name="Rosa Martinez", email="rosa@example.org"),
    )
    assert case.urgency == Urgency.EMERGENCY
    drain()
    assert [m["To"] for m in mailbox.messages] == ["rosa@example.org"]  # received
    mailbox.clear()
    return case


def _run_out(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(
        sla_due_at=timezone.now() - datetime.timedelta(minutes=1)
    )


def test_an_emergency_nobody_acted_on_is_escalated_once_by_email(
    emergency: Case, owner: User, manager: User, organizer: User, drain: Any, mailbox: Any
) -> None:
    drain()
    assert mailbox.messages == []  # the clock has not run out
    _run_out(emergency)
    drain()
    drain()
    messages = mailbox.wait_for(2)
    assert sorted(m["To"] for m in messages) == [manager.email, owner.email]
    bodies = {m["To"]: m.get_body(("plain",)).get_content() for m in messages}
    for body in bodies.values():
        assert emergency.reference in body and "no insulin" not in body
        assert "Fictional" not in body
    # Cora opens the case; Maria, an owner who is not a case manager, cannot, and is
    # pointed to where owners name case managers.
    assert f"/manage/action-now/cases/{emergency.pk}/" in bodies[manager.email]
    assert "/manage/action-now/cases/managers/" in bodies[owner.email]
    assert AuditEntry.objects.filter(case_id=emergency.pk, action="escalated").count() == 1
    assert actions.escalate_overdue() == 0
    assert len(mailbox.messages) == 2


def test_an_emergency_someone_acted_on_is_not_escalated(
    emergency: Case, manager: User, advocate: User, drain: Any, mailbox: Any
) -> None:
    actions.assign(emergency, advocate, by=manager)
    _run_out(emergency)
    drain()
    assert mailbox.messages == []


def test_an_email_queued_before_someone_acted_is_not_sent(
    emergency: Case, manager: User, advocate: User, drain: Any, mailbox: Any
) -> None:
    _run_out(emergency)
    assert actions.escalate_overdue() == 1
    actions.add_note(emergency, "On it", by=advocate)
    drain()
    assert mailbox.messages == []


def test_the_clock_follows_the_setting(
    action_now: Organization, types: dict[str, CaseType], settings: Any
) -> None:
    settings.CASES_EMERGENCY_SLA_MINUTES = 15
    case = actions.open_case(action_now, case_type=types["medical-emergency"])
    assert case.sla_due_at is not None
    assert case.sla_due_at - case.opened_at == datetime.timedelta(minutes=15)
