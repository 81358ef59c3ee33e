"""{% site_links "main" as links %}: the registered header or footer links (core.navigation)."""

from __future__ import annotations

from typing import Any

from django import template

from groundswell.core import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def site_links(context: dict[str, Any], place: navigation.Place) -> list[navigation.Shown]:
    request = context.get("request")
    return navigation.links(place, getattr(request, "user", None))


@register.simple_tag(takes_context=True)
def site_link(context: dict[str, Any], name: str) -> navigation.Shown | None:
    """{% site_link "manage" as link %}: one registered link, if this visitor has it."""
    request = context.get("request")
    return navigation.link(name, getattr(request, "user", None))
