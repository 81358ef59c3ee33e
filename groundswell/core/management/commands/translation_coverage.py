"""How complete each shipped language's catalog is: `manage.py translation_coverage`.

For every language in settings.LANGUAGES but English (the language of the code), it reads
locale/<code>/LC_MESSAGES/django.po and prints how many entries are translated, fuzzy
(a guess gettext made that no one checked; not shown to readers) and missing. With
--strict it fails when any shipped language is incomplete, as the tests do.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from groundswell.core.catalogs import Entry, read_po


@dataclass(frozen=True)
class Coverage:
    code: str
    total: int
    translated: int
    fuzzy: int
    missing: int

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.translated == self.total

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 0.0


def catalog_path(code: str) -> Path:
    locale = code.replace("-", "_")
    if "_" in locale:  # Django's directory names: zh_Hans, pt_BR
        language, _sep, region = locale.partition("_")
        locale = f"{language}_{region.title() if len(region) > 2 else region.upper()}"
    return Path(settings.LOCALE_PATHS[0]) / locale / "LC_MESSAGES" / "django.po"


def coverage(code: str) -> Coverage:
    path = catalog_path(code)
    entries: list[Entry] = read_po(path.read_text("utf-8")) if path.exists() else []
    fuzzy = sum(1 for entry in entries if entry.fuzzy)
    translated = sum(1 for entry in entries if not entry.fuzzy and entry.translated)
    return Coverage(
        code=code,
        total=len(entries),
        translated=translated,
        fuzzy=fuzzy,
        missing=len(entries) - translated - fuzzy,
    )


def shipped() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != "en"]


class Command(BaseCommand):
    help = "Print how complete each shipped language's translation catalog is."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--strict", action="store_true", help="Fail if any shipped language is incomplete."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rows = [coverage(code) for code in shipped()]
        self.stdout.write(
            f"{'language':<10}{'entries':>9}{'translated':>12}{'fuzzy':>7}{'missing':>9}"
        )
        for row in rows:
            self.stdout.write(
                f"{row.code:<10}{row.total:>9}{row.translated:>12}{row.fuzzy:>7}{row.missing:>9}"
                f"   {row.percent:5.1f}%"
            )
        incomplete = [row.code for row in rows if not row.complete]
        if incomplete and options["strict"]:
            raise CommandError(f"Incomplete catalogs: {', '.join(incomplete)}")
