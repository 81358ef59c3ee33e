"""How a supporter's name is shown to the public (the recent signers on a petition page):
their first name and last initial, with nothing in it that could disguise the page or
expose an address. Names are shown as typed everywhere else; only here does a stranger
read what another stranger typed."""

from __future__ import annotations

import re
import unicodedata

# Invisible characters that reorder or hide text (bidirectional embeddings, overrides
# and isolates, direction marks, zero-width spaces): every control and format character
# but the joiners some scripts and emoji sequences need.
JOINERS = frozenset({"\u200c", "\u200d"})
# An address, or one written out to get past a filter: "ana@example.org", a full-width
# at sign (NFKC makes it "@"), "ana (at) example.org", "ana [at] example".
EMAIL_SHAPED = re.compile(r"@|[\[(]\s*at\s*[\])]", re.IGNORECASE)


def without_controls(text: str) -> str:
    """The text without control and invisible formatting characters, spaces collapsed."""
    kept = (c for c in text if c in JOINERS or unicodedata.category(c) not in ("Cc", "Cf"))
    return " ".join("".join(kept).split())


def looks_like_email(text: str) -> bool:
    return bool(EMAIL_SHAPED.search(unicodedata.normalize("NFKC", text)))


def public_name(first_name: str, last_name: str) -> str:
    """ "Ana R.": the first name and last initial, cleaned; "" when nothing of it may be
    shown (empty once cleaned, or shaped like an email address)."""
    first, last = without_controls(first_name), without_controls(last_name)
    if not first or looks_like_email(first):
        return ""
    initial = last[:1]
    return f"{first} {initial}." if initial.isalpha() else first
