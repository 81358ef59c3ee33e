"""What a supporter can do next with the people behind what they just did (signed a
petition): come to an event, volunteer.

The apps that ask (petitions' thank-you and confirmation pages) and the apps that
answer (events, volunteers) stand on one floor and import none of each other: the
answering apps register a provider here, in their AppConfig.ready, and the asking ones
call `steps(occasion)`. An occasion carries no personal data beyond the supporter's
ward, and only when it is known (a confirmed signature the worker located).

A provider that fails must not take the page down with it: its step is left out and
the error logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from groundswell.organizations.models import Organization

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Occasion:
    """What the supporter just did, as far as a provider needs to know it."""

    owner: Organization
    organizations: list[Organization]  # the owner and the co-sponsors
    campaign_id: int | None = None
    ward: int | None = None  # the supporter's ward number, when known


@dataclass(frozen=True)
class Step:
    """One thing to do next: a card with a link."""

    key: str  # the provider's name: "event", "volunteer"
    title: str  # translated, or the organizers' own words (an event's title)
    url: str
    when: str = ""  # "Saturday, June 2, 2026, 6 p.m. to 8 p.m.", for a step with a time
    note: str = ""  # one translated line on what it is
    nearby: bool = False  # in the supporter's ward


class Provider(Protocol):
    name: str
    order: int

    def step(self, occasion: Occasion) -> Step | None: ...


_providers: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    """Add (or replace, by name) a provider; called from AppConfig.ready."""
    _providers[provider.name] = provider


def providers() -> list[Provider]:
    return sorted(_providers.values(), key=lambda p: (p.order, p.name))


def steps(occasion: Occasion) -> list[Step]:
    """Every provider's step for this occasion, in order, leaving out those with none."""
    found = []
    for provider in providers():
        try:
            step = provider.step(occasion)
        except Exception:
            logger.exception("Next step %r failed", provider.name)
            continue
        if step is not None:
            found.append(step)
    return found
