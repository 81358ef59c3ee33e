"""The one interface through which higher apps add their parts to an organization's pages.

Organizations sit low in the layering: they must not import petitions, campaigns, events
or anything above them, in code or in templates. Instead each of those registers here, in
its AppConfig.ready:

- a `NavLink` for the organizer menu (/manage/<org>/…), shown to staff of at least its
  role, reversed with the organization's slug;
- a `Provider` with `public(organization, request)` (its part of the public organization
  page), `manage(membership, request)` (its part of the organizer overview) and
  `waiting(membership)` (what waits for an owner's or admin's answer: "2 invitations to
  co-sponsor a petition"), each returning None when it has nothing to show.

A provider that fails must not take the organization's page down with it: its part is
left out and the error logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from groundswell.organizations.models import Role

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.utils.functional import Promise

    from groundswell.organizations.models import Membership, Organization

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NavLink:
    name: str  # the `section` a page of this part sets, so its link is marked current
    # translated lazily, or chosen by the organization ("Coalition members" / "Coalitions")
    label: str | Promise | Callable[[Organization], str | Promise]
    url_name: str  # reversed with the organization's slug: "campaigns_manage:list"
    order: int
    role: str = Role.ORGANIZER  # the least role that sees the link


@dataclass(frozen=True)
class ShownLink:
    name: str
    label: str
    url: str


@dataclass(frozen=True)
class Waiting:
    """Something that waits for this organization's answer, with where to give it."""

    text: str
    url: str


class Provider(Protocol):
    name: str
    order: int

    def public(self, organization: Organization, request: HttpRequest) -> SafeString | None: ...

    def manage(self, membership: Membership, request: HttpRequest) -> SafeString | None: ...

    def waiting(self, membership: Membership) -> list[Waiting]: ...


_links: dict[str, NavLink] = {}
_providers: dict[str, Provider] = {}


def register_link(link: NavLink) -> None:
    """Add (or replace, by name) an organizer menu link; called from AppConfig.ready."""
    _links[link.name] = link


def register(provider: Provider) -> None:
    """Add (or replace, by name) a provider; called from AppConfig.ready."""
    _providers[provider.name] = provider


def nav_links(membership: Membership) -> list[ShownLink]:
    """The organizer menu for this member, in order, without links above their role."""
    shown = []
    for link in sorted(_links.values(), key=lambda link: (link.order, link.name)):
        if not membership.has_role(link.role):
            continue
        try:
            url = reverse(link.url_name, args=[membership.organization.slug])
        except NoReverseMatch:
            continue
        label = link.label(membership.organization) if callable(link.label) else link.label
        shown.append(ShownLink(name=link.name, label=str(label), url=url))
    return shown


def _providers_in_order() -> list[Provider]:
    return sorted(_providers.values(), key=lambda p: (p.order, p.name))


def _joined(parts: list[SafeString]) -> SafeString:
    return format_html_join("\n", "{}", ((part,) for part in parts))


def public_parts(organization: Organization, request: HttpRequest) -> SafeString:
    """Every provider's part of the public organization page, in order."""
    parts = []
    for provider in _providers_in_order():
        try:
            part = provider.public(organization, request)
        except Exception:
            logger.exception("organization section %s failed", provider.name)
            continue
        if part:
            parts.append(part)
    return _joined(parts)


def manage_parts(membership: Membership, request: HttpRequest) -> SafeString:
    """Every provider's part of the organizer overview, in order."""
    parts = []
    for provider in _providers_in_order():
        try:
            part = provider.manage(membership, request)
        except Exception:
            logger.exception("organization overview section %s failed", provider.name)
            continue
        if part:
            parts.append(part)
    return _joined(parts)


def waiting(membership: Membership) -> list[Waiting]:
    """What waits for this organization's answer, from every provider."""
    found: list[Waiting] = []
    for provider in _providers_in_order():
        try:
            found.extend(provider.waiting(membership))
        except Exception:
            logger.exception("organization waiting list %s failed", provider.name)
    return found
