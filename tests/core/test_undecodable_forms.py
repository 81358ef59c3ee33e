"""A form whose text is not UTF-8 is refused with a clear 400 and stores nothing.
Django would read each bad byte as U+FFFD and a signer's name would be stored as "��"
(core.middleware.RefuseUndecodableForms)."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from groundswell.campaigns import actions as campaign_actions
from groundswell.campaigns.models import Campaign, Endorsement
from groundswell.campaigns.views import ENDORSEMENT_SCREEN
from groundswell.petitions.models import Petition, Signature
from tests.conftest import SIGNER, form_token

pytestmark = pytest.mark.django_db

URLENCODED = "application/x-www-form-urlencoded"


def signature_body(**fields: str) -> bytes:
    return urlencode({**SIGNER, "form_token": form_token(), **fields}).encode()


@pytest.mark.parametrize(
    "bad", [b"first_name=%FF%FE", b"first_name=Ana\xff", b"last_name=%C3%28", b"%FF=x"]
)
def test_a_signature_with_bytes_that_are_not_utf8_is_a_clear_400(
    client: Client, petition: Petition, bad: bytes
) -> None:
    body = signature_body() + b"&" + bad
    response = client.post(f"/petitions/{petition.slug}/sign", body, content_type=URLENCODED)
    assert response.status_code == 400
    assert "We could not read that request" in response.content.decode()
    assert not Signature.objects.exists()


def test_the_same_signature_in_utf8_is_stored_as_typed(client: Client, petition: Petition) -> None:
    body = signature_body(first_name="Begoña", last_name="Núñez")
    response = client.post(f"/petitions/{petition.slug}/sign", body, content_type=URLENCODED)
    assert response.status_code == 303
    assert Signature.objects.get().first_name == "Begoña"


def test_a_multipart_form_with_bytes_that_are_not_utf8_is_a_clear_400(
    client: Client, action_now: Any
) -> None:
    campaign = campaign_actions.create_campaign(
        owner=action_now, created_by=None, slug="contract", title="Police Contract"
    )
    campaign_actions.update_campaign(campaign, status=Campaign.Status.ACTIVE)
    fields = {
        "organization_name": "ORGNAME",
        "contact_name": "Omar Haddad",
        "contact_email": "omar@swop.example",
        "form_token": ENDORSEMENT_SCREEN.token(now=time.time() - 60),
        "homepage": "",
    }
    body = encode_multipart(BOUNDARY, fields).replace(b"ORGNAME", b"SWOP \xff\xfe")
    url = f"/campaigns/{campaign.slug}/endorse/"
    response = client.generic("POST", url, body, content_type=MULTIPART_CONTENT)
    assert response.status_code == 400
    assert "We could not read that request" in response.content.decode()
    assert not Endorsement.objects.exists()


def test_the_api_still_answers_a_body_it_cannot_read_in_json(client: Client) -> None:
    response = client.post("/api/v2/people", b"\xff\xfe", content_type=URLENCODED)
    assert response.status_code == 401
    assert response.json()["error"]
