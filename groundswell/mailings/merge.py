"""Merge fields: a mailing's text greets each person by name without ever running what an
organizer typed as a template.

The syntax is small and explicit: `{{ first_name }}`, or with a fallback for people
whose field is empty, `{{ first_name|default:"friend" }}`. Known fields are FIELDS;
anything else between double braces is refused when the mailing is saved
(`unknown_fields`), so a typo never reaches supporters.

A body is turned into HTML once per mailing and language (Markdown, then the safe-HTML
cleaner shared with petitions): each merge field is held by a placeholder while the
Markdown is rendered, and each person's value is put in its place afterwards, escaped
for HTML (`Compiled.html`) or as is for the plain-text part (`Compiled.text`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from groundswell.petitions import richtext

FIELDS = {
    "first_name": _("first name"),
    "last_name": _("last name"),
    "full_name": _("full name"),
    "city": _("city"),
    "organization": _("your organization's name"),
}

# {{ name }} or {{ name|default:"fallback" }} (straight or curly quotes, as phones type them).
TAG = re.compile(
    r"\{\{\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*"
    r"(?:\|\s*default\s*:\s*[\"“](?P<fallback>[^\"”{}]{0,100})[\"”]\s*)?\}\}"
)
ANY_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


def unknown_fields(text: str) -> list[str]:
    """What between double braces is not a merge field this syntax knows (the whole tag
    as typed), in order; empty when every tag is valid."""
    bad = []
    for tag in ANY_TAG.finditer(text):
        found = TAG.fullmatch(tag.group(0))
        if found is None or found.group("name") not in FIELDS:
            bad.append(tag.group(0))
    return bad


@dataclass(frozen=True)
class Compiled:
    """A text with its merge fields held by placeholders, ready for each person."""

    parts: tuple[str, ...]  # text, field, text, field, ..., text
    fallbacks: tuple[str, ...]
    escape: bool

    def fill(self, values: Mapping[str, str]) -> str:
        out = [self.parts[0]]
        for i in range(1, len(self.parts), 2):
            value = values.get(self.parts[i], "") or self.fallbacks[i // 2]
            out.append(html.escape(value) if self.escape else value)
            out.append(self.parts[i + 1])
        return "".join(out)


PLACEHOLDER = re.compile(r"GSMERGEFIELD\d+X")


def _placeholder(n: int) -> str:
    # Letters and digits only: Markdown leaves them alone, and the cleaner keeps them.
    return f"GSMERGEFIELD{n}X"


def _split(text: str) -> tuple[str, list[tuple[str, str]]]:
    fields: list[tuple[str, str]] = []

    def hold(found: re.Match[str]) -> str:
        fields.append((found.group("name"), found.group("fallback") or ""))
        return _placeholder(len(fields) - 1)

    return TAG.sub(hold, text), fields


def _compile(held: str, fields: list[tuple[str, str]], escape: bool) -> Compiled:
    parts: list[str] = []
    fallbacks: list[str] = []
    rest = held
    for n, (name, fallback) in enumerate(fields):
        before, _sep, rest = rest.partition(_placeholder(n))
        parts += [before, name]
        fallbacks.append(fallback)
    parts.append(rest)
    return Compiled(tuple(parts), tuple(fallbacks), escape)


def compile_plain(text: str) -> Compiled:
    """A subject or plain-text body."""
    held, fields = _split(text)
    return _compile(held, fields, escape=False)


def compile_html(markdown_text: str) -> Compiled:
    """A Markdown body, as safe HTML."""
    held, fields = _split(markdown_text)
    rendered = str(richtext.render(held))
    # Never inside a tag: a person's name must not become a link's address.
    rendered = re.sub(r"<[^>]*>", lambda tag: PLACEHOLDER.sub("", tag.group(0)), rendered)
    # A placeholder the cleaner dropped (inside a stripped tag) leaves its field out.
    kept = [(n, f) for n, f in enumerate(fields) if _placeholder(n) in rendered]
    for new, (old, _field) in enumerate(kept):
        rendered = rendered.replace(_placeholder(old), _placeholder(1000 + new))
    for new in range(len(kept)):
        rendered = rendered.replace(_placeholder(1000 + new), _placeholder(new))
    return _compile(rendered, [f for _n, f in kept], escape=True)


def values_for(*, first_name: str, last_name: str, city: str, organization: str) -> dict[str, str]:
    return {
        "first_name": first_name,
        "last_name": last_name,
        "full_name": f"{first_name} {last_name}".strip(),
        "city": city,
        "organization": organization,
    }
