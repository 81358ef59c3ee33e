"""The one interface through which higher apps add their parts to a campaign's page.

Campaigns must not import petitions, events or volunteers; instead each of those
registers a provider here (in its AppConfig.ready). On a campaign's public page,
`sections(campaign, request)` asks every provider for its part, in `order`:

- `section(campaign, request)` returns a Section (a heading and either a list of items,
  which the campaign page renders as cards, or HTML the provider rendered itself, e.g.
  a volunteer form's link), or None when it has nothing for this campaign.

A provider that fails must not take the campaign page down with it: its section is
left out and the error logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.utils.safestring import SafeString

    from groundswell.campaigns.models import Campaign

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Item:
    """One thing in a section: a petition, an event."""

    title: str
    url: str
    detail: str = ""  # one short line: "1,234 signatures", "Saturday, June 2, 10 a.m."


@dataclass(frozen=True)
class Section:
    key: str  # a short machine word, used as the section's HTML id: "petitions"
    heading: str  # translated
    items: list[Item] = field(default_factory=list)
    html: SafeString | str = ""  # rendered by the provider, shown instead of items
    more_url: str = ""  # "See all" link, if the provider has a fuller list


class Provider(Protocol):
    name: str
    order: int

    def section(self, campaign: Campaign, request: HttpRequest) -> Section | None: ...


_providers: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    """Add (or replace, by name) a provider; called from AppConfig.ready."""
    _providers[provider.name] = provider


def providers() -> list[Provider]:
    return sorted(_providers.values(), key=lambda p: (p.order, p.name))


def sections(campaign: Campaign, request: HttpRequest) -> list[Section]:
    """Every provider's part for this campaign, in order, leaving out empty ones."""
    found = []
    for provider in providers():
        try:
            section = provider.section(campaign, request)
        except Exception:
            logger.exception("Campaign section %r failed for %s", provider.name, campaign.slug)
            continue
        if section is not None and (section.items or section.html):
            found.append(section)
    return found
