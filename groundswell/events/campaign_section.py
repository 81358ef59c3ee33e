"""Events' part of a campaign's page (campaigns.registry): its upcoming public events."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from groundswell.campaigns.models import Campaign
from groundswell.campaigns.registry import Item, Section
from groundswell.events.models import Event, Shift
from groundswell.events.templatetags.events import when

SHOWN = 6


class CampaignEvents:
    name = "events"
    order = 20

    def section(self, campaign: Campaign, request: HttpRequest) -> Section | None:
        events = Event.objects.listed().filter(campaign=campaign, status=Event.Status.SCHEDULED)
        shifts = (
            Shift.objects.filter(event__in=events.values("pk"), ends_at__gt=timezone.now())
            .select_related("event")
            .order_by("starts_at", "pk")
        )
        items: list[Item] = []
        seen: set[int] = set()
        for shift in shifts:
            if shift.event_id in seen:
                continue
            seen.add(shift.event_id)
            items.append(
                Item(
                    title=shift.event.title,
                    url=shift.event.get_absolute_url(),
                    detail=when(shift, shift.event.time_zone),
                )
            )
            if len(items) == SHOWN:
                break
        if not items:
            return None
        more = f"{reverse('events:list')}?{urlencode({'campaign': campaign.slug})}"
        return Section(key="events", heading=_("Events"), items=items, more_url=more)
