"""The public sign-on form's logo: a small file of 12,000 by 12,000 pixels was once
accepted and shown on the owner's dashboard."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from groundswell.campaigns.models import Campaign, Endorsement
from tests.campaigns.conftest import posted
from tests.core.test_uploads import huge_png


def test_the_public_sign_on_form_refuses_a_huge_logo(client: Client, campaign: Campaign) -> None:
    logo = SimpleUploadedFile("logo.png", huge_png(), "image/png")
    response = client.post(f"/campaigns/{campaign.slug}/endorse/", {**posted(), "logo": logo})
    assert response.status_code == 400
    assert "5000" in response.content.decode()
    assert not Endorsement.objects.exists()
