"""Posting an update: /manage/<org>/petitions/<slug>/updates/new/, emailed over real SMTP."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.people import actions as people_actions
from groundswell.petitions import actions
from groundswell.petitions.models import Petition, PetitionUpdate, Signature
from tests.conftest import login
from tests.smtp import Mailbox

pytestmark = pytest.mark.django_db


def update_url(petition: Petition, org: str = "action-now") -> str:
    return reverse("petitions_manage:update_create", args=[org, petition.slug])


def update_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Hearing on Thursday",
        "body": "The Council's committee hears the ordinance on **Thursday**. Come!",
        "title_es": "",
        "body_es": "",
        "email_signers": "on",
    }
    data.update(overrides)
    return data


def sign(
    petition: Petition,
    name: str,
    *,
    consents: list[int],
    verify: bool = True,
    language: str = "en",
) -> Signature:
    email = f"{name.lower()}@example.org"
    signature = actions.record_signature(
        petition,
        first_name=name,
        last_name="Signer",
        email=email,
        email_normalized=email,
        zip_code="60608",
        consents=consents,
        language=language,
    ).signature
    if verify:
        actions.verify_signature(actions.verification_token(signature))
        signature.refresh_from_db()
    return signature


def test_an_update_is_emailed_only_to_verified_signers_who_consented_to_the_owner(
    client: Client,
    organizer: User,
    petition: Petition,
    action_now: Organization,
    ocad: Organization,
    mailbox: Mailbox,
    drain: Any,
) -> None:
    sign(petition, "Ana", consents=[action_now.pk])
    sign(petition, "Luz", consents=[action_now.pk, ocad.pk], language="es")
    sign(petition, "Ben", consents=[ocad.pk])
    sign(petition, "Cat", consents=[action_now.pk], verify=False)
    sign(petition, "Dan", consents=[])
    eva = sign(petition, "Eva", consents=[action_now.pk])
    assert eva.person is not None
    people_actions.withdraw_email_consent(eva.person, action_now, source="test")
    drain()
    mailbox.clear()  # the verification email of the pending signer

    response = login(client, organizer).post(
        update_url(petition),
        update_data(title_es="Audiencia el jueves", body_es="El comité escucha el jueves."),
    )
    assert response.status_code == 303
    drain()

    messages = mailbox.wait_for(2)
    assert sorted(str(m["To"]) for m in messages) == ["ana@example.org", "luz@example.org"]
    for message in messages:
        assert "/people/unsubscribe/" in str(message["List-Unsubscribe"])
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    ana = mailbox.to("ana@example.org")[0]
    assert "Hearing on Thursday" in str(ana["Subject"])
    assert "Thursday" in Mailbox.text(ana)
    luz = mailbox.to("luz@example.org")[0]
    assert "Audiencia el jueves" in str(luz["Subject"])
    update = PetitionUpdate.objects.get()
    assert update.emailed_count == 2
    assert update.emailed_at is not None
    dashboard = client.get(response["Location"]).content.decode()
    assert "emailed to 2 signers" in dashboard


def test_the_form_says_how_many_signers_the_email_would_reach(
    client: Client, organizer: User, petition: Petition, action_now: Organization
) -> None:
    sign(petition, "Ana", consents=[action_now.pk])
    sign(petition, "Dan", consents=[])

    html = login(client, organizer).get(update_url(petition)).content.decode()

    assert "Right now 1 verified signer agreed to hear from Action Now." in html


def test_an_update_not_to_be_emailed_is_only_posted(
    client: Client,
    organizer: User,
    petition: Petition,
    action_now: Organization,
    mailbox: Mailbox,
    drain: Any,
) -> None:
    sign(petition, "Ana", consents=[action_now.pk])
    drain()
    mailbox.clear()

    response = login(client, organizer).post(update_url(petition), update_data(email_signers=""))
    drain()

    assert response.status_code == 303
    update = PetitionUpdate.objects.get()
    assert update.email_signers is False
    assert update.author == organizer
    assert mailbox.messages == []


def test_a_spanish_title_without_its_text_is_refused(
    client: Client, organizer: User, petition: Petition
) -> None:
    response = login(client, organizer).post(
        update_url(petition), update_data(title_es="Audiencia")
    )

    assert response.status_code == 400
    assert "Give both the Spanish title and the Spanish text" in response.content.decode()
    assert not PetitionUpdate.objects.exists()


def test_a_draft_takes_no_updates(
    client: Client, organizer: User, draft_petition: Petition
) -> None:
    response = login(client, organizer).post(update_url(draft_petition), update_data(), follow=True)

    assert "Publish the petition before posting updates" in response.content.decode()
    assert not PetitionUpdate.objects.exists()


def test_an_organizer_of_another_organization_gets_403_and_nothing_is_posted(
    client: Client, outsider: User, petition: Petition
) -> None:
    response = login(client, outsider).post(update_url(petition), update_data())

    assert response.status_code == 403
    assert not PetitionUpdate.objects.exists()


def test_a_co_sponsor_organizer_cannot_post_updates(
    client: Client, ocad_organizer: User, petition: Petition
) -> None:
    login(client, ocad_organizer)

    assert client.get(update_url(petition, "ocad")).status_code == 403
    assert client.post(update_url(petition, "ocad"), update_data()).status_code == 403
    assert not PetitionUpdate.objects.exists()
