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


@register.filter
def language_name(code: str) -> str:
    """A supporter's language by its name in the reader's language ("es": "Spanish"); a
    code Django does not know stays as it was recorded."""
    from django.utils.translation import get_language_info, gettext

    try:
        return gettext(get_language_info(code)["name"])
    except KeyError:
        return code
