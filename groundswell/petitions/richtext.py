"""Safe rich text for petition texts: Markdown in, sanitized HTML out (no scripts)."""

from __future__ import annotations

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "ul",
    "ol",
    "li",
    "a",
    "strong",
    "em",
    "b",
    "i",
    "blockquote",
    "h3",
    "h4",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}


def render(text: str) -> SafeString:
    """Markdown (paragraphs, lists, links, emphasis) to HTML that cannot run scripts.

    Lines starting "1)" are read as numbered list items too, as organizers write them.
    """
    lines = []
    for line in text.replace("\r\n", "\n").split("\n"):
        stripped = line.lstrip()
        head, sep, rest = stripped.partition(")")
        if sep and head.isdigit() and len(head) <= 3:
            line = f"{head}. {rest.lstrip()}"
        lines.append(line)
    html = markdown.markdown("\n".join(lines), extensions=["sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)
