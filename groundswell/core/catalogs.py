"""Reading gettext catalogs (.po files) as the translation checks need them: each entry's
id (with its context), its translations and whether gettext marked it fuzzy."""

from __future__ import annotations

import re
from dataclasses import dataclass

_FIELD = re.compile(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?|msgctxt) "(.*)"$')


@dataclass(frozen=True)
class Entry:
    msgid: str  # "context\x04msgid" when it has a context, as gettext stores it
    msgstrs: tuple[str, ...]
    fuzzy: bool

    @property
    def translated(self) -> bool:
        return bool(self.msgstrs) and all(self.msgstrs)


def read_po(text: str) -> list[Entry]:
    """Every entry of a .po file but its header and obsolete (#~) entries."""
    result = []
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        fields: dict[str, str] = {}
        key = ""
        for line in lines:
            match = _FIELD.match(line)
            if match:
                key = match.group(1)
                fields[key] = match.group(2)
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        if fields.get("msgid"):
            msgid = fields["msgid"]
            if "msgctxt" in fields:
                msgid = f"{fields['msgctxt']}\x04{msgid}"
            strs = tuple(v for k, v in fields.items() if k.startswith("msgstr"))
            result.append(Entry(msgid=msgid, msgstrs=strs, fuzzy=fuzzy))
    return result
