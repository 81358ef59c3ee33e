"""Events' next step for a supporter (campaigns.next_steps): the soonest public event
of the campaign or of its organizations; one in the supporter's ward first, when known."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from groundswell.campaigns.next_steps import Occasion, Step
from groundswell.events.models import Shift
from groundswell.events.templatetags.events import when


class EventStep:
    name = "event"
    order = 10

    def step(self, occasion: Occasion) -> Step | None:
        involved = Q(event__owner__in=occasion.organizations) | Q(
            event__hosts__in=occasion.organizations
        )
        if occasion.campaign_id:
            involved |= Q(event__campaign_id=occasion.campaign_id)
        calendar = Shift.objects.on_calendar().select_related("event")
        shift = None
        if occasion.ward:
            # The organizations' own event in the ward, else anyone's there.
            shift = (
                calendar.filter(involved, event__ward=occasion.ward).first()
                or calendar.filter(event__ward=occasion.ward).first()
            )
        nearby = shift is not None
        shift = shift or calendar.filter(involved).first()
        if shift is None:
            return None
        return Step(
            key=self.name,
            title=shift.event.title,
            url=shift.event.get_absolute_url(),
            when=when(shift, shift.event.time_zone),
            note=_("Come in person: meet the people behind it."),
            nearby=nearby,
        )
