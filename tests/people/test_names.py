"""One sanitizer for a supporter's name shown to the public (people.names.public_name):
no characters that reorder or hide text, and never an email address as a name."""

from __future__ import annotations

import pytest
from django.test import Client

from groundswell.people.names import public_name
from groundswell.petitions import actions
from groundswell.petitions.models import Petition
from tests.conftest import SIGNER

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("first", "last", "shown"),
    [
        ("Ana", "Reyes", "Ana R."),
        ("Ana", "", "Ana"),
        ("\u202eAna", "Reyes", "Ana R."),  # right-to-left override
        ("A\u2066na\u2069", "\u200fReyes", "Ana R."),  # isolates, a direction mark
        ("Ana\u200b", "Reyes", "Ana R."),  # zero-width space
        ("مريم", "حسن", "مريم ح."),  # a right-to-left name as typed
        ("ana@example.org", "Reyes", ""),
        ("ana＠example.org", "Reyes", ""),  # a full-width at sign
        ("ana (at) example.org", "", ""),
        ("ana\u200b@\u200bexample.org", "", ""),
        ("\u202e", "Reyes", ""),
    ],
)
def test_a_public_name_is_cleaned(first: str, last: str, shown: str) -> None:
    assert public_name(first, last) == shown


def verified(petition: Petition, first_name: str, email: str) -> None:
    fields = {**SIGNER, "first_name": first_name, "email": email, "email_normalized": email}
    signature = actions.record_signature(petition, **fields, public=True).signature
    actions.verify_signature(actions.verification_token(signature))


def test_the_recent_signers_show_no_override_and_no_address(
    client: Client, petition: Petition
) -> None:
    """Before, the petition page showed both as typed."""
    verified(petition, "\u202eevil", "a@example.org")
    verified(petition, "someone@example.org", "b@example.org")
    page = client.get(f"/petitions/{petition.slug}/").content.decode()
    assert "\u202e" not in page
    assert "evil R." in page
    assert "someone@example.org" not in page
    assert "A signer R." not in page and "A signer" in page
