"""What a signer can do next, once their signature counts: share it (the thank-you
pages' share links), then one more step with the people behind the petition: an event
of its campaign or its organizations, volunteering with its owner, another petition of
the same campaign."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.urls import reverse

from groundswell.events.models import Shift
from groundswell.petitions.models import Petition
from groundswell.volunteers.models import VolunteerForm


@dataclass(frozen=True)
class NextSteps:
    shift: Shift | None  # the soonest public event of the campaign or the sponsors
    volunteer_url: str  # the owner's volunteer form, "" while it takes no sign-ups
    petitions: list[Petition]  # other open petitions, the campaign's first

    def as_context(self) -> dict[str, Any]:
        return {
            "next_shift": self.shift,
            "volunteer_url": self.volunteer_url,
            "more_petitions": self.petitions,
        }


def next_steps(petition: Petition, *, petitions: int = 3) -> NextSteps:
    organizations = petition.organizations
    involved = Q(event__owner__in=organizations) | Q(event__hosts__in=organizations)
    if petition.campaign_id:
        involved |= Q(event__campaign_id=petition.campaign_id)
    shift = Shift.objects.on_calendar().filter(involved).select_related("event").first()

    volunteer_url = ""
    if VolunteerForm.for_organization(petition.owner).is_open:
        volunteer_url = reverse("volunteers:signup", args=[petition.owner.slug])

    others = Petition.objects.open().exclude(pk=petition.pk).select_related("owner", "count")
    same_campaign: list[Petition] = []
    if petition.campaign_id:
        same_campaign = list(
            others.filter(campaign_id=petition.campaign_id).top_signed()[:petitions]
        )
    rest = others.exclude(pk__in=[p.pk for p in same_campaign]).top_signed()
    more = same_campaign + list(rest[: petitions - len(same_campaign)])
    return NextSteps(shift=shift, volunteer_url=volunteer_url, petitions=more)
