"""Action Now's ladder on its petition: Ana signs (agreeing to its emails unless told),
confirms, and the ladder takes her from there."""

from __future__ import annotations

from typing import Any

import pytest

from groundswell.ladders import actions
from groundswell.ladders.models import Ladder
from groundswell.organizations.models import Membership
from groundswell.petitions import actions as petition_actions
from groundswell.petitions.models import Petition, Signature


@pytest.fixture
def membership(organizer: Any, petition: Petition) -> Membership:
    return Membership.objects.get(user=organizer, organization=petition.owner)


def ladder(membership: Membership, petition: Petition, *steps: dict[str, Any]) -> Ladder:
    """A running ladder on the petition's verified signatures, with these steps."""
    made = actions.save_ladder(
        membership, None, name="Thanks", trigger="signed", target=str(petition.pk)
    )
    for step in steps:
        actions.save_step(membership, made, None, **step)
    return actions.set_active(membership, made, True)


WAIT_A_DAY = {"kind": "wait", "wait_hours": 24}
THANKS = {
    "kind": "email",
    "subject": 'Thanks {{ first_name|default:"friend" }}',
    "body": "Join us on *Saturday*.",
}


def sign_and_verify(
    petition: Petition, email: str = "ana.reyes@example.org", consent: bool = True
) -> Signature:
    signature = petition_actions.record_signature(
        petition,
        first_name="Ana",
        last_name="Reyes",
        email=email,
        email_normalized=email,
        zip_code="60608",
        consents=[petition.owner_id] if consent else [],
        send_email=False,
    ).signature
    petition_actions.verify_signature(petition_actions.verification_token(signature))
    signature.refresh_from_db()
    return signature
