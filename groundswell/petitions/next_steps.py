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
    nearby: bool  # the event is in the signer's ward
    volunteer_url: str  # the owner's volunteer form, "" while it takes no sign-ups
    petitions: list[Petition]  # other open petitions, the campaign's first

    def as_context(self) -> dict[str, Any]:
        return {
            "next_shift": self.shift,
            "next_shift_nearby": self.nearby,
            "volunteer_url": self.volunteer_url,
            "more_petitions": self.petitions,
        }


def next_steps(petition: Petition, *, ward: int | None = None, petitions: int = 3) -> NextSteps:
    """`ward`: the signer's ward, when known (a confirmed signature located by the
    worker): an event there comes first, the petition's own organizations' before others'."""
    organizations = petition.organizations
    involved = Q(event__owner__in=organizations) | Q(event__hosts__in=organizations)
    if petition.campaign_id:
        involved |= Q(event__campaign_id=petition.campaign_id)
    calendar = Shift.objects.on_calendar().select_related("event")
    shift = None
    if ward:
        shift = (
            calendar.filter(involved, event__ward=ward).first()
            or calendar.filter(event__ward=ward).first()
        )
    nearby = shift is not None
    shift = shift or calendar.filter(involved).first()

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
    return NextSteps(shift=shift, nearby=nearby, volunteer_url=volunteer_url, petitions=more)
