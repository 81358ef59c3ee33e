"""Volunteers' next step for a supporter (campaigns.next_steps): the owner
organization's volunteer form, while it takes sign-ups."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from groundswell.campaigns.next_steps import Occasion, Step
from groundswell.volunteers.models import VolunteerForm


class VolunteerStep:
    name = "volunteer"
    order = 20

    def step(self, occasion: Occasion) -> Step | None:
        if not VolunteerForm.for_organization(occasion.owner).is_open:
            return None
        return Step(
            key=self.name,
            title=_("Volunteer with %(name)s") % {"name": occasion.owner.name},
            url=reverse("volunteers:signup", args=[occasion.owner.slug]),
            note=_("Tell them what you can do and when; they will get in touch."),
        )
