"""How many SMS segments a text takes, as the phone network counts them.

A text goes out in GSM-7 (GSM 03.38) when every character is in its basic table or its
extension table; the extension characters (€ [ ] { } ^ ~ \\ | and form feed) take two
septets each (an escape and the character). One GSM-7 text holds 160 septets; a longer
one is split into parts of 153 (each part carries a header). Any other character (á,
í, ó, ú, an emoji, curly quotes) sends the whole text in UCS-2: 70 UTF-16 code units
alone, 67 per part, and an emoji outside the Basic Multilingual Plane takes two units.
A part never splits an escape pair or an emoji.

Spanish: é, ñ, Ñ, ü, Ü, ¡, ¿ are GSM-7; á, í, ó, ú, Á, Í, Ó, Ú are not.
"""

from __future__ import annotations

from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

GSM7 = "GSM-7"
UCS2 = "UCS-2"
# (units in a text of one segment, units per part of a longer one)
LIMITS = {GSM7: (160, 153), UCS2: (70, 67)}


@dataclass(frozen=True)
class Segments:
    encoding: str  # GSM7 or UCS2
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    count: int  # segments; 0 for an empty text
    per_segment: int  # the most units each of those segments holds
    # The characters that took the text out of GSM-7, in order of first appearance.
    unicode_characters: tuple[str, ...]

    @property
    def remaining(self) -> int:
        """Units left in the last segment before one more is needed."""
        return self.count * self.per_segment - self.units if self.count else self.per_segment


def _width(char: str, encoding: str) -> int:
    if encoding == GSM7:
        return 2 if char in GSM7_EXTENSION else 1
    return 2 if ord(char) > 0xFFFF else 1


def is_gsm7(char: str) -> bool:
    return char in GSM7_BASIC or char in GSM7_EXTENSION


def count(text: str) -> Segments:
    """The segments `text` takes (see the module's docstring)."""
    others = tuple(dict.fromkeys(c for c in text if not is_gsm7(c)))
    encoding = UCS2 if others else GSM7
    single, part = LIMITS[encoding]
    widths = [_width(c, encoding) for c in text]
    units = sum(widths)
    if units == 0:
        return Segments(encoding, 0, 0, single, others)
    if units <= single:
        return Segments(encoding, units, 1, single, others)
    parts, used = 1, 0
    for width in widths:
        if used + width > part:
            parts, used = parts + 1, 0
        used += width
    return Segments(encoding, units, parts, part, others)
