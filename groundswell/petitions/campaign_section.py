"""A campaign's petitions on the campaign's page (campaigns.registry)."""

from __future__ import annotations

from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from groundswell.campaigns.models import Campaign
from groundswell.campaigns.registry import Item, Section
from groundswell.petitions.models import Petition

LIMIT = 6


class PetitionSection:
    name = "petitions"
    order = 10

    def section(self, campaign: Campaign, request: HttpRequest) -> Section | None:
        """The campaign's open petitions, most signed first."""
        petitions = list(Petition.objects.open().filter(campaign=campaign).top_signed()[:LIMIT])
        if not petitions:
            return None
        items = []
        for petition in petitions:
            count = petition.shown_count()
            detail = ngettext("%(n)s signature", "%(n)s signatures", count) % {"n": intcomma(count)}
            items.append(
                Item(title=petition.display_title, url=petition.get_absolute_url(), detail=detail)
            )
        return Section(key="petitions", heading=_("Sign the petitions"), items=items)
