"""Bulk invalidation from the integrity page:
/manage/<org>/petitions/<slug>/integrity/invalidate/ (preview, then confirm) and
.../integrity/invalidations/<id>/reverse/."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groundswell.accounts.models import User
from groundswell.petitions import actions, counts
from groundswell.petitions.integrity import Suspect
from groundswell.petitions.models import (
    CountChange,
    Invalidation,
    Petition,
    PetitionCount,
    Signature,
)
from tests.conftest import login

pytestmark = pytest.mark.django_db


def invalidate_url(petition: Petition, org: str = "action-now") -> str:
    return reverse("petitions_manage:invalidate", args=[org, petition.slug])


def reverse_url(invalidation: Invalidation, org: str = "action-now") -> str:
    return reverse(
        "petitions_manage:reverse_invalidation",
        args=[org, invalidation.petition.slug, invalidation.pk],
    )


def sign(
    petition: Petition,
    name: str,
    *,
    ip: str = "198.51.100.1",
    domain: str = "example.org",
    verify: bool = True,
    suspect: str = "",
    source: str = "",
) -> Signature:
    email = f"{name.lower()}@{domain}"
    signature = actions.record_signature(
        petition,
        first_name=name,
        last_name="Signer",
        email=email,
        email_normalized=email,
        zip_code="60608",
        ip_address=ip,
        suspect_reason=suspect,
        source=source,
    ).signature
    if verify:
        actions.verify_signature(actions.verification_token(signature))
    return signature


def totals(petition: Petition) -> tuple[int, int]:
    count = PetitionCount.objects.get(petition=petition)
    return count.total, count.verified


def state(petition: Petition) -> list[tuple[int, int | None]]:
    """Every signature's invalidation, and the invalidations: what must not change."""
    rows = Signature.objects.filter(petition=petition).order_by("pk")
    return [
        *rows.values_list("pk", "invalidation_id"),
        *Invalidation.objects.values_list("pk", "reversed_at"),
    ]


def preview(client: Client, petition: Petition, **data: str) -> Any:
    return client.post(invalidate_url(petition), {"reason": "Bot surge", **data})


def confirm(client: Client, petition: Petition, **data: str) -> Any:
    return client.post(invalidate_url(petition), {"reason": "Bot surge", "confirm": "1", **data})


@pytest.fixture
def signed(petition: Petition, drain: Any) -> Petition:
    """Five verified signers and one pending, from three networks and two domains."""
    sign(petition, "Ana", ip="203.0.113.7", domain="spam.example")
    sign(petition, "Ben", ip="203.0.113.7", domain="spam.example")
    sign(petition, "Cat", ip="203.0.113.99", domain="mail.spam.example", verify=False)
    sign(petition, "Dan", ip="2001:db8::5")
    sign(petition, "Eva", ip="198.51.100.1")
    sign(petition, "Fay", ip="198.51.100.2")
    drain()
    assert totals(petition) == (6, 5)
    return petition


# --- Preview --------------------------------------------------------------------------------


def test_the_preview_says_how_many_signatures_would_be_invalidated_and_changes_nothing(
    client: Client, organizer: User, signed: Petition
) -> None:
    before = state(signed)

    response = preview(login(client, organizer), signed, kind="ip", value="203.0.113.7")

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["affected"] == 2
    assert response.context["counted"] == 2
    assert "Invalidate 2 signatures" in html
    assert 'name="confirm"' in html
    assert state(signed) == before
    assert not Invalidation.objects.exists()


def test_the_preview_leaves_out_signatures_already_invalidated(
    client: Client, organizer: User, signed: Petition
) -> None:
    actions.invalidate(signed, kind="ip", value="203.0.113.7", reason="first", by=organizer)

    response = preview(login(client, organizer), signed, kind="domain", value="spam.example")

    assert response.context["affected"] == 1  # Cat, at mail.spam.example
    assert response.context["counted"] == 1


def test_a_preview_matching_nothing_offers_no_confirmation(
    client: Client, organizer: User, signed: Petition
) -> None:
    response = preview(login(client, organizer), signed, kind="ip", value="192.0.2.1")

    html = response.content.decode()
    assert response.context["affected"] == 0
    assert "there is nothing to invalidate" in html
    assert 'name="confirm"' not in html


def test_the_form_is_prefilled_from_the_integrity_page_links(
    client: Client, organizer: User, signed: Petition
) -> None:
    response = login(client, organizer).get(
        invalidate_url(signed) + "?kind=domain&value=spam.example"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="spam.example"' in html
    assert 'value="domain" id="id_kind_2" required checked' in html


# --- Confirming, by each kind, and the counts ---------------------------------------------


@pytest.mark.parametrize(
    ("data", "names", "after"),
    [
        ({"kind": "ip", "value": "203.0.113.7"}, {"Ana", "Ben"}, (4, 3)),
        ({"kind": "ip", "value": "2001:0db8:0000::5"}, {"Dan"}, (5, 4)),
        ({"kind": "cidr", "value": "203.0.113.0/24"}, {"Ana", "Ben", "Cat"}, (3, 3)),
        ({"kind": "cidr", "value": "2001:db8::/32"}, {"Dan"}, (5, 4)),
        ({"kind": "domain", "value": "@Spam.Example"}, {"Ana", "Ben", "Cat"}, (3, 3)),
    ],
)
def test_invalidating_by_ip_range_or_domain_takes_the_signatures_out_of_the_counts(
    client: Client,
    organizer: User,
    signed: Petition,
    drain: Any,
    data: dict[str, str],
    names: set[str],
    after: tuple[int, int],
) -> None:
    response = confirm(login(client, organizer), signed, **data)

    assert response.status_code == 303
    assert response["Location"].endswith("/integrity/#invalidations")
    invalidation = Invalidation.objects.get()
    assert invalidation.kind == data["kind"]
    assert invalidation.reason == "Bot surge"
    assert invalidation.created_by == organizer
    assert invalidation.signature_count == len(names)
    invalidated = Signature.objects.filter(invalidation=invalidation)
    assert set(invalidated.values_list("first_name", flat=True)) == names
    counts.fold()  # the action's own count changes, before any recount
    assert totals(signed) == after
    drain()
    assert totals(signed) == after


def test_values_are_recorded_the_standard_way(
    client: Client, organizer: User, signed: Petition
) -> None:
    login(client, organizer)
    confirm(client, signed, kind="ip", value=" 2001:0db8:0000::5 ")
    confirm(client, signed, kind="cidr", value="203.0.113.7/24")
    confirm(client, signed, kind="domain", value=" @Spam.Example ")

    assert set(Invalidation.objects.values_list("value", flat=True)) == {
        "2001:db8::5",
        "203.0.113.0/24",
        "spam.example",
    }


def test_invalidating_a_time_window_reads_times_in_the_sites_time_zone(
    client: Client, organizer: User, petition: Petition, drain: Any, settings: Any
) -> None:
    settings.TIME_ZONE = "Asia/Kolkata"  # UTC+5:30: neither UTC nor whole hours
    now = timezone.localtime()
    assert now.utcoffset() == datetime.timedelta(hours=5, minutes=30)
    early = sign(petition, "Ana")
    inside = [sign(petition, "Ben"), sign(petition, "Cat")]
    late = sign(petition, "Dan")
    start = (now - datetime.timedelta(hours=3)).replace(second=0, microsecond=0)
    end = start + datetime.timedelta(hours=1)
    Signature.objects.filter(pk=early.pk).update(created_at=start - datetime.timedelta(minutes=1))
    Signature.objects.filter(pk__in=[s.pk for s in inside]).update(created_at=start)
    Signature.objects.filter(pk=late.pk).update(created_at=end)  # "until" is not included
    drain()
    assert totals(petition) == (4, 4)

    response = confirm(
        login(client, organizer),
        petition,
        kind="window",
        starts_at=start.strftime("%Y-%m-%dT%H:%M"),
        ends_at=end.strftime("%Y-%m-%dT%H:%M"),
    )

    assert response.status_code == 303
    invalidation = Invalidation.objects.get()
    assert (invalidation.starts_at, invalidation.ends_at) == (start, end)
    assert invalidation.value == ""
    assert set(Signature.objects.filter(invalidation=invalidation)) == set(inside)
    drain()
    assert totals(petition) == (2, 2)


def test_an_invalidated_suspect_signature_changes_no_count(
    client: Client, organizer: User, petition: Petition, drain: Any
) -> None:
    sign(petition, "Ana", ip="203.0.113.7", suspect=Suspect.RATE_BURST)
    sign(petition, "Ben", ip="198.51.100.1")
    drain()
    assert totals(petition) == (1, 1)

    confirm(login(client, organizer), petition, kind="ip", value="203.0.113.7")
    counts.fold()

    assert totals(petition) == (1, 1)
    assert CountChange.objects.count() == 0


def test_invalidated_signatures_never_count_again_when_verified_later(
    client: Client, organizer: User, petition: Petition, drain: Any
) -> None:
    pending = sign(petition, "Ana", ip="203.0.113.7", verify=False)
    drain()
    confirm(login(client, organizer), petition, kind="ip", value="203.0.113.7")

    actions.verify_signature(actions.verification_token(pending))
    drain()

    assert totals(petition) == (0, 0)


# --- Reversing ----------------------------------------------------------------------------


def test_reversing_restores_the_counts_exactly(
    client: Client, organizer: User, owner: User, signed: Petition, drain: Any
) -> None:
    login(client, organizer)
    confirm(client, signed, kind="cidr", value="203.0.113.0/24")
    drain()
    assert totals(signed) == (3, 3)
    invalidation = Invalidation.objects.get()

    response = login(client, owner).post(reverse_url(invalidation))

    assert response.status_code == 303
    invalidation.refresh_from_db()
    assert invalidation.reversed_by == owner
    assert invalidation.reversed_at is not None
    assert not Signature.objects.filter(invalidation__isnull=False).exists()
    counts.fold()
    assert totals(signed) == (6, 5)
    drain()
    assert totals(signed) == (6, 5)


def test_reversing_keeps_suspect_signatures_suspect(
    client: Client, organizer: User, petition: Petition, drain: Any
) -> None:
    sign(petition, "Ana", ip="203.0.113.7", suspect=Suspect.RATE_BURST)
    sign(petition, "Ben", ip="203.0.113.7")
    drain()
    login(client, organizer)
    confirm(client, petition, kind="ip", value="203.0.113.7")
    drain()
    assert totals(petition) == (0, 0)

    client.post(reverse_url(Invalidation.objects.get()))
    drain()

    assert totals(petition) == (1, 1)
    assert Signature.objects.filter(petition=petition).suspect().count() == 1


def test_reversing_twice_changes_nothing_the_second_time(
    client: Client, organizer: User, signed: Petition, drain: Any
) -> None:
    login(client, organizer)
    confirm(client, signed, kind="ip", value="203.0.113.7")
    invalidation = Invalidation.objects.get()
    client.post(reverse_url(invalidation))
    drain()
    invalidation.refresh_from_db()
    first = (invalidation.reversed_at, invalidation.reversed_by_id)

    response = client.post(reverse_url(invalidation), follow=True)

    assert "already reversed" in response.content.decode()
    assert CountChange.objects.count() == 0
    invalidation.refresh_from_db()
    assert (invalidation.reversed_at, invalidation.reversed_by_id) == first
    drain()
    assert totals(signed) == (6, 5)


def test_the_action_reversing_an_already_reversed_invalidation_restores_nothing(
    organizer: User, signed: Petition
) -> None:
    invalidation = actions.invalidate(
        signed, kind="ip", value="203.0.113.7", reason="surge", by=organizer
    )
    assert actions.reverse_invalidation(invalidation, by=organizer) == 2
    changes = CountChange.objects.count()

    assert actions.reverse_invalidation(invalidation, by=organizer) == 0
    assert CountChange.objects.count() == changes


def test_a_signature_can_be_invalidated_again_after_a_reversal(
    client: Client, organizer: User, signed: Petition, drain: Any
) -> None:
    login(client, organizer)
    confirm(client, signed, kind="ip", value="203.0.113.7")
    client.post(reverse_url(Invalidation.objects.get()))
    confirm(client, signed, kind="domain", value="spam.example")
    drain()

    assert totals(signed) == (3, 3)
    latest = Invalidation.objects.filter(reversed_at__isnull=True).get()
    assert latest.signature_count == 3


def test_reversing_an_invalidation_of_another_petition_is_404(
    client: Client, organizer: User, signed: Petition, action_now: Any, owner: User
) -> None:
    other = actions.create_petition(
        owner=action_now, created_by=owner, targets=[{"name": "Alderman"}], slug="other", title="T"
    )
    invalidation = actions.invalidate(
        signed, kind="ip", value="203.0.113.7", reason="surge", by=organizer
    )
    url = reverse(
        "petitions_manage:reverse_invalidation", args=["action-now", other.slug, invalidation.pk]
    )

    assert login(client, organizer).post(url).status_code == 404
    invalidation.refresh_from_db()
    assert invalidation.reversed_at is None


# --- Invalid input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "ip", "value": "203.0.113.300"}, "is not an IP address"),
        ({"kind": "ip", "value": "203.0.113.0/24"}, "is a range"),
        ({"kind": "ip", "value": ""}, "Type the IP address, range or email domain"),
        ({"kind": "cidr", "value": "203.0.113.0/33"}, "is not an IP address or range"),
        ({"kind": "cidr", "value": "not-a-network"}, "is not an IP address or range"),
        ({"kind": "domain", "value": "  "}, "Type the IP address, range or email domain"),
        ({"kind": "domain", "value": "@"}, "Type an email domain"),
        ({"kind": "domain", "value": "localhost"}, "is not an email domain"),
        ({"kind": "domain", "value": "spam..example"}, "is not an email domain"),
        ({"kind": "domain", "value": "a b.example"}, "is not an email domain"),
        ({"kind": "window", "starts_at": "", "ends_at": ""}, "Give the start of the window"),
        ({"kind": "window", "starts_at": "2025-03-02T10:00"}, "Give the end of the window"),
        (
            {"kind": "window", "starts_at": "2025-03-02T10:00", "ends_at": "2025-03-02T09:00"},
            "must come after its start",
        ),
        (
            {"kind": "window", "starts_at": "2025-03-01T10:00", "ends_at": "2025-03-09T10:01"},
            "at most 7 days long",
        ),
        (
            {"kind": "window", "starts_at": "2025-03-01T10:00", "ends_at": "2999-01-01T10:00"},
            "at most 7 days long",
        ),
        (
            {"kind": "window", "starts_at": "2025-13-01T10:00", "ends_at": "2025-03-01T11:00"},
            "Enter a valid date/time",
        ),
        ({"kind": "everything", "value": "x"}, "Select a valid choice"),
        ({"value": "203.0.113.7"}, "Choose what to invalidate by"),
        ({"kind": "ip", "value": "203.0.113.7", "reason": "   "}, "Say why you invalidate"),
    ],
)
@pytest.mark.parametrize("confirming", [False, True])
def test_bad_input_gets_a_clear_message_and_changes_nothing(
    client: Client,
    organizer: User,
    signed: Petition,
    data: dict[str, str],
    message: str,
    confirming: bool,
) -> None:
    before = state(signed)
    post = confirm if confirming else preview

    response = post(login(client, organizer), signed, **data)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was saved. Please fix the problems below." in html
    assert message in html
    assert state(signed) == before
    assert not Invalidation.objects.exists()
    assert CountChange.objects.count() == 0


def test_a_window_ending_in_the_future_is_refused(
    client: Client, organizer: User, signed: Petition
) -> None:
    now = timezone.localtime()
    response = confirm(
        login(client, organizer),
        signed,
        kind="window",
        starts_at=(now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        ends_at=(now + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    )

    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()
    assert not Invalidation.objects.exists()


def test_a_missing_reason_is_refused(client: Client, organizer: User, signed: Petition) -> None:
    response = login(client, organizer).post(
        invalidate_url(signed), {"kind": "ip", "value": "203.0.113.7", "confirm": "1"}
    )

    assert response.status_code == 400
    assert "Say why you invalidate these signatures." in response.content.decode()
    assert not Invalidation.objects.exists()


# --- Who may ------------------------------------------------------------------------------


def test_a_co_sponsor_organizer_cannot_invalidate_or_reverse(
    client: Client, organizer: User, ocad_organizer: User, signed: Petition
) -> None:
    invalidation = actions.invalidate(
        signed, kind="ip", value="198.51.100.1", reason="surge", by=organizer
    )
    before = state(signed)
    login(client, ocad_organizer)

    data = {"kind": "ip", "value": "203.0.113.7", "reason": "x", "confirm": "1"}
    assert client.post(invalidate_url(signed, "ocad"), data).status_code == 403
    assert client.get(invalidate_url(signed, "ocad")).status_code == 403
    assert client.post(reverse_url(invalidation, "ocad")).status_code == 403
    assert state(signed) == before


def test_an_organizer_of_another_organization_cannot_invalidate_or_reverse(
    client: Client, organizer: User, outsider: User, signed: Petition
) -> None:
    invalidation = actions.invalidate(
        signed, kind="ip", value="198.51.100.1", reason="surge", by=organizer
    )
    before = state(signed)
    login(client, outsider)

    data = {"kind": "ip", "value": "203.0.113.7", "reason": "x", "confirm": "1"}
    assert client.post(invalidate_url(signed), data).status_code == 403
    assert client.post(reverse_url(invalidation)).status_code == 403
    assert client.post(invalidate_url(signed, "elsewhere"), data).status_code == 404
    assert state(signed) == before


def test_invalidating_needs_a_post_with_a_csrf_token(organizer: User, signed: Petition) -> None:
    client = Client(enforce_csrf_checks=True)
    login(client, organizer)

    data = {"kind": "ip", "value": "203.0.113.7", "reason": "x", "confirm": "1"}
    assert client.post(invalidate_url(signed), data).status_code == 403
    assert not Invalidation.objects.exists()


def test_a_visitor_who_is_not_signed_in_is_sent_to_log_in(client: Client, signed: Petition) -> None:
    response = client.post(invalidate_url(signed), {"kind": "ip", "value": "203.0.113.7"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not Invalidation.objects.exists()


# --- Exports ------------------------------------------------------------------------------


def test_invalidated_and_suspect_signatures_are_marked_in_the_export(
    client: Client, organizer: User, petition: Petition
) -> None:
    sign(petition, "Ana", ip="203.0.113.7")
    sign(petition, "Ben", ip="198.51.100.1", suspect=Suspect.TOO_FAST)
    sign(petition, "Cat", ip="198.51.100.2")
    actions.invalidate(petition, kind="ip", value="203.0.113.7", reason="surge", by=organizer)

    response = login(client, organizer).get(
        reverse("petitions_manage:export", args=["action-now", petition.slug])
    )

    content = b"".join(response.streaming_content).decode()
    rows = {row["first_name"]: row for row in csv.DictReader(io.StringIO(content))}
    assert (rows["Ana"]["counted"], rows["Ana"]["invalidated"]) == ("no", "yes")
    assert (rows["Ben"]["counted"], rows["Ben"]["suspect_reason"]) == ("no", "bot:too-fast")
    assert rows["Ben"]["invalidated"] == "no"
    assert (rows["Cat"]["counted"], rows["Cat"]["suspect_reason"]) == ("yes", "")
    assert rows["Cat"]["invalidated"] == "no"


def test_a_cleared_suspect_counts_in_the_export_and_keeps_its_reason(
    client: Client, organizer: User, petition: Petition
) -> None:
    ben = sign(petition, "Ben", suspect=Suspect.RATE_BURST)
    actions.clear_suspects(petition, Signature.objects.filter(pk=ben.pk))

    response = login(client, organizer).get(
        reverse("petitions_manage:export", args=["action-now", petition.slug])
    )

    content = b"".join(response.streaming_content).decode()
    [row] = list(csv.DictReader(io.StringIO(content)))
    assert (row["counted"], row["suspect_reason"], row["invalidated"]) == (
        "yes",
        "rate:burst",
        "no",
    )


def test_invalidations_are_read_only_in_the_admin(
    client: Client, organizer: User, signed: Petition
) -> None:
    invalidation = actions.invalidate(
        signed, kind="ip", value="203.0.113.7", reason="surge", by=organizer
    )
    operator = User.objects.create_superuser("ops@groundswell.example", "x" * 12)
    login(client, operator)

    assert client.get(reverse("admin:petitions_invalidation_changelist")).status_code == 200
    assert client.get(reverse("admin:petitions_invalidation_add")).status_code == 403
    delete = reverse("admin:petitions_invalidation_delete", args=[invalidation.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Invalidation.objects.filter(pk=invalidation.pk).exists()
