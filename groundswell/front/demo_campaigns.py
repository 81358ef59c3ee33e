"""The demo's campaigns: the seed pages' campaigns and demands, in their own words.

Loaded by `load_demo` (load_campaigns) after the organizations and petitions. The only
endorsements are by organizations the seeds name as supporting a campaign's demands
(seed 001's coalition) and by the demo's own organizations; none are made up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from groundswell.accounts.models import User
from groundswell.campaigns import actions
from groundswell.campaigns.models import (
    Campaign,
    DemandStatus,
    Endorsement,
    EndorsementState,
    name_key,
)
from groundswell.front import demo
from groundswell.organizations.models import Organization
from groundswell.people.addresses import normalize_email
from groundswell.petitions.models import Petition


@dataclass(frozen=True)
class DemoDemand:
    title: str
    status: str = DemandStatus.OPEN
    note: str = ""  # the evidence, quoted from the seed


@dataclass(frozen=True)
class DemoCampaign:
    slug: str
    owner: str
    title: str
    summary: str
    goal: str
    partners: tuple[str, ...] = ()
    demands: tuple[DemoDemand, ...] = ()
    petitions: tuple[str, ...] = ()  # slugs of demo petitions that belong to it
    endorsers: tuple[tuple[str, str], ...] = ()  # (organization slug, statement)


EXPAND_SANCTUARY_ENDORSEMENT = (
    "We support the two demands: amend the Welcoming City Ordinance and move the "
    "recommendations to change the Fraternal Order of Police (FOP) contract."
)
WAITING_FOR_A_VOTE = (
    "Both resolutions have been introduced to the Chicago City Council and are waiting for a "
    "vote, and need the support of the Mayor."
)

CAMPAIGNS: tuple[DemoCampaign, ...] = (
    DemoCampaign(
        slug="ecps-ordinance",
        owner="ecps-coalition",
        partners=("chicago-alliance",),
        title="Empowering Communities for Public Safety (ECPS) Ordinance",
        summary=(
            "The coalitions behind the Civilian Police Accountability Council (CPAC) and "
            "Grassroots Alliance for Police Accountability (GAPA) ordinances have united and "
            "created an ordinance to transform policing in Chicago. The two coalitions "
            "represent more than 100 organizations and tens of thousands of people. Hundreds "
            "of community members from neighborhoods across the city were directly involved "
            "in creating the ordinance that integrates the best thinking on police reform in "
            "Chicago and gives Chicago communities a powerful voice in determining what "
            "policing looks like.\n\n"
            "Aldermen who have led efforts for reform have been deeply involved, and the "
            "coalitions and aldermanic leaders are working to ensure that there is City "
            "Council support for the change Chicago needs."
        ),
        goal=(
            "An ordinance to transform policing in Chicago that gives Chicago communities a "
            "powerful voice in determining what policing looks like."
        ),
        demands=(
            DemoDemand(
                "City Council support for the Empowering Communities for Public Safety (ECPS) "
                "Ordinance",
                DemandStatus.IN_PROGRESS,
                "The coalitions and aldermanic leaders are working to ensure that there is "
                "City Council support for the change Chicago needs.",
            ),
            DemoDemand(
                "Give Chicago communities a powerful voice in determining what policing looks like"
            ),
        ),
        endorsers=(
            (
                "chicago-alliance",
                "We partner with key Chicago labor unions and labor support groups in support "
                "of the Empowering Communities for Public Safety (ECPS) Ordinance, speak at "
                "union halls, lead rallies, and organize demonstrations by workers.",
            ),
            (
                "action-now",
                "We believe that direct democratic control of government and law enforcement "
                "helps ensure that communities that are most harmed by destructive policies "
                "have the power to control budgets, determine policing policies, and "
                "self-determine their own priorities.",
            ),
        ),
    ),
    DemoCampaign(
        slug="free-torture-survivors",
        owner="chicago-alliance",
        title="Free all survivors of police torture",
        summary=(
            "We are a group of survivors, family members, and advocates of justice. We seek "
            "to free all survivors of police torture and wrongful conviction, and to support "
            "their success upon release.\n\n"
            "Illinois is the only state in the United States that has a Torture Inquiry and "
            "Relief Commission (TIRC) created by statute. Chicago is the only city in the "
            "United States that has officially, by city ordinance, apologized for the "
            "systematic torture and wrongful conviction of men and women. It is the only city "
            "that has created a publicly financed fund for the payment of reparations to "
            "torture survivors.\n\n"
            "And yet, most torture survivors remain in prison decades later. At best they "
            "have been released after serving long, unjustified sentences and are now branded "
            "as felons."
        ),
        goal="Our goal is a community-focused, transformative justice system.",
        demands=(
            DemoDemand(
                "Free all survivors of police torture and wrongful conviction",
                DemandStatus.PARTLY_WON,
                "The recent exoneration of some 19 victims of police crimes and torture and a "
                "dozen who have been recently set free.",
            ),
            DemoDemand("Support their success upon release"),
            DemoDemand(
                "Fund the Torture Inquiry and Relief Commission (TIRC)",
                DemandStatus.OPEN,
                "The TIRC has a backlog of 540 cases due to a lack of resources and the "
                "enormous issue of police torture in this state.",
            ),
        ),
    ),
    DemoCampaign(
        slug="idoc-medical-ombudsman",
        owner="chicago-alliance",
        title="An independent Medical Ombudsman over the IDOC medical system",
        summary=(
            "We intervene directly in emergency medical cases and press for immediate action "
            "on the part of Illinois Department of Corrections (IDOC) medical staff and "
            "medical contractors. We have and will testify before State Legislative Committee "
            "hearings concerning these problems.\n\n"
            "Working with correctional health care experts and broad community forces we put "
            "forward a proposal for a Medical Ombudsman over the IDOC medical system."
        ),
        goal=(
            "Our goal has always been to organize prisoners and their families and friends "
            "into a broad democratic movement that involves the whole community. An injustice "
            "to one threatens injustice to all."
        ),
        demands=(
            DemoDemand("An independent Medical Ombudsman over the IDOC medical system"),
            DemoDemand(
                "Separate prisoner medical grievances from the mass of everyday grievances "
                "filed and fast track them into a different healthcare system, independent of "
                "IDOC medical staff"
            ),
        ),
    ),
    DemoCampaign(
        slug="police-contract-accountability",
        owner="action-now",
        title="Police Contract Accountability",
        summary=(
            "The Fraternal Order of Police is Chicago’s most powerful union. After the "
            "Department of Justice’s scathing report, it was clear that even with a consent "
            "decree, there are a lot of allowances the union contract that provide fuel to "
            "the fires of police brutality.\n\n"
            "We convened a group of community organizations as well as policy and legal "
            "institutions in order to dig deep into the police contract, and found that "
            "there are 14 points of tension that permit the police too many opportunities to "
            "use their collective bargaining power against the citizens they are sworn to "
            "protect."
        ),
        goal=(
            "Our goal is to stop unanimous approval of the FOP contract, get a police "
            "contract that “bargains for the common good” that addresses our 14 points, and "
            "continue to elevate narratives around police accountability."
        ),
        demands=(
            DemoDemand("Stop unanimous approval of the FOP contract"),
            DemoDemand(
                "Get a police contract that “bargains for the common good” that addresses our "
                "14 points"
            ),
            DemoDemand("Continue to elevate narratives around police accountability"),
        ),
        petitions=("reject-police-union-white-supremacist-ties",),
    ),
    DemoCampaign(
        slug="black-roots-resistance",
        owner="action-now",
        title="#BlackRootsResistance",
        summary=(
            "For the #BlackResistance Campaign, in partnership with the Blackroots Alliance, "
            "we will gather information through community canvassing of Black voters. We "
            "will continue to door knock in communities on the West/South sides of Chicago "
            "around the unique experience of being black in our current political "
            "environment, while creating new policy demands that inspire voter’s passions."
        ),
        goal=(
            "Challenging political and corporate donors (and their recipients) who support "
            "racist policies, recruiting and training precinct captains in 100 precincts "
            "across the city and suburbs, and showcasing Chicagoland activists who engage in "
            "everyday acts of Black resistance."
        ),
    ),
    DemoCampaign(
        slug="expand-sanctuary",
        owner="expand-sanctuary-coalition",
        partners=("ocad",),
        title="Defy Trump, Defend Chicago, and Expand Sanctuary",
        summary=(
            "Tell our mayor and city council to stand up to Trump and take action that "
            "doesn't just symbolically defend immigrants but transforms our city's policies "
            "to stop targeting us for imprisonment, risk of deportation, and state violence "
            "at the hands of police and aggressive immigration agents."
        ),
        goal=(
            "Cities must both provide undocumented and other non-citizen residents effective "
            "protections and safeguards from immigration enforcement, while also reducing the "
            "over-policing and criminalization of immigrant communities, Black people, and "
            "other people of color, that leads to mass incarceration and deportation."
        ),
        demands=(
            DemoDemand(
                "Pass the amendments proposed to the Welcoming City Ordinance",
                DemandStatus.IN_PROGRESS,
                WAITING_FOR_A_VOTE,
            ),
            DemoDemand(
                "Pass a resolution to reduce the violence and use of force in the Chicago "
                "Police Department by amending the contract with the Fraternal Order of Police",
                DemandStatus.IN_PROGRESS,
                WAITING_FOR_A_VOTE,
            ),
        ),
        petitions=("defy-trump-defend-chicago-expand-sanctuary",),
        endorsers=tuple(
            (slug, EXPAND_SANCTUARY_ENDORSEMENT)
            for slug in (*(row[0] for row in demo.EXPAND_SANCTUARY_ORGANIZATIONS), "mijente")
        ),
    ),
)


def load_campaigns(organizations: dict[str, Organization], owners: dict[str, User]) -> int:
    """Create the seed pages' campaigns, or bring an earlier run's back to the seed
    texts; returns how many there are. Re-runnable: nothing is added twice."""
    organizer = {spec.slug: spec.organizer for spec in demo.ORGANIZATIONS}
    for spec in CAMPAIGNS:
        owner = organizations[spec.owner]
        fields: dict[str, Any] = {
            "title": spec.title,
            "summary": spec.summary,
            "goal": spec.goal,
            "status": Campaign.Status.ACTIVE,
        }
        partners = [organizations[slug] for slug in spec.partners]
        campaign = Campaign.objects.filter(slug=spec.slug).first()
        if campaign is None:
            campaign = actions.create_campaign(
                owner=owner,
                created_by=owners[spec.owner],
                partners=partners,
                slug=spec.slug,
                **fields,
            )
        else:
            actions.update_campaign(
                campaign, partners=partners, by=owners[spec.owner], owner=owner, **fields
            )
        for invitation in campaign.partner_invitations.pending().select_related("organization"):
            # Each partner's own owner accepts, as it would in the organizer area.
            answerer = invitation.organization.answerers().first()
            if answerer is not None:
                actions.accept_partnership(answerer, invitation)
        _load_demands(campaign, spec, owners[spec.owner])
        Petition.objects.filter(slug__in=spec.petitions).update(campaign=campaign)
        for slug, statement in spec.endorsers:
            _endorse(campaign, organizations[slug], organizer[slug], statement)
    return len(CAMPAIGNS)


def _load_demands(campaign: Campaign, spec: DemoCampaign, author: User) -> None:
    existing = {demand.title: demand for demand in campaign.demands.all()}
    for item in spec.demands:
        demand = existing.get(item.title)
        if demand is None:
            demand = actions.add_demand(campaign, title=item.title)
        if item.note and not demand.changes.exists():
            actions.change_demand(
                demand,
                status=item.status,
                changed_by=author,
                evidence_date=timezone.localdate() - timedelta(days=30),
                note=item.note,
            )


def _endorse(
    campaign: Campaign, organization: Organization, first_name: str, statement: str
) -> None:
    """An approved sign-on by a demo organization, as if confirmed and approved."""
    email = f"{first_name}@{organization.slug}.example"
    now = timezone.now()
    Endorsement.objects.get_or_create(
        campaign=campaign,
        demand=None,
        name_key=name_key(organization.name),
        email_normalized=normalize_email(email),
        defaults={
            "organization_name": organization.name,
            "contact_name": first_name.title(),
            "contact_email": email,
            "logo": organization.logo.name,
            "statement": statement,
            "state": EndorsementState.APPROVED,
            "verified_at": now,
            "moderated_at": now,
        },
    )
