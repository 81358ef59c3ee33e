"""The people area's navigation, which shows owners their audit log."""

from __future__ import annotations

from typing import Any

from django import template

from groundswell.organizations.models import Role

register = template.Library()


@register.inclusion_tag("people/manage/_area_nav.html", takes_context=True)
def people_area_nav(context: template.Context, area: str = "") -> dict[str, Any]:
    organization = context["organization"]
    request = context.get("request")
    role = organization.role_of(request.user) if request is not None else None
    return {
        "organization": organization,
        "area": area,
        "is_owner": role == Role.OWNER,
    }
