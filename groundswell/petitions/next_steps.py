"""What a signer can do next, once they signed: share it (the thank-you pages' share
links), then one more step with the people behind the petition: what the apps
registered in `campaigns.next_steps` offer (an event of its campaign or its
organizations, volunteering with its owner), and other open petitions, the same
campaign's first. Petitions imports neither events nor volunteers: they answer through
that registry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from groundswell.campaigns import next_steps as registry
from groundswell.petitions.models import Petition


@dataclass(frozen=True)
class NextSteps:
    steps: list[registry.Step]  # an event, volunteering: as the providers offer them
    petitions: list[Petition]  # other open petitions, the campaign's first

    def as_context(self) -> dict[str, Any]:
        return {"next_steps": self.steps, "more_petitions": self.petitions}


def next_steps(petition: Petition, *, ward: int | None = None, petitions: int = 3) -> NextSteps:
    """`ward`: the signer's ward, when known (a confirmed signature located by the
    worker): an event there comes first. Without it the steps are the same for every
    signer of the petition, so a page that knows nothing of its reader can offer them."""
    occasion = registry.Occasion(
        owner=petition.owner,
        organizations=list(petition.organizations),
        campaign_id=petition.campaign_id,
        ward=ward,
    )
    return NextSteps(steps=registry.steps(occasion), petitions=more_petitions(petition, petitions))


def more_petitions(petition: Petition, limit: int) -> list[Petition]:
    """Other open petitions, the same campaign's first, then the most signed."""
    if limit <= 0:
        return []
    others = Petition.objects.open().exclude(pk=petition.pk).select_related("owner", "count")
    same_campaign: list[Petition] = []
    if petition.campaign_id:
        same_campaign = list(others.filter(campaign_id=petition.campaign_id).top_signed()[:limit])
    rest = others.exclude(pk__in=[p.pk for p in same_campaign]).top_signed()
    return same_campaign + list(rest[: limit - len(same_campaign)])
