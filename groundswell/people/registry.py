"""The one interface through which higher apps add to a person's record.

People must not import petitions, events or anything above them; instead each of those
registers a provider here (in its AppConfig.ready) that knows its own tables:

- `timeline(person, organization)` yields the entries that organization may see;
- `export(person)` returns what it holds about the person, for their copy of their data;
- `erase(person)` removes or anonymizes it and returns how many records it touched;
- `forget(person, organization)` does the same for what belongs to that organization
  alone (an organizer relaying a request to be erased), leaving other organizations'
  records as they are;
- `actions(organization)` names the actions people took that the organization may
  filter its supporters by ("petition:12", "Signed: <title>"), and
  `people_who(key, organization)` is a subquery of the ids of the people who took one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from groundswell.organizations.models import Organization
    from groundswell.people.models import Person


@dataclass(frozen=True)
class Entry:
    """One line of a person's timeline."""

    at: datetime.datetime
    kind: str  # a short machine word: "signature", "consent_given", "rsvp", ...
    label: str  # translated, for people: "Signed", "Consent given"
    summary: str  # what it was about: a petition title, an import file
    source: str = ""  # how it came: "petition:defend-chicago", "import:12", "?source=fb"
    url: str = ""  # where an organizer can see more, if anywhere


class Provider(Protocol):
    name: str

    def timeline(self, person: Person, organization: Organization) -> Iterable[Entry]: ...

    def export(self, person: Person) -> dict[str, Any]: ...

    def erase(self, person: Person) -> int: ...

    def forget(self, person: Person, organization: Organization) -> int: ...

    def actions(self, organization: Organization) -> list[tuple[str, str]]: ...

    def people_who(self, key: str, organization: Organization) -> QuerySet[Any]: ...


_providers: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    """Add (or replace, by name) a provider; called from AppConfig.ready."""
    _providers[provider.name] = provider


def providers() -> list[Provider]:
    return list(_providers.values())


def action_choices(organization: Organization) -> list[tuple[str, str]]:
    """Every action the organization may filter its supporters by, from all providers."""
    choices: list[tuple[str, str]] = []
    for provider in providers():
        if hasattr(provider, "actions"):
            choices.extend(provider.actions(organization))
    return choices


def people_who(key: str, organization: Organization) -> QuerySet[Any] | None:
    """Ids of the people who took the action `key` (a subquery), asked of the provider
    that offers it to this organization; None when no provider does (a stale or forged
    key), so that a search never widens."""
    for provider in providers():
        if hasattr(provider, "actions") and key in dict(provider.actions(organization)):
            return provider.people_who(key, organization)
    return None
