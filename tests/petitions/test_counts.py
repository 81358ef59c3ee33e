"""Counts by aggregation: folding count changes, recounting, milestones."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from groundswell.petitions import actions, counts
from groundswell.petitions.models import (
    CountChange,
    DailyCount,
    Milestone,
    Petition,
    PetitionCount,
    Signature,
    SignatureState,
)
from tests.smtp import Mailbox

pytestmark = pytest.mark.django_db


def add_signatures(
    petition: Petition, n: int, *, verified: bool, source: str = "", days_ago: int = 0
) -> None:
    """Bulk signatures, counted by a recount (as the demo loader and benchmarks do)."""
    created = timezone.now() - datetime.timedelta(days=days_ago)
    state = SignatureState.VERIFIED if verified else SignatureState.PENDING
    start = Signature.objects.count()
    Signature.objects.bulk_create(
        Signature(
            petition=petition,
            first_name="A",
            last_name="B",
            email=f"s{start + i}@example.org",
            email_normalized=f"s{start + i}@example.org",
            zip_code="60608",
            state=state,
            source=source,
            created_at=created,
        )
        for i in range(n)
    )


def sign(petition: Petition, email: str, source: str = "") -> Signature:
    return actions.record_signature(
        petition,
        first_name="A",
        last_name="B",
        email=email,
        email_normalized=email,
        zip_code="60608",
        source=source,
    ).signature


def test_folding_turns_changes_into_counts(petition: Petition) -> None:
    first = sign(petition, "a@example.org", source="facebook")
    sign(petition, "b@example.org")
    actions.verify_signature(actions.verification_token(first))
    assert counts.fold() == 3
    assert CountChange.objects.count() == 0
    count = PetitionCount.objects.get(petition=petition)
    assert (count.total, count.verified, count.shown) == (2, 1, 1)
    by_source = dict(DailyCount.objects.values_list("source", "verified"))
    assert by_source == {"facebook": 1, "": 0}


def test_unverified_signatures_count_when_the_petition_says_so(petition: Petition) -> None:
    sign(petition, "a@example.org")
    counts.fold()
    assert PetitionCount.objects.get(petition=petition).shown == 0
    actions.set_counts_unverified(petition, True)
    assert PetitionCount.objects.get(petition=petition).shown == 1


def test_recount_repairs_drift_and_keeps_unfolded_changes_out(petition: Petition) -> None:
    sign(petition, "a@example.org")
    counts.fold()
    DailyCount.objects.filter(petition=petition).update(total=500, verified=400)
    sign(petition, "b@example.org")  # folded later: the recount must not count it twice
    counts.recount(petition)
    assert PetitionCount.objects.get(petition=petition).total == 1
    counts.fold()
    count = PetitionCount.objects.get(petition=petition)
    assert (count.total, count.verified) == (2, 0)


def test_recount_counts_by_day_signed(petition: Petition) -> None:
    add_signatures(petition, 3, verified=True, days_ago=2)
    add_signatures(petition, 2, verified=False, days_ago=0)
    counts.recount(petition)
    days = {d.day: (d.total, d.verified) for d in DailyCount.objects.filter(petition=petition)}
    today = timezone.localdate()
    assert days == {today - datetime.timedelta(days=2): (3, 3), today: (2, 0)}


def test_reaching_a_goal_notes_a_milestone_and_emails_the_owner_once(
    petition: Petition, mailbox: Mailbox, drain: Any
) -> None:
    add_signatures(petition, 999, verified=True)
    counts.recount(petition)
    assert not Milestone.objects.exists()
    signature = sign(petition, "thousandth@example.org")
    actions.verify_signature(actions.verification_token(signature))
    drain()
    count = PetitionCount.objects.get(petition=petition)
    assert count.shown == 1000
    assert count.goal == 2500
    assert list(Milestone.objects.values_list("threshold", flat=True)) == [1000]
    notices = mailbox.to("staff@actionnow.example")
    assert len(notices) == 1
    assert "1,000 signatures reached" in str(notices[0]["Subject"])
    counts.recount(petition)
    drain()
    assert len(mailbox.to("staff@actionnow.example")) == 1


def test_the_worker_clock_folds_counts(petition: Petition, drain: Any) -> None:
    sign(petition, "a@example.org")
    drain()
    assert PetitionCount.objects.get(petition=petition).total == 1
