"""Each data row checked as it will be imported, and the preview of a file's rows. Pure
functions: the writes are people.imports.actions. Messages are translated in the
language active when they are made (the organizer's, in a request or the import task)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from groundswell.core.spreadsheets import FORMULA_STARTS
from groundswell.people.addresses import normalize_email
from groundswell.people.imports.parsing.fields import (
    CUSTOM_MAX,
    FIELD_LABELS,
    MAX_LENGTHS,
    TAG_MAX,
    column_name,
    validate_email,
)
from groundswell.people.phones import normalize_phone

PREVIEW_ROWS = 20


@dataclass
class Columns:
    """Which column feeds which field, from an ImportJob's headers and mapping."""

    headers: list[str]
    fields: dict[int, str]  # column index → person field, "tags" or "custom"

    @classmethod
    def from_mapping(cls, headers: list[str], mapping: Mapping[str, str]) -> Columns:
        fields = {int(i): f for i, f in mapping.items() if f != "skip" and int(i) < len(headers)}
        return cls(headers=headers, fields=dict(sorted(fields.items())))

    def custom_key(self, index: int) -> str:
        return column_name(self.headers, index)[:100]

    @property
    def shown(self) -> list[tuple[str, str]]:
        """(key, label) of what a preview shows for each row, in column order."""
        shown = []
        for index, name in self.fields.items():
            if name == "custom":
                shown.append((f"custom:{index}", self.custom_key(index)))
            else:
                shown.append((name, str(FIELD_LABELS[name])))
        return shown


@dataclass
class Row:
    """A data row as it will be imported, or the problems that keep it out."""

    number: int
    values: list[str]
    fields: dict[str, str] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    custom: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def email_key(self) -> str:
        email = self.fields.get("email", "")
        return normalize_email(email) if email else ""

    def shown(self, columns: Columns) -> list[str]:
        cells = []
        for index, name in columns.fields.items():
            if name == "custom":
                cells.append(self.custom.get(columns.custom_key(index), ""))
            elif name == "tags":
                cells.append(", ".join(self.tags))
            else:
                cells.append(self.fields.get(name, ""))
        return cells


def clean_row(number: int, cells: list[str], columns: Columns) -> Row:
    """The row's values checked and normalized (phone in E.164, ZIP as 12345 or
    12345-6789, language as a code); each problem is a sentence for the organizer."""
    row = Row(number=number, values=cells)
    row.problems.extend(getattr(cells, "problems", ()))
    contact_given = False
    width = len(columns.headers)
    if len(cells) > width and any(c.strip() for c in cells[width:]):
        row.problems.append(
            ngettext(
                "This row has %(cells)s cells but the header names %(columns)s column.",
                "This row has %(cells)s cells but the header names %(columns)s columns.",
                width,
            )
            % {"cells": len(cells), "columns": width}
        )
    for index, name in columns.fields.items():
        value = cells[index].strip() if index < len(cells) else ""
        if value[:1] == "'" and value[1:2] and value[1:2] in "".join(FORMULA_STARTS):
            value = value[1:]  # a cell our errors file neutralized, coming back fixed
        if not value:
            continue
        contact_given = contact_given or name in ("email", "phone")
        if name == "tags":
            _clean_tags(row, value)
        elif name == "custom":
            key = columns.custom_key(index)
            if len(value) > CUSTOM_MAX:
                row.problems.append(_too_long(key, CUSTOM_MAX))
            row.custom[key] = value
        else:
            _clean_field(row, name, " ".join(value.split()) if name != "address" else value)
    if not contact_given:
        row.problems.append(_("No email address and no phone number: a person needs one."))
    return row


def _too_long(label: str, limit: int) -> str:
    return _("%(field)s: longer than %(limit)s characters.") % {"field": label, "limit": limit}


def _clean_field(row: Row, name: str, value: str) -> None:
    label = FIELD_LABELS[name]  # translated only when a problem names it
    if name == "email":
        try:
            validate_email(value)
        except ValidationError:
            row.problems.append(_("%(field)s: not a valid email address.") % {"field": label})
            return
    elif name == "phone":
        number = normalize_phone(value)
        if number is None:
            row.problems.append(_("%(field)s: not a possible phone number.") % {"field": label})
            return
        value = number
    elif name == "zip_code":
        digits = re.sub(r"[\s-]", "", value)
        if not digits.isdigit() or len(digits) not in (5, 9):
            row.problems.append(_("%(field)s: should be 5 or 9 digits.") % {"field": label})
            return
        value = digits if len(digits) == 5 else f"{digits[:5]}-{digits[5:]}"
    elif name == "language":
        code = language_code(value)
        if code is None:
            row.problems.append(
                _("%(field)s: unknown language “%(value)s” (use a code such as en or es).")
                % {"field": label, "value": value[:20]}
            )
            return
        value = code
    limit = MAX_LENGTHS.get(name)
    if limit and len(value) > limit:
        row.problems.append(_too_long(str(label), limit))
        return
    row.fields[name] = value


def _clean_tags(row: Row, value: str) -> None:
    for name in value.split(","):
        name = " ".join(name.split())
        if not name:
            continue
        if len(name) > TAG_MAX:
            row.problems.append(_too_long(str(FIELD_LABELS["tags"]), TAG_MAX))
        elif name.casefold() not in {t.casefold() for t in row.tags}:
            row.tags.append(name)


def _language_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for code, info in LANG_INFO.items():
        if "fallback" in info:
            continue
        names[code] = code
        for key in ("name", "name_local"):
            if info.get(key):
                names.setdefault(info[key].casefold(), code)
    names.setdefault("zh", "zh-hans")
    return names


LANGUAGES_BY_NAME = _language_names()


def language_code(value: str) -> str | None:
    """ "es", "ES", "es_MX", "Spanish" or "español" → "es"; None if unknown."""
    key = value.strip().casefold().replace("_", "-")
    if key in LANGUAGES_BY_NAME:
        return LANGUAGES_BY_NAME[key]
    base = key.split("-")[0]
    return LANGUAGES_BY_NAME.get(base) if base in LANG_INFO or base == "zh" else None


def clean_rows(rows: Iterable[tuple[int, list[str]]], columns: Columns) -> Iterator[Row]:
    for number, cells in rows:
        yield clean_row(number, cells, columns)


@dataclass
class Preview:
    """The first rows as they will be imported, the first rows that will fail, and
    how many of all the rows fail (`failing`) or will be skipped (`skipped`)."""

    rows: list[Row]
    problem_rows: list[Row]
    failing: int
    total: int
    skipped: int = 0


# Given rows without problems, the numbers of those to be skipped, with the reason.
Skip = Callable[[list[Row]], dict[int, str]]


def preview(
    rows: Iterable[tuple[int, list[str]]], columns: Columns, skip: Skip | None = None
) -> Preview:
    """Check every row (so the counts are true) and keep a few to show. `skip` says
    which rows the import will leave out (people.imports.batches.skipped_rows), asked
    a thousand rows at a time."""
    shown: list[Row] = []
    problems: list[Row] = []
    failing = total = skipped = 0
    pending: list[Row] = []

    def ask() -> int:
        reasons = skip(pending) if skip else {}
        for row in pending:
            if row.number in reasons:
                row.problems.append(reasons[row.number])
                if len(problems) < PREVIEW_ROWS:
                    problems.append(row)
        pending.clear()
        return len(reasons)

    for row in clean_rows(rows, columns):
        total += 1
        if len(shown) < PREVIEW_ROWS:
            shown.append(row)
        if row.problems:
            failing += 1
            if len(problems) < PREVIEW_ROWS:
                problems.append(row)
        elif skip is not None:
            pending.append(row)
            if len(pending) >= 1000:
                skipped += ask()
    skipped += ask()
    problems.sort(key=lambda row: row.number)
    return Preview(shown, problems, failing, total, skipped)


def first_rows(rows: Iterable[tuple[int, list[str]]], count: int = 3) -> list[list[str]]:
    return [cells for _number, cells in itertools.islice(rows, count)]
