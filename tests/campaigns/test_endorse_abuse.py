"""The sign-on form against abuse: a hidden field and a signed form token for bots, a
limit per network, and a daily cap on the confirmation emails one address gets."""

from __future__ import annotations

import datetime
import time
from typing import Any
from unittest import mock

import pytest
from django.db.models import F
from django.test import Client
from django.utils import timezone

from groundswell.campaigns import actions
from groundswell.campaigns.models import Campaign, Endorsement
from groundswell.core.models import RateCounter
from groundswell.people.models import Erasure, Person
from groundswell.people.rights import actions as rights
from tests.campaigns.conftest import endorse, form_token, png, posted
from tests.smtp import Mailbox

pytestmark = pytest.mark.django_db

THANKS = "/campaigns/{slug}/endorse/thanks"


def send(client: Client, campaign: Campaign, **overrides: Any) -> Any:
    return client.post(f"/campaigns/{campaign.slug}/endorse/", posted(**overrides))


def test_the_form_carries_a_token_and_a_hidden_field(client: Client, campaign: Campaign) -> None:
    response = client.get(f"/campaigns/{campaign.slug}/endorse/")
    page = response.content.decode()
    assert 'name="form_token"' in page
    assert 'name="homepage"' in page and 'class="trap"' in page
    assert "no-store" in response["Cache-Control"]


def test_a_bot_filling_the_hidden_field_sees_thanks_and_nothing_is_kept(
    client: Client, campaign: Campaign, mailbox: Mailbox, drain: Any, settings: Any
) -> None:
    response = send(client, campaign, homepage="http://spam.example", logo=png())
    assert response.status_code == 303
    assert response["Location"] == THANKS.format(slug=campaign.slug)
    assert not Endorsement.objects.exists()
    assert not list(settings.MEDIA_ROOT.rglob("*.png"))
    drain()
    assert mailbox.messages == []


def test_a_form_sent_instantly_is_dropped(
    client: Client, campaign: Campaign, settings: Any
) -> None:
    settings.SIGN_MIN_FILL_SECONDS = 3
    response = send(client, campaign, form_token=form_token(age=0))
    assert response.status_code == 303
    assert response["Location"] == THANKS.format(slug=campaign.slug)
    assert not Endorsement.objects.exists()


def old_token() -> str:
    """A token signed 13 hours ago (the form was left open overnight)."""
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 13 * 3600):
        return form_token(age=13 * 3600)


@pytest.mark.parametrize("token", ["", "forged", "old"])
def test_a_missing_forged_or_old_token_is_refused_with_a_message(
    client: Client, campaign: Campaign, token: str
) -> None:
    response = send(client, campaign, form_token=old_token() if token == "old" else token)
    assert response.status_code == 400
    assert "Please send it again" in response.content.decode()
    assert not Endorsement.objects.exists()


def test_too_many_sign_ons_from_one_network_are_refused(
    client: Client, campaign: Campaign, mailbox: Mailbox, drain: Any, settings: Any
) -> None:
    limit, _seconds = settings.ENDORSEMENT_RATE_IP
    assert limit == 20
    for n in range(limit):
        response = send(client, campaign, contact_email=f"contact{n}@example.org")
        assert response.status_code == 303
    response = send(client, campaign, contact_email="one.more@example.org")
    assert response.status_code == 429
    assert "Too many endorsements came from your network" in response.content.decode()
    assert Endorsement.objects.count() == limit
    assert set(Endorsement.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}
    # An hour later the network may send again.
    RateCounter.objects.update(window=F("window") - 1)
    assert send(client, campaign, contact_email="one.more@example.org").status_code == 303


def test_another_network_is_not_held_back(
    client: Client, campaign: Campaign, settings: Any
) -> None:
    settings.ENDORSEMENT_RATE_IP = (2, 3600)
    for n in range(3):
        client.post(
            f"/campaigns/{campaign.slug}/endorse/",
            posted(contact_email=f"c{n}@example.org"),
            REMOTE_ADDR="203.0.113.9",
        )
    assert Endorsement.objects.count() == 2
    response = client.post(
        f"/campaigns/{campaign.slug}/endorse/", posted(), REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 303


def test_one_address_gets_at_most_five_emails_a_day_whatever_the_name(
    client: Client, campaign: Campaign, mailbox: Mailbox, drain: Any, settings: Any
) -> None:
    for n in range(actions.MAX_SENDS_PER_DAY + 3):
        response = send(
            client,
            campaign,
            organization_name=f"Organization {n}",
            contact_email="Victim@Example.org" if n % 2 else "victim@example.org",
            logo=png(name=f"logo{n}.png", size=(40 + n, 40)),
        )
        # The same answer every time: nobody learns the cap was reached.
        assert response.status_code == 303
        assert response["Location"] == THANKS.format(slug=campaign.slug)
    assert Endorsement.objects.count() == actions.MAX_SENDS_PER_DAY
    # Only the stored sign-ons' logos were kept.
    assert len(list(settings.MEDIA_ROOT.rglob("*.png"))) == actions.MAX_SENDS_PER_DAY
    drain()
    assert len(mailbox.messages) == actions.MAX_SENDS_PER_DAY


def test_the_cap_counts_every_campaign_and_demand_and_lifts_after_a_day(
    campaign: Campaign, owner: Any
) -> None:
    other = actions.create_campaign(
        owner=campaign.owner, created_by=owner, slug="other", title="Other", demands=["X"]
    )
    demands = list(campaign.demands.all())
    for demand in demands:
        endorse(campaign, demand=demand)
    endorse(campaign)
    endorse(other, demand=other.demands.get())
    assert Endorsement.objects.count() == actions.MAX_SENDS_PER_DAY == len(demands) + 2
    result = actions.record_endorsement(other, **posted_fields(organization_name="New name"))
    assert result.outcome == actions.EndorseOutcome.NOT_SENT and result.endorsement is None
    assert Endorsement.objects.count() == actions.MAX_SENDS_PER_DAY

    Endorsement.objects.update(created_at=timezone.now() - datetime.timedelta(days=1, minutes=1))
    result = actions.record_endorsement(other, **posted_fields(organization_name="New name"))
    assert result.outcome == actions.EndorseOutcome.RECEIVED


def test_a_duplicate_is_still_explained_past_the_cap(client: Client, campaign: Campaign) -> None:
    for n in range(actions.MAX_SENDS_PER_DAY):
        endorse(campaign, organization_name=f"Organization {n}")
    response = send(client, campaign, organization_name="Organization 0")
    assert response.status_code == 409
    assert Endorsement.objects.count() == actions.MAX_SENDS_PER_DAY


def test_erasure_removes_the_address_the_form_came_from(campaign: Campaign) -> None:
    endorsement = endorse(campaign, ip_address="203.0.113.9")
    actions.verify_endorsement(actions.verification_token(endorsement))
    rights.erase(Person.objects.get(), via=Erasure.Via.OPERATOR)
    endorsement.refresh_from_db()
    assert endorsement.ip_address is None and endorsement.contact_email == ""


def posted_fields(**overrides: Any) -> dict[str, Any]:
    fields = posted(**overrides)
    return {k: v for k, v in fields.items() if k not in {"form_token", "homepage"}}
