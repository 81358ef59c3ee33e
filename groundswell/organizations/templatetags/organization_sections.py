"""Template tags reading organizations.sections: the organizer menu and the parts that
higher apps add to an organization's pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from groundswell.organizations import sections
from groundswell.organizations.models import Membership, Organization

register = template.Library()


@register.simple_tag
def manage_nav_links(membership: Membership) -> list[sections.ShownLink]:
    """{% manage_nav_links membership as links %}"""
    return sections.nav_links(membership)


@register.simple_tag(takes_context=True)
def organization_public_parts(context: dict[str, Any], organization: Organization) -> SafeString:
    """{% organization_public_parts organization %}"""
    return sections.public_parts(organization, context["request"])


@register.simple_tag(takes_context=True)
def organization_manage_parts(context: dict[str, Any], membership: Membership) -> SafeString:
    """{% organization_manage_parts membership %}"""
    return sections.manage_parts(membership, context["request"])
