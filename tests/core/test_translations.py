"""Every shipped language is complete: every string in the code is in each language's
catalog (settings.LANGUAGES but English), translated, not fuzzy, and compiled; the
coverage report says the same."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from groundswell.core.catalogs import read_po
from groundswell.core.management.commands.translation_coverage import (
    catalog_path,
    coverage,
    shipped,
)

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = shipped()


def unescape(text: str) -> str:
    """A .po string's C escapes (\\n, \\", \\\\, \\t) as the characters they stand for."""
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def test_spanish_ships_and_the_catalog_paths_follow_djangos_names() -> None:
    assert "es" in LANGUAGES
    assert catalog_path("es") == ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
    assert catalog_path("zh-hans").parent.parent.name == "zh_Hans"
    assert catalog_path("pt-br").parent.parent.name == "pt_BR"


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_entry_is_translated_and_not_fuzzy(code: str) -> None:
    po = catalog_path(code)
    bad = [e.msgid for e in read_po(po.read_text("utf-8")) if e.fuzzy or not e.translated]
    assert not bad, f"untranslated or fuzzy in {po}: {bad[:10]}"


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_compiled_catalog_matches_the_source(code: str) -> None:
    po = catalog_path(code)
    with po.with_suffix(".mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    missing = [
        entry.msgid
        for entry in read_po(po.read_text("utf-8"))
        if len(entry.msgstrs) == 1
        and catalog._catalog.get(unescape(entry.msgid)) != unescape(entry.msgstrs[0])  # type: ignore[attr-defined]
    ]
    assert not missing, f"run `make messages`: {po.with_suffix('.mo')} lacks {missing[:5]}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
@pytest.mark.parametrize("code", LANGUAGES)
def test_every_string_in_the_code_is_in_the_catalog(code: str, tmp_path: Path) -> None:
    work = tmp_path / "copy"
    shutil.copytree(ROOT / "groundswell", work / "groundswell")
    shutil.copytree(ROOT / "locale", work / "locale")
    shutil.copy(ROOT / "manage.py", work / "manage.py")
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            code.replace("-", "_"),
            "--no-location",
            "--no-obsolete",
        ],
        cwd=work,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "VAR_DIR": str(tmp_path / "var"), "PYTHONPATH": str(work)},
    )
    po = catalog_path(code)
    current = {entry.msgid for entry in read_po(po.read_text("utf-8"))}
    fresh_po = work / po.relative_to(ROOT)
    fresh = {entry.msgid for entry in read_po(fresh_po.read_text("utf-8"))}
    assert not fresh - current, f"run `make messages` and translate: {sorted(fresh - current)[:10]}"


def test_the_coverage_report_counts_what_the_catalog_holds(
    tmp_path: Path, settings: object, capsys: pytest.CaptureFixture[str]
) -> None:
    locale = tmp_path / "locale" / "pl" / "LC_MESSAGES"
    locale.mkdir(parents=True)
    (locale / "django.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Sign"\nmsgstr "Podpisz"\n\n'
        '#, fuzzy\nmsgid "Petitions"\nmsgstr "Petycja"\n\n'
        'msgid "Events"\nmsgstr ""\n\n'
        'msgctxt "a vote"\nmsgid "Passed"\nmsgstr "Przyjęta"\n\n'
        'msgid "%(n)s signature"\nmsgid_plural "%(n)s signatures"\n'
        'msgstr[0] "%(n)s podpis"\nmsgstr[1] "%(n)s podpisy"\nmsgstr[2] ""\n',
        "utf-8",
    )
    settings.LOCALE_PATHS = [tmp_path / "locale"]  # type: ignore[attr-defined]
    settings.LANGUAGES = [("en", "English"), ("pl", "Polish")]  # type: ignore[attr-defined]
    found = coverage("pl")
    assert (found.total, found.translated, found.fuzzy, found.missing) == (5, 2, 1, 2)
    call_command("translation_coverage")
    assert "pl" in capsys.readouterr().out
    with pytest.raises(CommandError, match="pl"):
        call_command("translation_coverage", "--strict")


def test_every_shipped_language_is_complete_by_the_report() -> None:
    call_command("translation_coverage", "--strict")
