"""The hot path under real concurrency (PostgreSQL: SQLite serializes writers anyway)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from groundswell.petitions import actions, counts
from groundswell.petitions.models import (
    CountChange,
    DailyCount,
    Petition,
    PetitionCount,
    Signature,
)

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def in_threads(n: int, work: Callable[[int], object]) -> list[object]:
    barrier = threading.Barrier(n)

    def run(i: int) -> object:
        barrier.wait()
        try:
            return work(i)
        finally:
            connection.close()

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


def sign(petition: Petition, email: str) -> actions.SignResult:
    return actions.record_signature(
        petition,
        first_name="A",
        last_name="B",
        email=email,
        email_normalized=email,
        zip_code="60608",
    )


def test_the_same_email_signing_at_once_makes_one_signature(petition: Petition) -> None:
    results = in_threads(8, lambda i: sign(petition, "same@example.org").outcome)
    assert Signature.objects.filter(petition=petition).count() == 1
    assert results.count(actions.SignOutcome.SIGNED) == 1
    assert CountChange.objects.filter(total=1).count() == 1


def test_concurrent_signers_and_folds_count_exactly(petition: Petition) -> None:
    def work(i: int) -> None:
        for j in range(25):
            sign(petition, f"s{i}-{j}@example.org")
            if j % 5 == 0:
                counts.fold()

    in_threads(6, work)
    counts.fold()
    count = PetitionCount.objects.get(petition=petition)
    assert count.total == 150
    assert CountChange.objects.count() == 0


def test_folds_of_different_days_at_once_lose_no_count(
    petition: Petition, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers folding changes for different daily rows of one petition at the same time
    must not overwrite each other's totals (READ COMMITTED)."""
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    CountChange.objects.bulk_create(
        CountChange(petition=petition, day=today - datetime.timedelta(days=i % 20), total=1)
        for i in range(400)
    )
    monkeypatch.setattr(counts, "FOLD_BATCH", 3)  # many small folds, interleaving often
    in_threads(4, lambda i: counts.fold())
    counts.fold()
    assert PetitionCount.objects.get(petition=petition).total == 400


def test_a_recount_racing_folds_never_double_counts(petition: Petition) -> None:
    for i in range(40):
        sign(petition, f"r{i}@example.org")

    def work(i: int) -> None:
        if i % 2:
            counts.fold()
        else:
            counts.recount_all()

    in_threads(6, work)
    counts.fold()
    # The folds' own totals, before any repair by a final recount:
    assert PetitionCount.objects.get(petition=petition).total == 40
    assert sum(DailyCount.objects.filter(petition=petition).values_list("total", flat=True)) == 40


def test_one_statement_signing_stores_the_signature_and_its_count_change(
    petition: Petition,
) -> None:
    """Outside a transaction, PostgreSQL signs in one statement (the surge path)."""
    first = sign(petition, "one@example.org")
    again = sign(petition, "one@example.org")
    assert first.outcome == actions.SignOutcome.SIGNED and first.signature.pk
    assert again.outcome == actions.SignOutcome.RESENT
    stored = Signature.objects.get()
    assert stored.pk == first.signature.pk
    assert stored.verification_due and stored.consents == []
    assert list(CountChange.objects.values_list("total", "verified")) == [(1, 0)]


def test_one_statement_signing_leaves_a_suspect_out_of_the_counts(petition: Petition) -> None:
    actions.record_signature(
        petition,
        first_name="A",
        last_name="B",
        email="bot@example.org",
        email_normalized="bot@example.org",
        zip_code="60608",
        suspect_reason="rate:burst",
        send_email=False,
    )
    stored = Signature.objects.get()
    assert stored.suspect_reason == "rate:burst" and not stored.verification_due
    assert not CountChange.objects.exists()
