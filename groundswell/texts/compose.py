"""The words a recipient's phone shows: the organization's name first (who is this?),
the organizer's message, then how to stop (carriers expect both)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext

from groundswell.texts import segments

# Carriers drop long multi-part texts; ten parts is already a lot.
MAX_SEGMENTS = 10


def compose(organization_name: str, body: str, language: str) -> str:
    """The whole text, with the stop line in the blast's language."""
    with translation.override(language):
        stop = gettext("Reply STOP to stop these texts.")
    return f"{organization_name}: {body.strip()}\n{stop}"


def measure(organization_name: str, body: str, language: str) -> segments.Segments:
    return segments.count(compose(organization_name, body, language))
