"""English and Spanish ship complete: every string in the code is in the Spanish
catalog, translated, not fuzzy, and compiled."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def unescape(text: str) -> str:
    """A .po string's C escapes (\\n, \\", \\\\, \\t) as the characters they stand for."""
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def entries(po_text: str) -> list[tuple[str, list[str], bool]]:
    """(msgid, msgstrs, fuzzy) for each entry of a .po file, header left out; a msgid
    with a context is given as "context\x04msgid", as gettext stores it."""
    result = []
    for block in po_text.split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        fields: dict[str, str] = {}
        key = ""
        for line in lines:
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?|msgctxt) "(.*)"$', line)
            if match:
                key = match.group(1)
                fields[key] = match.group(2)
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        if fields.get("msgid"):
            strs = [v for k, v in fields.items() if k.startswith("msgstr")]
            msgid = fields["msgid"]
            if "msgctxt" in fields:
                msgid = f"{fields['msgctxt']}\x04{msgid}"
            result.append((msgid, strs, fuzzy))
    return result


def test_every_spanish_entry_is_translated_and_not_fuzzy() -> None:
    bad = [msgid for msgid, strs, fuzzy in entries(PO.read_text("utf-8")) if fuzzy or not all(strs)]
    assert not bad, f"untranslated or fuzzy in {PO.name}: {bad[:10]}"


def test_the_compiled_catalog_matches_the_source() -> None:
    with MO.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    missing = [
        msgid
        for msgid, strs, _fuzzy in entries(PO.read_text("utf-8"))
        if len(strs) == 1 and catalog._catalog.get(unescape(msgid)) != unescape(strs[0])  # type: ignore[attr-defined]
    ]
    assert not missing, f"run `make messages`: django.mo lacks {missing[:5]}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_every_string_in_the_code_is_in_the_catalog(tmp_path: Path) -> None:
    work = tmp_path / "copy"
    shutil.copytree(ROOT / "groundswell", work / "groundswell")
    shutil.copytree(ROOT / "locale", work / "locale")
    shutil.copy(ROOT / "manage.py", work / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "es", "--no-location", "--no-obsolete"],
        cwd=work,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "VAR_DIR": str(tmp_path / "var"), "PYTHONPATH": str(work)},
    )
    current = {msgid for msgid, _s, _f in entries(PO.read_text("utf-8"))}
    fresh = {msgid for msgid, _s, _f in entries((work / PO.relative_to(ROOT)).read_text("utf-8"))}
    assert not fresh - current, f"run `make messages` and translate: {sorted(fresh - current)[:10]}"
