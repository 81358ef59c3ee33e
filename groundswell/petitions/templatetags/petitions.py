from django import template
from django.utils.safestring import SafeString

from groundswell.petitions import goals, richtext, sharing

register = template.Library()


@register.filter
def rich(text: str) -> SafeString:
    """Render petition Markdown safely: {{ petition.ask|rich }}."""
    return richtext.render(text or "")


@register.simple_tag(takes_context=True)
def localized(context: template.Context, obj: object, field: str) -> str:
    """{% localized petition 'ask' %}: the field in the reader's language, else English."""
    return obj.localized(field)  # type: ignore[attr-defined]


@register.filter
def source_name(code: str) -> str:
    """A share link's source code as organizers read it ("whatsapp" is "WhatsApp")."""
    return sharing.source_label(code) if code else ""


@register.filter
def next_goal(count: int) -> int:
    """The goal a count is heading for (1,000, then 2,500, 5,000, …)."""
    return goals.goal_for(count or 0)
