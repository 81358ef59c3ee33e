"""Finding petitions: the public list's search box and filters (topic: a campaign,
organization, ward) and its orders (top signed this week, newest, most signed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from groundswell.campaigns.models import Campaign
from groundswell.districts.models import District, DistrictSet, Kind
from groundswell.organizations.models import Organization
from groundswell.petitions.models import Petition, PetitionQuerySet

ORDERS = {
    "top": _("Top signed this week"),
    "new": _("Newest"),
    "most": _("Most signatures"),
}
MAX_QUERY = 100


@dataclass(frozen=True)
class Filters:
    q: str = ""
    campaign: str = ""  # a campaign's slug: the petition's topic
    organization: str = ""  # the owner's or a co-sponsor's slug
    ward: int | None = None  # a ward with verified signers of the petition
    order: str = "top"
    errors: list[str] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.q or self.campaign or self.organization or self.ward)

    def query(self, **changes: Any) -> str:
        """This search as a query string, with `changes` (for the order and page links)."""
        params = {
            "q": self.q,
            "campaign": self.campaign,
            "organization": self.organization,
            "ward": str(self.ward) if self.ward else "",
            "order": self.order,
            **{k: str(v) for k, v in changes.items()},
        }
        query = QueryDict(mutable=True)
        for key, value in params.items():
            if value:
                query[key] = value
        return query.urlencode()


def read_filters(data: QueryDict) -> Filters:
    """The list's query string, read leniently: a reader's bad value is named and left out,
    never an error page."""
    errors: list[str] = []
    ward: int | None = None
    raw_ward = data.get("ward", "").strip()
    if raw_ward:
        if raw_ward.isdigit() and 1 <= int(raw_ward) <= 999:
            ward = int(raw_ward)
        else:
            errors.append(str(_("Choose a ward by its number, like 25.")))
    order = data.get("order", "top")
    return Filters(
        q=" ".join(data.get("q", "").split())[:MAX_QUERY],
        campaign=data.get("campaign", "").strip()[:80],
        organization=data.get("organization", "").strip()[:80],
        ward=ward,
        order=order if order in ORDERS else "top",
        errors=errors,
    )


def find(filters: Filters) -> PetitionQuerySet:
    """Open petitions matching the filters, in the chosen order."""
    petitions = Petition.objects.open().select_related("owner", "count")
    if filters.q:
        for word in filters.q.split()[:8]:
            petitions = petitions.filter(
                Q(title__icontains=word)
                | Q(title_es__icontains=word)
                | Q(ask__icontains=word)
                | Q(ask_es__icontains=word)
            )
    if filters.campaign:
        petitions = petitions.filter(campaign__slug=filters.campaign)
    if filters.organization:
        involved = Q(owner__slug=filters.organization) | Q(sponsors__slug=filters.organization)
        petitions = petitions.filter(pk__in=Petition.objects.filter(involved).values("pk"))
    if filters.ward:
        wards = District.objects.filter(set__in=_ward_sets(), number=filters.ward)
        petitions = petitions.filter(
            pk__in=Petition.objects.filter(
                district_counts__district__in=wards, district_counts__verified__gt=0
            ).values("pk")
        )
    if filters.order == "new":
        return petitions.order_by("-published_at", "-pk")
    if filters.order == "most":
        return petitions.top_signed()
    return petitions.trending()  # this week's most signed first


def _ward_sets() -> QuerySet[DistrictSet]:
    return DistrictSet.objects.in_force().filter(kind=Kind.WARD)


def choices() -> dict[str, Any]:
    """What the filters offer: campaigns and organizations with open petitions, and the
    wards of the ward map in force (none until one is imported)."""
    open_petitions = Petition.objects.open()
    campaigns = (
        Campaign.objects.published()
        .filter(petitions__in=open_petitions)
        .distinct()
        .order_by("title")
    )
    organizations = (
        Organization.objects.filter(
            Q(petitions_owned__in=open_petitions) | Q(petitions_sponsored__in=open_petitions)
        )
        .distinct()
        .order_by("name")
    )
    wards = (
        District.objects.filter(set__in=_ward_sets(), number__isnull=False)
        .order_by("number")
        .values_list("number", flat=True)
        .distinct()
    )
    return {
        "campaign_choices": list(campaigns),
        "organization_choices": list(organizations),
        "ward_choices": list(wards),
        "orders": ORDERS,
    }
