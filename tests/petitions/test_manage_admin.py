"""The operator's /admin/ pages for petitions open, and counts there are read-only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.petitions import actions
from groundswell.petitions.models import Petition, PetitionCount
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator() -> User:
    return User.objects.create_superuser("ops@groundswell.example", "x" * 12)


@pytest.mark.parametrize(
    "model",
    ["petition", "signature", "petitionupdate", "petitionresponse", "milestone", "petitioncount"],
)
def test_every_petition_model_has_an_admin_list(
    client: Client, operator: User, petition: Petition, model: str
) -> None:
    actions.record_signature(
        petition,
        first_name="Ana",
        last_name="Reyes",
        email="ana@example.org",
        email_normalized="ana@example.org",
        zip_code="60608",
    )
    response = login(client, operator).get(reverse(f"admin:petitions_{model}_changelist"))

    assert response.status_code == 200


def test_a_petition_is_edited_with_its_decision_makers_inline(
    client: Client, operator: User, petition: Petition
) -> None:
    url = reverse("admin:petitions_petition_change", args=[petition.pk])
    html = login(client, operator).get(url).content.decode()

    assert "Rahm Emanuel" in html
    assert 'name="targets-0-name"' in html


def test_signatures_are_searched_by_email(
    client: Client, operator: User, petition: Petition
) -> None:
    for name in ("ana", "ben"):
        actions.record_signature(
            petition,
            first_name=name,
            last_name="X",
            email=f"{name}@example.org",
            email_normalized=f"{name}@example.org",
            zip_code="60608",
        )
    url = reverse("admin:petitions_signature_changelist")
    html = login(client, operator).get(url, {"q": "ben@example.org"}).content.decode()

    assert "ben@example.org" in html
    assert "ana@example.org" not in html


def test_counts_cannot_be_changed_by_hand(
    client: Client, operator: User, petition: Petition
) -> None:
    count = PetitionCount.objects.get(petition=petition)
    login(client, operator)

    assert client.get(reverse("admin:petitions_petitioncount_add")).status_code == 403
    url = reverse("admin:petitions_petitioncount_change", args=[count.pk])
    response = client.post(url, {"shown": "999999", "total": "1", "verified": "1"})
    count.refresh_from_db()
    assert response.status_code in (200, 403)
    assert count.shown == 0


def test_a_signatures_state_cannot_be_set_by_hand_but_its_public_name_can(
    client: Client, operator: User, petition: Petition
) -> None:
    from groundswell.people.models import AuditEvent
    from groundswell.petitions.models import Signature, SignatureState

    signature = actions.record_signature(
        petition,
        first_name="Ana",
        last_name="Reyes",
        email="ana@example.org",
        email_normalized="ana@example.org",
        zip_code="60608",
    ).signature
    url = reverse("admin:petitions_signature_change", args=[signature.pk])
    login(client, operator)
    page = client.get(url).content.decode()
    assert 'name="state"' not in page and 'name="first_name"' in page
    response = client.post(
        url,
        {"first_name": "A.", "last_name": "R.", "comment": "", "state": SignatureState.VERIFIED},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    signature.refresh_from_db()
    assert signature.state == SignatureState.PENDING and signature.verified_at is None
    assert signature.first_name == "A."
    event = AuditEvent.objects.get(organization=petition.owner)
    assert event.detail == (
        f"in the admin: changed signature {signature.pk}: changed (First name, Last name)"
    )
    delete = reverse("admin:petitions_signature_delete", args=[signature.pk])
    assert client.get(delete).status_code == 403
    assert Signature.objects.filter(pk=signature.pk).exists()
