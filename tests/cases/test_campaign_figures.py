"""A support campaign's public page counts the open cases linked to it publicly, by
type and status, only in groups of at least MIN_GROUP, and says nothing of any case."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from groundswell.accounts.models import User
from groundswell.campaigns.models import Campaign
from groundswell.cases import actions
from groundswell.cases.campaign_section import MIN_GROUP
from groundswell.cases.models import Case, CaseType
from groundswell.organizations.models import Organization

pytestmark = pytest.mark.django_db


def _claims(
    organization: Organization,
    case_type: CaseType,
    status: str,
    count: int,
    campaign: Campaign,
    *,
    public: bool = True,
    years_ago: int = 1,
    by: User,
) -> list[Case]:
    made = []
    for number in range(count):
        case = actions.open_case(
            organization,
            case_type=case_type,
            client_name=f"Fictional Claimant {number}",
            facility="Pontiac Correctional Center",
            tirc_number=f"TIRC-{status[:3]}-{number}",
            reference_date=timezone.localdate() - datetime.timedelta(days=365 * years_ago + 3),
            by=by,
        )
        actions.set_status(case, case_type.statuses.get(name=status), by=by)
        actions.link_campaign(case, campaign, public=public, by=by)
        made.append(case)
    return made


def test_the_campaign_page_counts_large_groups_only_and_nothing_of_a_case(
    client: Client, action_now: Organization, types: dict[str, CaseType], manager: User
) -> None:
    campaign = Campaign.objects.create(
        owner=action_now, slug="justice-for-survivors", title="Justice", status="active"
    )
    claim = types["torture-claim"]
    filed = _claims(action_now, claim, "Filed at the TIRC", MIN_GROUP, campaign, by=manager)
    actions.update_case(
        filed[0], reference_date=filed[0].reference_date.replace(year=2017), by=manager
    )
    _claims(action_now, claim, "Gathering evidence", MIN_GROUP - 1, campaign, by=manager)
    _claims(action_now, claim, "Decided", 3, campaign, public=False, by=manager)
    extra = _claims(action_now, claim, "Filed at the TIRC", 1, campaign, by=manager)[0]
    actions.close_case(extra, by=manager)  # closed: not counted
    page = client.get("/campaigns/justice-for-survivors/").content.decode()
    assert f"{MIN_GROUP} open cases: Torture claim" in page
    assert "Filed at the TIRC" in page
    years = timezone.localdate().year - 2017 - 1
    assert f"The oldest has waited {years}" in page or f"waited {years + 1} years" in page
    assert "Gathering evidence" not in page  # a group too small to show
    assert "Decided" not in page  # linked privately
    for secret in ("Fictional", "Pontiac", "TIRC-"):
        assert secret not in page


def test_a_campaign_with_no_public_group_shows_no_cases_section(
    client: Client, action_now: Organization, types: dict[str, CaseType], manager: User
) -> None:
    campaign = Campaign.objects.create(owner=action_now, slug="one", title="One", status="active")
    _claims(action_now, types["torture-claim"], "New", 1, campaign, by=manager)
    page = client.get("/campaigns/one/").content.decode()
    assert 'id="cases"' not in page and "open case" not in page
