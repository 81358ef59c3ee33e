"""Campaign personas: Action Now's police contract campaign, OCAD its partner."""

from __future__ import annotations

import io
import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from groundswell.accounts.models import User
from groundswell.campaigns import actions
from groundswell.campaigns.models import Campaign, Endorsement
from groundswell.campaigns.views import ENDORSEMENT_SCREEN
from groundswell.organizations.models import Organization
from tests.conftest import answerer_of

DEMANDS = [
    "Stop unanimous approval of the FOP contract",
    "Get a police contract that “bargains for the common good” and addresses our 14 points",
    "Continue to elevate narratives around police accountability",
]

ENDORSER = {
    "organization_name": "Southwest Organizing Project",
    "contact_name": "Omar Haddad",
    "contact_email": "omar@swop.example",
    "statement": "Our members stand with this campaign.",
}


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def png(size: tuple[int, int] = (40, 40), name: str = "logo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def partner_in(campaign: Campaign, organization: Organization) -> None:
    """`organization` becomes a partner the only way it can: the owner's invitation
    (named when the campaign was made or edited), accepted by an owner or admin of it."""
    invitation = actions.invite_partner(campaign, organization, by=None)
    actions.accept_partnership(answerer_of(organization), invitation)


@pytest.fixture
def draft_campaign(action_now: Organization, ocad: Organization, owner: User) -> Campaign:
    """Action Now's draft, with OCAD as partner (invited and accepted)."""
    draft = actions.create_campaign(
        owner=action_now,
        created_by=owner,
        partners=[ocad],
        demands=DEMANDS,
        slug="police-contract-accountability",
        title="Police Contract Accountability",
        summary="We found 14 points of tension in the police contract.",
        goal="Stop unanimous approval of the FOP contract.",
    )
    partner_in(draft, ocad)
    return draft


@pytest.fixture
def campaign(draft_campaign: Campaign) -> Campaign:
    """An active campaign of Action Now, with OCAD as partner and three demands."""
    actions.update_campaign(draft_campaign, status=Campaign.Status.ACTIVE)
    return draft_campaign


def form_token(age: float = 60) -> str:
    """The sign-on form's token, as served `age` seconds ago."""
    return ENDORSEMENT_SCREEN.token(now=time.time() - age)


def posted(**overrides: Any) -> dict[str, Any]:
    """What a person sends from the sign-on form (the hidden field left empty)."""
    return {**ENDORSER, "form_token": form_token(), "homepage": "", **overrides}


def endorse(campaign: Campaign, **overrides: Any) -> Endorsement:
    result = actions.record_endorsement(campaign, **{**ENDORSER, **overrides})
    assert result.endorsement is not None, result.outcome
    return result.endorsement


def approved(campaign: Campaign, **overrides: Any) -> Endorsement:
    endorsement = endorse(campaign, **overrides)
    actions.verify_endorsement(actions.verification_token(endorsement))
    actions.moderate_endorsement(endorsement, approve=True, by=None)
    return endorsement
