"""Error pages speak the reader's language and explain what happened."""

import pytest
from django.test import Client


@pytest.mark.django_db
def test_not_found_is_explained_in_spanish(client: Client) -> None:
    client.cookies["gs_language"] = "es"
    response = client.get("/petitions/no-such-petition/")
    assert response.status_code == 404
    assert "Página no encontrada" in response.content.decode()


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_is_refused_clearly(client: Client) -> None:
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "nothing was saved" in response.content.decode()


@pytest.mark.django_db
def test_an_oversized_body_is_refused_and_changes_nothing(
    client: Client, petition: object, settings: object
) -> None:
    from groundswell.petitions.models import Signature

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000  # type: ignore[attr-defined]
    response = client.post(
        "/petitions/defend-chicago/sign",
        {
            "first_name": "A",
            "last_name": "B",
            "email": "a@example.org",
            "zip_code": "60608",
            "comment": "x" * 20_000,
        },
    )
    assert response.status_code == 400
    assert Signature.objects.count() == 0
