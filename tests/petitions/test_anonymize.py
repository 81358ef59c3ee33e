"""Erasing signers' personal details months after a petition closes: anonymize.py, the
anonymize_signatures command and the worker's daily job."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from groundswell.accounts.models import User
from groundswell.core import clock
from groundswell.organizations.models import Organization
from groundswell.people.models import Consent, Person
from groundswell.petitions import actions, anonymize, counts
from groundswell.petitions.integrity import Suspect
from groundswell.petitions.models import DailyCount, Petition, PetitionCount, Signature

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def sign(petition: Petition, name: str, *, verify: bool = True, **fields: Any) -> Signature:
    email = f"{name.lower()}@example.org"
    signature = actions.record_signature(
        petition,
        first_name=name,
        last_name="Reyes",
        email=email,
        email_normalized=email,
        zip_code=fields.pop("zip_code", "60608-1234"),
        address="1 Main St",
        comment="For my kids",
        public=True,
        consents=[petition.owner_id],
        ip_address="203.0.113.7",
        **fields,
    ).signature
    if verify:
        actions.verify_signature(actions.verification_token(signature))
    return signature


def closed_months_ago(petition: Petition, months: int, *, won: bool = False) -> Petition:
    if won:
        actions.declare_victory(petition)
    else:
        actions.close(petition)
    Petition.objects.filter(pk=petition.pk).update(
        closed_at=anonymize.months_before(NOW, months) - datetime.timedelta(days=1)
    )
    petition.refresh_from_db()
    return petition


def snapshot(petition: Petition) -> tuple[Any, ...]:
    count = PetitionCount.objects.get(petition=petition)
    daily = sorted(DailyCount.objects.filter(petition=petition).values_list(
        "day", "source", "total", "verified"
    ))  # fmt: skip
    return count.total, count.verified, count.shown, daily


def make_petition(owner: User, organization: Organization, slug: str) -> Petition:
    petition = actions.create_petition(
        owner=organization,
        created_by=owner,
        targets=[{"name": "Alderman"}],
        slug=slug,
        title=slug.title(),
        ask="Pass the ordinance.",
    )
    actions.publish(petition)
    return petition


@pytest.fixture
def signed(petition: Petition, drain: Any) -> Petition:
    sign(petition, "Ana", source="facebook")
    sign(petition, "Ben")
    sign(petition, "Cat", verify=False)
    sign(petition, "Dan", suspect_reason=Suspect.TOO_FAST)
    drain()
    return petition


def test_personal_fields_are_erased_months_after_the_petition_closed(
    signed: Petition, settings: Any
) -> None:
    settings.SIGNATURE_RETENTION_MONTHS = 6
    closed_months_ago(signed, 6)

    assert anonymize.anonymize_closed(NOW) == 4

    for signature in Signature.objects.filter(petition=signed):
        assert (signature.first_name, signature.last_name, signature.email) == ("", "", "")
        assert signature.email_normalized == f"anonymized-{signature.pk}"
        assert signature.zip_code == "606"
        assert (signature.address, signature.comment) == ("", "")
        assert signature.ip_address is None
        assert signature.person_id is None
        assert signature.public is False
        assert signature.anonymized_at == NOW


def test_counts_are_the_same_before_and_after_and_after_a_recount(
    signed: Petition, drain: Any
) -> None:
    closed_months_ago(signed, 7)
    before = snapshot(signed)
    assert before[:3] == (3, 2, 2)

    anonymize.anonymize_closed(NOW)
    drain()

    assert snapshot(signed) == before
    counts.recount(signed)
    assert snapshot(signed) == before


def test_what_counts_and_why_is_kept(signed: Petition) -> None:
    closed_months_ago(signed, 7)
    kept = ("state", "source", "created_at", "verified_at", "suspect_reason", "language")
    before = list(Signature.objects.order_by("pk").values_list(*kept))

    anonymize.anonymize_closed(NOW)

    assert list(Signature.objects.order_by("pk").values_list(*kept)) == before


def test_a_won_petition_is_anonymized_too(signed: Petition) -> None:
    closed_months_ago(signed, 7, won=True)

    assert anonymize.anonymize_closed(NOW) == 4


def test_a_petition_closed_recently_is_left_alone(signed: Petition, settings: Any) -> None:
    settings.SIGNATURE_RETENTION_MONTHS = 6
    closed_months_ago(signed, 5)
    before = list(Signature.objects.order_by("pk").values())

    assert anonymize.anonymize_closed(NOW) == 0
    assert list(Signature.objects.order_by("pk").values()) == before


def test_open_and_draft_petitions_are_left_alone_whatever_their_age(
    signed: Petition, draft_petition: Petition
) -> None:
    Petition.objects.filter(pk=signed.pk).update(
        closed_at=NOW - datetime.timedelta(days=3650)  # closed once, then reopened
    )
    before = list(Signature.objects.order_by("pk").values())

    assert anonymize.anonymize_closed(NOW) == 0
    assert list(Signature.objects.order_by("pk").values()) == before


def test_only_the_old_petitions_signatures_are_erased(
    signed: Petition, owner: User, action_now: Organization
) -> None:
    recent = make_petition(owner, action_now, "recent")
    kept = sign(recent, "Eva")
    closed_months_ago(signed, 12)

    anonymize.anonymize_closed(NOW)

    kept.refresh_from_db()
    assert (kept.email, kept.first_name, kept.zip_code) == ("eva@example.org", "Eva", "60608-1234")


def test_the_retention_time_is_configurable(signed: Petition, settings: Any) -> None:
    closed_months_ago(signed, 2)
    settings.SIGNATURE_RETENTION_MONTHS = 3
    assert anonymize.anonymize_closed(NOW) == 0

    settings.SIGNATURE_RETENTION_MONTHS = 1
    assert anonymize.anonymize_closed(NOW) == 4


def test_a_second_run_changes_nothing(signed: Petition) -> None:
    closed_months_ago(signed, 7)
    anonymize.anonymize_closed(NOW)
    after = list(Signature.objects.order_by("pk").values())

    assert anonymize.anonymize_closed(NOW + datetime.timedelta(days=1)) == 0
    assert list(Signature.objects.order_by("pk").values()) == after


def test_it_works_in_batches(signed: Petition, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(anonymize, "BATCH", 3)
    closed_months_ago(signed, 7)

    assert anonymize.anonymize_closed(NOW) == 4
    assert not anonymize.due(NOW).exists()


def test_supporters_and_their_consent_stay_in_the_people_app(signed: Petition) -> None:
    closed_months_ago(signed, 7)
    people, consents = Person.objects.count(), Consent.objects.count()
    assert people and consents

    anonymize.anonymize_closed(NOW)

    assert (Person.objects.count(), Consent.objects.count()) == (people, consents)


def test_a_short_zip_code_is_kept_as_it_is(petition: Petition) -> None:
    sign(petition, "Ana", zip_code="606")
    closed_months_ago(petition, 7)

    anonymize.anonymize_closed(NOW)

    assert Signature.objects.get().zip_code == "606"


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        ("2025-08-31T12:00", 6, "2025-02-28T12:00"),
        ("2024-08-31T12:00", 6, "2024-02-29T12:00"),
        ("2025-03-15T08:30", 6, "2024-09-15T08:30"),
        ("2025-01-10T00:00", 1, "2024-12-10T00:00"),
        ("2025-01-10T00:00", 25, "2022-12-10T00:00"),
    ],
)
def test_months_before_counts_calendar_months(moment: str, months: int, expected: str) -> None:
    utc = datetime.UTC
    start = datetime.datetime.fromisoformat(moment).replace(tzinfo=utc)

    assert anonymize.months_before(start, months) == datetime.datetime.fromisoformat(
        expected
    ).replace(tzinfo=utc)


# --- The command and the daily job --------------------------------------------------------


def test_the_command_prints_how_many_and_a_dry_run_changes_nothing(signed: Petition) -> None:
    closed_months_ago(signed, 7)
    before = list(Signature.objects.order_by("pk").values())

    out = io.StringIO()
    call_command("anonymize_signatures", "--dry-run", stdout=out)
    assert "4 signatures" in out.getvalue()
    assert "dry run: nothing changed" in out.getvalue()
    assert list(Signature.objects.order_by("pk").values()) == before

    out = io.StringIO()
    call_command("anonymize_signatures", stdout=out)
    assert "4 signatures on petitions closed more than 6 months ago anonymized." in out.getvalue()
    assert not anonymize.due().exists()


def test_the_worker_runs_it_once_a_day(signed: Petition, drain: Any) -> None:
    [job] = [job for job in clock.jobs() if job.name == "petitions.anonymize"]
    assert job.interval() == 24 * 3600
    closed_months_ago(signed, 7)

    drain()

    assert not anonymize.due().exists()
    assert Signature.objects.filter(anonymized_at__isnull=False).count() == 4


def test_a_petition_whose_signers_were_erased_cannot_reopen(
    client: Any, owner: Any, petition: Any
) -> None:
    from django.utils import timezone

    from groundswell.petitions import actions
    from groundswell.petitions.models import Signature, Status

    actions.record_signature(
        petition,
        first_name="A",
        last_name="B",
        email="a@example.org",
        email_normalized="a@example.org",
        zip_code="60608",
    )
    actions.close(petition)
    Signature.objects.update(anonymized_at=timezone.now())
    client.force_login(owner)
    response = client.post(f"/manage/action-now/petitions/{petition.slug}/reopen/", follow=True)
    assert "were erased after it closed" in response.content.decode()
    petition.refresh_from_db()
    assert petition.status == Status.CLOSED
