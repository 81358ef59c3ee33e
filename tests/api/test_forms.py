"""Forms and submissions over the API: the organization's volunteer form (and one per
published campaign it is in), with its confirmed sign-ups as submissions."""

from __future__ import annotations

import pytest
from django.test import Client

from groundswell.campaigns import actions as campaign_actions
from groundswell.campaigns.models import Campaign
from groundswell.core.tokens import LinkOutcome
from groundswell.organizations.models import Organization
from groundswell.people.addresses import normalize_email
from groundswell.people.models import Supporter
from groundswell.volunteers import actions as volunteer_actions
from groundswell.volunteers.models import Signup
from tests.api.conftest import ApiClient, token_for
from tests.campaigns.conftest import partner_in

pytestmark = pytest.mark.django_db


def signup_to(organization: Organization, email: str, campaign: Campaign | None = None) -> Signup:
    return volunteer_actions.record_signup(
        organization,
        campaign=campaign,
        interests=[],
        email_normalized=normalize_email(email),
        consent=False,
        language="en",
        ip_address=None,
        first_name=email.split("@")[0].title(),
        email=email,
    )


def confirmed_signup(
    organization: Organization, email: str, campaign: Campaign | None = None
) -> Signup:
    """A sign-up confirmed by its emailed link."""
    signup = signup_to(organization, email, campaign)
    result = volunteer_actions.confirm_signup(volunteer_actions.confirmation_token(signup))
    assert result.outcome == LinkOutcome.CONFIRMED, result
    return Signup.objects.get(pk=signup.pk)


def test_the_organizations_form_and_its_campaigns(
    api: ApiClient, action_now: Organization, ocad: Organization
) -> None:
    campaign = campaign_actions.create_campaign(
        owner=ocad,
        created_by=None,
        partners=[action_now],
        slug="welcoming-city",
        title="Welcoming City",
        status=Campaign.Status.ACTIVE,
    )
    partner_in(campaign, action_now)
    campaign_actions.create_campaign(owner=action_now, created_by=None, slug="draft", title="Draft")

    body = api.get("forms").json()

    forms = body["_embedded"]["osdi:forms"]
    assert body["total_records"] == 2 and body["total_pages"] == 1
    assert [f["title"] for f in forms] == ["Volunteer with Action Now", "Welcoming City"]
    own, campaign_form = forms
    assert own["identifiers"][0] == f"groundswell:{2 * action_now.pk}"
    assert own["browser_url"].endswith(f"/volunteer/{action_now.slug}/")
    assert campaign_form["browser_url"].endswith(f"/volunteer/{action_now.slug}/welcoming-city/")
    one = api.get(f"forms/{2 * campaign.pk + 1}").json()
    assert one["title"] == "Welcoming City"
    assert api.get(f"forms/{2 * ocad.pk}").status_code == 404
    only = api.get("forms", {"filter": f"identifiers eq 'groundswell:{2 * action_now.pk}'"})
    assert only.json()["total_records"] == 1
    none = api.get("forms", {"filter": "modified_date gt '2999-01-01'"}).json()
    assert none["total_records"] == 0 and none["_embedded"] == {"osdi:forms": []}


def test_confirmed_sign_ups_are_submissions(api: ApiClient, action_now: Organization) -> None:
    signup = confirmed_signup(action_now, "ana@example.org")
    signup_to(action_now, "ben@example.org")  # not confirmed: not shown
    form = 2 * action_now.pk

    body = api.get(f"forms/{form}/submissions").json()

    [row] = body["_embedded"]["osdi:submissions"]
    supporter = Supporter.objects.get(organization=action_now, first_name="Ana")
    assert row["identifiers"] == [f"groundswell:{signup.pk}", f"action_network:{signup.pk}"]
    assert row["_links"]["osdi:person"]["href"].endswith(f"/people/{supporter.pk}")
    assert row["_links"]["osdi:form"]["href"].endswith(f"/forms/{form}")
    assert api.get(f"forms/{form}").json()["total_submissions"] == 1
    assert api.get(f"forms/{form}/submissions/{signup.pk}").status_code == 200
    mine = api.get(f"people/{supporter.pk}/submissions").json()
    assert mine["total_records"] == 1


def test_another_organization_sees_none_of_it(
    action_now: Organization, other_org: Organization
) -> None:
    signup = confirmed_signup(action_now, "ana@example.org")
    outsider = ApiClient(Client(), token_for(other_org))
    form = 2 * action_now.pk

    hidden = outsider.get(f"forms/{form}")
    missing = outsider.get(f"forms/{form + 2000}")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert outsider.get(f"forms/{form}/submissions/{signup.pk}").status_code == 404
    own_form = 2 * other_org.pk
    assert outsider.get(f"forms/{own_form}/submissions").json()["total_records"] == 0
    assert outsider.get(f"forms/{own_form}/submissions/{signup.pk}").status_code == 404
