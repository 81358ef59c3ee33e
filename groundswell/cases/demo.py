"""The demo's cases: the Chicago Alliance's case types, its owners as case managers, and a
few cases about clearly fictional people. `load()` is safe to run again (types by slug,
cases by their fictional IDOC number)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from groundswell.accounts.models import User
from groundswell.campaigns.models import Campaign
from groundswell.cases import actions
from groundswell.cases.models import Case, CaseType, Urgency
from groundswell.organizations.models import Organization, Role

ORGANIZATION = "chicago-alliance"
# (type slug, fictional name, IDOC number, facility, jurisdiction, days ago, what happened)
CASES = [
    (
        "medical-emergency",
        "Demo Person One (fictional)",
        "Z00001",
        "Stateville Correctional Center",
        "IDOC",
        0,
        "Fictional: chest pains for two days; the health care unit has not seen him.",
    ),
    (
        "torture-claim",
        "Demo Person Two (fictional)",
        "Z00002",
        "Menard Correctional Center",
        "Cook County",
        400,
        "Fictional: a claim of a coerced confession in 1989, waiting at the TIRC.",
    ),
    (
        "re-entry-support",
        "Demo Person Three (fictional)",
        "Z00003",
        "Logan Correctional Center",
        "IDOC",
        20,
        "Fictional: release expected in the spring; needs housing and a ride home.",
    ),
]

# Torture claims filed at the TIRC, counted (together, never one by one) on the page of
# the Alliance's campaign to free the survivors: (IDOC number, years waiting).
CAMPAIGN = "free-torture-survivors"
TIRC_CLAIMS = [("Z00010", 9), ("Z00011", 7), ("Z00012", 6), ("Z00013", 4), ("Z00014", 3)]
CASES += [
    (
        "torture-claim",
        f"Demo Claimant {number} (fictional)",
        idoc,
        "Stateville Correctional Center",
        "Cook County",
        years * 365 + 30,
        "Fictional: a coerced confession; the claim waits at the TIRC.",
    )
    for number, (idoc, years) in enumerate(TIRC_CLAIMS, 1)
]


def load() -> list[Case]:
    """Load (or find again) the Alliance's case types and demo cases."""
    organization = Organization.objects.filter(slug=ORGANIZATION).first()
    if organization is None:
        return []
    loaded = []
    with transaction.atomic():
        actions.seed_case_types(organization)
        owners = [m.user for m in organization.memberships.filter(role=Role.OWNER)]
        for owner in owners:
            actions.add_case_manager(organization, owner, by=None)
        for slug, name, idoc, facility, jurisdiction, days, what in CASES:
            found = Case.objects.filter(organization=organization, idoc_number=idoc).first()
            if found is None:
                found = actions.open_case(
                    organization,
                    case_type=CaseType.objects.get(organization=organization, slug=slug),
                    urgency=Urgency.URGENT if days else Urgency.EMERGENCY,
                    client_name=name,
                    idoc_number=idoc,
                    facility=facility,
                    jurisdiction=jurisdiction,
                    reference_date=timezone.localdate() - datetime.timedelta(days=days),
                    description=what,
                )
                if owners and days:
                    actions.assign(found, owners[0], by=owners[0])
                if owners and idoc in dict(TIRC_CLAIMS):
                    _support(found, owners[0])
            loaded.append(found)
    return loaded


def _support(case: Case, owner: User) -> None:
    """Filed at the TIRC, and counted on the Alliance's campaign page (if it is there)."""
    filed = case.case_type.statuses.filter(name="Filed at the TIRC").first()
    if filed is not None:
        actions.set_status(case, filed, by=owner)
    campaign = Campaign.objects.filter(slug=CAMPAIGN, owner_id=case.organization_id).first()
    if campaign is not None:
        actions.link_campaign(case, campaign, public=True, by=owner)
