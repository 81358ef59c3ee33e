"""The site's own links (header and footer), which higher apps register.

base.html belongs to core, the lowest app, so it names no other app's pages; each app
that has a public page worth a link (petitions, events, campaigns, the Council) or an
account action (log in, log out) registers a Link here in its AppConfig.ready, and
`{% site_links "main" as links %}` reads them in order for the visitor at hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from django.urls import NoReverseMatch, reverse

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser
    from django.utils.functional import Promise

Place = Literal["main", "footer"]
Audience = Literal["everyone", "signed_in", "signed_out"]


@dataclass(frozen=True)
class Link:
    name: str  # a short machine word, unique: "petitions", "log_out"
    label: str | Promise  # translated lazily (gettext_lazy), read in the visitor's language
    url_name: str  # reversed without arguments: "petitions:list"
    order: int
    place: Place = "main"
    audience: Audience = "everyone"
    post: bool = False  # an action (log out): drawn as a button in a form, never a link


@dataclass(frozen=True)
class Shown:
    name: str
    label: str
    url: str
    post: bool


_links: dict[str, Link] = {}


def register(link: Link) -> None:
    """Add (or replace, by name) a link; called from AppConfig.ready."""
    _links[link.name] = link


def link(name: str, user: AbstractBaseUser | AnonymousUser | None) -> Shown | None:
    """One registered link by name, if this visitor has it (and its page is installed)."""
    found = _links.get(name)
    if found is None:
        return None
    return next((shown for shown in links(found.place, user) if shown.name == name), None)


def links(place: Place, user: AbstractBaseUser | AnonymousUser | None) -> list[Shown]:
    """The links of one place for this visitor, in order; a link whose page is not
    installed (its URL name does not reverse) is left out, never an error page."""
    signed_in = bool(user is not None and user.is_authenticated)
    shown = []
    for link in sorted(_links.values(), key=lambda link: (link.order, link.name)):
        if link.place != place:
            continue
        if link.audience == "signed_in" and not signed_in:
            continue
        if link.audience == "signed_out" and signed_in:
            continue
        try:
            url = reverse(link.url_name)
        except NoReverseMatch:
            continue
        shown.append(Shown(name=link.name, label=str(link.label), url=url, post=link.post))
    return shown
