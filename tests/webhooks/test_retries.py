"""A delivery not answered with a 2xx is tried again after 1 min, 5 min, 30 min, 2 h and
then every 6 h, until a day after its first try; then it has failed. Time moves by
trying a delivery at the moment it is due (its next_attempt_at), never by sleeping."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from groundswell.organizations.models import Organization
from groundswell.petitions.models import Petition
from groundswell.webhooks import sending, triggers
from groundswell.webhooks.models import Delivery, Event
from tests.webhooks.conftest import Receiver, endpoint, sign_and_verify

pytestmark = pytest.mark.django_db

SIGNATURES = ["signature.verified"]


def retry_tasks() -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(
            task_path="groundswell.webhooks.tasks.send_deliveries", status="READY"
        )
    )


def test_a_500_is_tried_again_a_minute_later_and_then_delivered(
    petition: Petition, action_now: Organization, receiver: Receiver, drain: Any
) -> None:
    endpoint(action_now, receiver, events=SIGNATURES)
    receiver.answers = [500]

    sign_and_verify(petition)
    drain(periodic=False)

    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    assert (delivery.attempts, delivery.response_status) == (1, 500)
    assert delivery.response_excerpt == "answered 500"
    assert delivery.last_attempt_at is not None
    assert delivery.next_attempt_at - delivery.last_attempt_at == datetime.timedelta(minutes=1)
    [retry] = retry_tasks()  # queued for that moment, not run by drain before then
    assert retry.run_after == delivery.next_attempt_at
    assert retry.args_kwargs["args"] == [[delivery.pk]]

    early = delivery.next_attempt_at - datetime.timedelta(seconds=1)
    assert sending.send([delivery.pk], now=early) == {}
    assert len(receiver.received) == 1  # not due yet: nothing sent

    sending.send([delivery.pk], now=delivery.next_attempt_at)

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED
    assert (delivery.attempts, delivery.response_status, delivery.error) == (2, 200, "")
    first, second = receiver.received
    assert first.body == second.body
    assert first.headers["X-Groundswell-Delivery"] == second.headers["X-Groundswell-Delivery"]


def test_after_a_day_of_failures_the_delivery_has_failed(
    petition: Petition, action_now: Organization, receiver: Receiver, drain: Any
) -> None:
    endpoint(action_now, receiver, events=SIGNATURES)
    receiver.answers = [503] * 20

    sign_and_verify(petition)
    drain(periodic=False)
    delivery = Delivery.objects.get()
    assert delivery.first_attempt_at is not None
    first = delivery.first_attempt_at
    waits = []
    while delivery.status == Delivery.Status.PENDING:
        assert delivery.last_attempt_at is not None
        waits.append((delivery.next_attempt_at - delivery.last_attempt_at).total_seconds())
        sending.send([delivery.pk], now=delivery.next_attempt_at)
        delivery.refresh_from_db()

    assert waits == [60, 300, 1800, 7200, 21600, 21600, 21600]
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == len(receiver.received) == 8
    assert delivery.last_attempt_at is not None
    assert delivery.last_attempt_at - first <= datetime.timedelta(hours=24)
    assert delivery.last_attempt_at + datetime.timedelta(hours=6) > first + datetime.timedelta(
        hours=24
    )
    assert delivery.response_status == 503


def test_an_unreachable_endpoint_is_tried_again(
    petition: Petition, action_now: Organization, receiver: Receiver, drain: Any
) -> None:
    hook = endpoint(action_now, receiver, events=SIGNATURES)
    receiver.server.shutdown()
    receiver.server.server_close()

    sign_and_verify(petition)
    drain(periodic=False)

    delivery = Delivery.objects.get(endpoint=hook)
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.error == Delivery.Error.CONNECTION
    assert delivery.response_status is None


def test_a_failing_endpoint_is_tried_once_per_run(
    action_now: Organization, receiver: Receiver, drain: Any
) -> None:
    from groundswell.people import actions

    added = [
        actions.add_person(
            action_now, fields={"email": f"p{n}@example.org"}, consent_to_email=False
        ).supporter
        for n in range(3)
    ]
    endpoint(action_now, receiver, events=["person.created"])
    receiver.answers = [500] * 10

    triggers.queue(action_now.pk, Event.PERSON_CREATED, [(s.pk, None) for s in added])
    drain(periodic=False)

    assert len(receiver.received) == 1
    tried, *skipped = Delivery.objects.order_by("pk")
    assert tried.response_status == 500
    assert {d.error for d in skipped} == {Delivery.Error.SKIPPED}
    assert {d.next_attempt_at for d in Delivery.objects.all()} == {tried.next_attempt_at}
    [retry] = retry_tasks()  # one task for the three, at their common moment
    assert sorted(retry.args_kwargs["args"][0]) == sorted(d.pk for d in Delivery.objects.all())


def test_a_lost_task_is_queued_again(
    petition: Petition, action_now: Organization, receiver: Receiver, drain: Any
) -> None:
    endpoint(action_now, receiver, events=SIGNATURES)
    sign_and_verify(petition)
    DBTaskResult.objects.all().delete()  # the worker died with the task
    delivery = Delivery.objects.get()

    assert sending.queue_overdue(now=delivery.next_attempt_at) == 0  # not overdue yet
    later = delivery.next_attempt_at + sending.OVERDUE + datetime.timedelta(seconds=1)
    assert sending.queue_overdue(now=later) == 1
    drain(periodic=False)

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED
    assert len(receiver.received) == 1


def test_a_failure_on_our_side_is_a_try_in_the_log(
    petition: Petition,
    action_now: Organization,
    receiver: Receiver,
    drain: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    endpoint(action_now, receiver, events=SIGNATURES)

    def broken(delivery: Delivery) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("groundswell.webhooks.payloads.render", broken)
    sign_and_verify(petition)
    drain(periodic=False)

    delivery = Delivery.objects.get()
    assert receiver.received == []
    assert (delivery.attempts, delivery.error) == (1, Delivery.Error.INTERNAL)
    assert delivery.status == Delivery.Status.PENDING  # tried again, within its day
