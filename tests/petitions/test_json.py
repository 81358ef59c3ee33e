"""Public JSON: /petitions/<slug>.json and /petitions/<slug>/count.json."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from groundswell.petitions import actions, counts
from groundswell.petitions.models import Petition

pytestmark = pytest.mark.django_db


def test_count_json_is_live_and_cacheable(client: Client, petition: Petition) -> None:
    assert client.get(f"/petitions/{petition.slug}/count.json").json()["count"] == 0
    result = actions.record_signature(
        petition,
        first_name="A",
        last_name="B",
        email="a@example.org",
        email_normalized="a@example.org",
        zip_code="60608",
    )
    actions.verify_signature(actions.verification_token(result.signature))
    counts.fold()
    response = client.get(f"/petitions/{petition.slug}/count.json")
    assert response.json()["count"] == 1
    assert response.json()["goal"] == 1000
    assert response["Cache-Control"] == "public, max-age=2"


def test_petition_json_has_the_texts_and_no_personal_data(
    client: Client, petition: Petition
) -> None:
    result = actions.record_signature(
        petition,
        first_name="Secret",
        last_name="Signer",
        email="secret@example.org",
        email_normalized="secret@example.org",
        zip_code="60608",
    )
    actions.verify_signature(actions.verification_token(result.signature))
    counts.fold()
    response = client.get(f"/petitions/{petition.slug}.json")
    data = response.json()
    assert data["title"].startswith("Tell Mayor Rahm Emanuel")
    assert data["targets"] == [
        {"name": "Rahm Emanuel", "title": "Mayor", "office": "City of Chicago"}
    ]
    assert [s["slug"] for s in data["sponsors"]] == ["action-now", "ocad"]
    assert data["signature_count"] == 1
    raw = json.dumps(data)
    assert "secret" not in raw.lower() and "Signer" not in raw
