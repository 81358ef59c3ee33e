"""Exporting a petition's signatures as CSV: /manage/<org>/petitions/<slug>/export.csv."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.people import actions as people_actions
from groundswell.petitions import actions, exports
from groundswell.petitions.models import Petition, Signature
from tests.conftest import login

pytestmark = pytest.mark.django_db


def export_url(petition: Petition, org: str = "action-now") -> str:
    return reverse("petitions_manage:export", args=[org, petition.slug])


def sign(
    petition: Petition,
    first_name: str,
    *,
    consents: list[int],
    verify: bool = True,
    **fields: Any,
) -> Signature:
    email = fields.pop("email", f"{first_name.lower()}@example.org")
    signature = actions.record_signature(
        petition,
        first_name=first_name,
        last_name=fields.pop("last_name", "Reyes"),
        email=email,
        email_normalized=email.lower(),
        zip_code=fields.pop("zip_code", "60608"),
        address=fields.pop("address", "1 Main St"),
        consents=consents,
        **fields,
    ).signature
    if verify:
        actions.verify_signature(actions.verification_token(signature))
        signature.refresh_from_db()
    return signature


def content(response: Any) -> str:
    return b"".join(response.streaming_content).decode()


def rows(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content(response))))


def by_name(exported: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {row["first_name"]: row for row in exported}


def test_contact_fields_go_only_to_signers_who_consented_to_the_exporting_organization(
    client: Client,
    organizer: User,
    ocad_organizer: User,
    petition: Petition,
    action_now: Organization,
    ocad: Organization,
    drain: Any,
) -> None:
    sign(petition, "Ana", consents=[action_now.pk], comment="Sanctuary now", public=True)
    sign(petition, "Ben", consents=[ocad.pk], source="facebook")
    sign(petition, "Cat", consents=[])
    sign(petition, "Dan", consents=[action_now.pk], verify=False)
    drain()

    owner_rows = by_name(rows(login(client, organizer).get(export_url(petition))))

    assert set(owner_rows) == {"Ana", "Ben", "Cat", "Dan"}
    assert owner_rows["Ana"]["email"] == "ana@example.org"
    assert owner_rows["Ana"]["last_name"] == "Reyes"
    assert owner_rows["Ana"]["address"] == "1 Main St"
    assert owner_rows["Ana"]["comment"] == "Sanctuary now"
    assert owner_rows["Ana"]["public"] == "yes"
    assert owner_rows["Ana"]["state"] == "verified"
    for name in ("Ben", "Cat", "Dan"):
        row = owner_rows[name]
        assert (row["email"], row["last_name"], row["address"]) == ("", "", ""), name
        assert row["last_initial"] == "R"
        assert row["zip_code"] == "60608"
    assert owner_rows["Dan"]["state"] == "pending"
    assert owner_rows["Ben"]["source"] == "facebook"

    sponsor_rows = by_name(rows(login(client, ocad_organizer).get(export_url(petition, "ocad"))))
    assert sponsor_rows["Ben"]["email"] == "ben@example.org"
    assert sponsor_rows["Ana"]["email"] == ""


def test_a_withdrawn_consent_leaves_the_contact_fields_blank(
    client: Client, organizer: User, petition: Petition, action_now: Organization
) -> None:
    ana = sign(petition, "Ana", consents=[action_now.pk])
    assert ana.person is not None
    people_actions.withdraw_email_consent(ana.person, action_now, source="unsubscribe link")

    exported = rows(login(client, organizer).get(export_url(petition)))

    assert exported[0]["email"] == ""
    assert exported[0]["address"] == ""


def test_the_export_has_its_columns_in_signing_order(
    client: Client, organizer: User, petition: Petition, action_now: Organization
) -> None:
    sign(petition, "Ana", consents=[])
    sign(petition, "Ben", consents=[])

    response = login(client, organizer).get(export_url(petition))
    header, *lines = list(csv.reader(io.StringIO(content(response))))

    assert header == [
        "signed_at",
        "state",
        "first_name",
        "last_initial",
        "zip_code",
        "source",
        "comment",
        "public",
        "email",
        "last_name",
        "address",
        "counted",
        "suspect_reason",
        "invalidated",
    ]
    assert [line[2] for line in lines] == ["Ana", "Ben"]


def test_spreadsheet_formulas_in_any_cell_are_neutralized(
    client: Client, organizer: User, petition: Petition, action_now: Organization
) -> None:
    sign(
        petition,
        '=HYPERLINK("https://evil.example","click")',
        consents=[action_now.pk],
        last_name="+SUM(A1:A9)",
        address="-2+3",
        comment="@cmd",
        source="\tsource",
        zip_code="60608",
        email="evil@example.org",
    )

    row = rows(login(client, organizer).get(export_url(petition)))[0]

    assert row["first_name"] == '\'=HYPERLINK("https://evil.example","click")'
    assert row["last_name"] == "'+SUM(A1:A9)"
    assert row["last_initial"] == "'+"
    assert row["address"] == "'-2+3"
    assert row["comment"] == "'@cmd"
    assert row["source"] == "'\tsource"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Ana", "Ana"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
    ],
)
def test_neutralize_prefixes_only_what_a_spreadsheet_would_run(
    value: str | None, expected: str
) -> None:
    assert exports.neutralize(value) == expected


def test_the_export_is_a_streamed_csv_attachment_named_for_the_petition_and_day(
    client: Client, organizer: User, petition: Petition
) -> None:
    response = login(client, organizer).get(export_url(petition))

    today = timezone.localdate().isoformat()
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (f'attachment; filename="defend-chicago-{today}.csv"')
    assert "no-store" in response["Cache-Control"]


def test_the_export_reads_the_signatures_in_one_query_however_many_there_are(
    client: Client, organizer: User, petition: Petition, action_now: Organization
) -> None:
    def queries_for_export() -> int:
        response = client.get(export_url(petition))
        with CaptureQueriesContext(connection) as captured:
            content(response)
        return len(captured.captured_queries)

    login(client, organizer)
    sign(petition, "Ana", consents=[action_now.pk])
    few = queries_for_export()
    for name in ("Ben", "Cat", "Dan", "Eva"):
        sign(petition, name, consents=[action_now.pk])

    assert queries_for_export() == few == 1


def test_an_organizer_of_another_organization_gets_403(
    client: Client, outsider: User, petition: Petition, action_now: Organization
) -> None:
    sign(petition, "Ana", consents=[action_now.pk])
    login(client, outsider)

    assert client.get(export_url(petition)).status_code == 403
    assert client.get(export_url(petition, "elsewhere")).status_code == 404


def test_a_visitor_who_is_not_signed_in_is_sent_to_log_in(
    client: Client, petition: Petition
) -> None:
    response = client.get(export_url(petition))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_consent_given_on_another_petition_does_not_open_this_signers_details(
    client: Any, petition: Any, ocad: Any, ocad_organizer: Any, action_now: Any
) -> None:
    """Eva once ticked OCAD elsewhere; on this petition she ticked nobody."""
    from groundswell.people import actions as people_actions
    from groundswell.petitions import actions

    person = people_actions.record_person(email="eva@example.org", first_name="Eva")
    people_actions.grant_consent(person, ocad, source="petition:elsewhere")
    result = actions.record_signature(
        petition,
        first_name="Eva",
        last_name="Stone",
        email="eva@example.org",
        email_normalized="eva@example.org",
        zip_code="60608",
        address="99 Safe House Rd",
    )
    actions.verify_signature(actions.verification_token(result.signature))
    client.force_login(ocad_organizer)
    body = b"".join(
        client.get(f"/manage/ocad/petitions/{petition.slug}/export.csv").streaming_content
    ).decode()
    assert "eva@example.org" not in body
    assert "Safe House" not in body
