"""POST /petitions/<slug>/sign: the hot path."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from groundswell.petitions import actions
from groundswell.petitions.models import CountChange, Petition, Signature, SignatureState
from tests.conftest import SIGNER, form_token
from tests.smtp import Mailbox

pytestmark = pytest.mark.django_db


def sign(client: Client, petition: Petition, **overrides: Any) -> Any:
    data = {**SIGNER, "form_token": form_token(), **overrides}
    return client.post(f"/petitions/{petition.slug}/sign", data)


def test_it_stores_a_pending_signature_and_emails_a_verification_link(
    client: Client, petition: Petition, mailbox: Mailbox, drain: Any
) -> None:
    response = sign(client, petition, source="facebook", public="on")
    assert response.status_code == 303
    assert response["Location"] == f"/petitions/{petition.slug}/thanks"
    signature = Signature.objects.get(petition=petition)
    assert signature.state == SignatureState.PENDING
    assert signature.email_normalized == "ana.reyes@example.org"
    assert signature.source == "facebook"
    assert signature.public is True
    assert signature.consents == []
    drain()
    [message] = mailbox.wait_for(1)
    assert message["To"] == "ana.reyes@example.org"
    assert "/petitions/verify/" in Mailbox.text(message)


def test_it_records_only_the_consents_ticked(
    client: Client, petition: Petition, drain: Any
) -> None:
    ocad = petition.sponsors.get()
    sign(client, petition, **{f"consent_{ocad.pk}": "on"})
    assert Signature.objects.get().consents == [ocad.pk]


def test_the_same_email_never_signs_twice_and_is_reminded_a_few_times(
    client: Client, petition: Petition, mailbox: Mailbox, drain: Any, settings: Any
) -> None:
    settings.VERIFICATION_MAX_SENDS = 3
    first = sign(client, petition)
    drain()
    for email in [
        "Ana.Reyes+petition@EXAMPLE.org",
        "ana.reyes@example.org",
        "ana.reyes@example.org",
    ]:
        again = sign(client, petition, email=email)
        assert again.status_code == 303
        assert again["Location"] == first["Location"]
        drain()
    assert Signature.objects.count() == 1
    assert Signature.objects.get().verification_sends == 3
    assert len(mailbox.wait_for(3)) == 3  # the first, then two reminders; the 4th: none


def test_the_page_never_tells_whether_an_address_had_signed(
    client: Client, petition: Petition
) -> None:
    new = sign(client, petition)
    actions.verify_signature(actions.verification_token(Signature.objects.get()))
    again = sign(client, petition)
    assert new["Location"] == again["Location"]
    assert client.get(new["Location"]).content == client.get(again["Location"]).content


def test_gmail_dots_and_tags_are_the_same_signer(client: Client, petition: Petition) -> None:
    sign(client, petition, email="ana.reyes@gmail.com")
    sign(client, petition, email="AnaReyes+x@googlemail.com")
    assert Signature.objects.count() == 1


def test_signing_again_after_confirming_is_answered_by_email(
    client: Client, petition: Petition, mailbox: Mailbox, drain: Any
) -> None:
    sign(client, petition)
    actions.verify_signature(actions.verification_token(Signature.objects.get()))
    drain()
    mailbox.clear()
    sign(client, petition)
    drain()
    [message] = mailbox.wait_for(1)
    assert "You have already signed" in str(message["Subject"])
    assert Signature.objects.count() == 1


def test_an_expired_signer_can_get_a_new_link_after_the_limit(
    client: Client, petition: Petition, mailbox: Mailbox, drain: Any, settings: Any
) -> None:
    import datetime

    settings.VERIFICATION_MAX_SENDS = 1
    sign(client, petition)
    drain()
    Signature.objects.update(created_at=timezone.now() - datetime.timedelta(days=31))
    sign(client, petition)
    drain()
    assert len(mailbox.wait_for(2)) == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-email", "Enter a valid email address."),
        ("email", "", "This field is required."),
        ("first_name", "", "This field is required."),
        ("zip_code", "6060", "Enter a 5-digit ZIP code, like 60608."),
        ("zip_code", "６０６０８", "Enter a 5-digit ZIP code, like 60608."),
        ("first_name", "x" * 101, "Ensure this value has at most 100 characters"),
        ("comment", "x" * 1001, "Ensure this value has at most 1000 characters"),
    ],
)
def test_it_rejects_bad_input_with_a_clear_message_and_stores_nothing(
    client: Client, petition: Petition, field: str, value: str, message: str
) -> None:
    response = sign(client, petition, **{field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Signature.objects.count() == 0
    assert CountChange.objects.count() == 0


def test_it_shows_errors_in_spanish_to_a_spanish_reader(client: Client, petition: Petition) -> None:
    client.cookies["gs_language"] = "es"
    response = sign(client, petition, email="nope")
    assert response.status_code == 400
    assert "Introduzca una dirección de correo electrónico válida." in response.content.decode()


def test_a_draft_cannot_be_signed(client: Client, draft_petition: Petition) -> None:
    response = sign(client, draft_petition)
    assert response.status_code == 404
    assert Signature.objects.count() == 0


def test_a_closed_petition_refuses_signatures_clearly(client: Client, petition: Petition) -> None:
    actions.close(petition)
    response = sign(client, petition)
    assert response.status_code == 409
    assert "no longer takes signatures" in response.content.decode()
    assert Signature.objects.count() == 0


def test_a_past_deadline_refuses_signatures(client: Client, petition: Petition) -> None:
    petition.deadline = petition.created_at.date().replace(year=2000)
    petition.save()
    assert sign(client, petition).status_code == 409
    assert Signature.objects.count() == 0


def test_a_cross_site_post_is_refused(client: Client, petition: Petition) -> None:
    response = client.post(
        f"/petitions/{petition.slug}/sign", SIGNER, headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 403
    assert "another website" in response.content.decode()
    assert Signature.objects.count() == 0


def test_a_same_site_post_is_accepted(client: Client, petition: Petition) -> None:
    response = client.post(
        f"/petitions/{petition.slug}/sign", SIGNER, headers={"Origin": "http://testserver"}
    )
    assert response.status_code == 303


def test_get_is_not_allowed(client: Client, petition: Petition) -> None:
    assert client.get(f"/petitions/{petition.slug}/sign").status_code == 405


def test_signing_never_touches_a_shared_counter_row(client: Client, petition: Petition) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        sign(client, petition)
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    assert writes == []
