"""Reading an organizer's CSV file: its encoding, delimiter and header, and each row
checked as it will be imported.

Pure functions over files and text: nothing here writes to the database (the writes
are people.imports.actions). Messages are translated in the language active when they
are made (the organizer's, in a request or in the import task).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import itertools
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from groundswell.core.spreadsheets import FORMULA_STARTS
from groundswell.people.addresses import normalize_email
from groundswell.people.phones import normalize_phone

CHUNK = 1 << 20
SAMPLE = 64 * 1024
PREVIEW_ROWS = 20
# Where a mapped column goes. "custom" keeps the column under its header in
# Supporter.custom_fields; "skip" leaves it out.
PERSON_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "address",
    "city",
    "state",
    "zip_code",
    "language",
)
FIELD_LABELS: dict[str, Promise] = {
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "email": gettext_lazy("Email"),
    "phone": gettext_lazy("Phone"),
    "address": gettext_lazy("Street address"),
    "city": gettext_lazy("City"),
    "state": gettext_lazy("State"),
    "zip_code": gettext_lazy("ZIP code"),
    "language": gettext_lazy("Language"),
    "tags": gettext_lazy("Tags (comma-separated)"),
    "custom": gettext_lazy("Custom field (keep under the column's name)"),
    "skip": gettext_lazy("Skip this column"),
}
FIELDS = tuple(FIELD_LABELS)
# The model's column sizes (people.models.Supporter); a longer value fails its row.
MAX_LENGTHS = {
    "first_name": 100,
    "last_name": 100,
    "email": 254,
    "address": 255,
    "city": 100,
    "state": 50,
    "zip_code": 10,
    "language": 10,
}
TAG_MAX = 100
CUSTOM_MAX = 1000
# A UTF-8 file with a few lines in another encoding (pasted from an old spreadsheet):
# read as UTF-8, and those lines reported as problems instead of mangling the file.
MIXED_UTF8 = "utf-8-lines"
ENCODING_LABELS = {
    "utf-8": "UTF-8",
    MIXED_UTF8: "UTF-8",
    "utf-8-sig": "UTF-8 (BOM)",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252 (Latin-1)",
    "latin-1": "ISO-8859-1 (Latin-1)",
}
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_LABELS: dict[str, Promise] = {
    ",": gettext_lazy("comma"),
    ";": gettext_lazy("semicolon"),
    "\t": gettext_lazy("tab"),
    "|": gettext_lazy("vertical bar"),
}
# Files people upload by mistake, recognized by their first bytes.
SIGNATURES = (
    (b"PK\x03\x04", "spreadsheet"),  # .xlsx, .ods (zip)
    (b"\xd0\xcf\x11\xe0", "spreadsheet"),  # .xls
    (b"%PDF", "binary"),
    (b"\x89PNG", "binary"),
    (b"\xff\xd8\xff", "binary"),
    (b"GIF8", "binary"),
)
# Common header names in English and Spanish, normalized (see normalize_header).
GUESSES = {
    "first_name": {
        "first name", "firstname", "first", "given name", "nombre", "nombres",
        "primer nombre", "nombre de pila",
    },
    "last_name": {
        "last name", "lastname", "last", "surname", "family name", "apellido", "apellidos",
    },
    "email": {
        "email", "e mail", "email address", "e mail address", "mail", "correo",
        "correo electronico", "correo e", "direccion de correo electronico", "emails",
    },
    "phone": {
        "phone", "phone number", "mobile", "mobile phone", "mobile number", "cell",
        "cell phone", "telephone", "tel", "telefono", "numero de telefono", "celular",
        "telefono celular", "movil",
    },
    "address": {
        "address", "street", "street address", "address 1", "address1", "address line 1",
        "direccion", "domicilio", "calle",
    },
    "city": {"city", "town", "ciudad", "municipio", "localidad"},
    "state": {"state", "province", "region", "estado", "provincia"},
    "zip_code": {
        "zip", "zip code", "zipcode", "zip5", "postal code", "postcode", "zip postal code",
        "codigo postal", "cp",
    },
    "language": {"language", "lang", "preferred language", "idioma", "lengua"},
    "tags": {"tags", "tag", "labels", "etiquetas", "etiqueta"},
}  # fmt: skip
GUESS_BY_HEADER = {name: field for field, names in GUESSES.items() for name in names}
EMAIL_LIKE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
validate_email = EmailValidator()


class FileProblem(Exception):
    """The file cannot be imported at all; the message says why, in the user's language."""


@dataclass
class Inspection:
    """What reading a whole uploaded file found."""

    encoding: str
    delimiter: str
    headers: list[str]
    rows_total: int


def normalize_header(header: str) -> str:
    """The key a remembered mapping and the guesses use: "Correo electrónico" →
    "correo electronico", "E-mail" → "e mail"."""
    text = unicodedata.normalize("NFKD", header)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())[:200]


def guess_field(header: str) -> str:
    return GUESS_BY_HEADER.get(normalize_header(header), "skip")


def column_name(headers: list[str], index: int) -> str:
    """How the page names a column: its header, or "Column 3" when it has none."""
    name = headers[index].strip() if index < len(headers) else ""
    return name or _("Column %(number)s") % {"number": index + 1}


# --- The whole file --------------------------------------------------------------------


def inspect(raw: IO[bytes]) -> Inspection:
    """Read an uploaded file through once: encoding, delimiter, header, row count.

    Raises FileProblem for a file that is empty, not text, has no header row or
    duplicate column names, or rows that cannot be read.
    """
    raw.seek(0)
    head = raw.read(SAMPLE)
    if not head.strip(b" \t\r\n\x00" + codecs.BOM_UTF8):
        raise FileProblem(_("The file is empty."))
    for magic, kind in SIGNATURES:
        if head.startswith(magic):
            if kind == "spreadsheet":
                raise FileProblem(
                    _(
                        "This looks like a spreadsheet workbook, not a CSV file. In your "
                        "spreadsheet, choose File › Save as (or Download) › CSV, and upload that."
                    )
                )
            raise FileProblem(_("This is not a CSV file (it is not text)."))
    encoding = detect_encoding(raw)
    sample = head.decode("utf-8" if encoding == MIXED_UTF8 else encoding, errors="replace")
    if (encoding != "utf-16" and "\x00" in sample) or _mostly_control(sample):
        raise FileProblem(_("This is not a CSV file (it is not text)."))
    delimiter = sniff_delimiter(sample)
    raw.seek(0)
    text = open_text(raw, encoding)
    reader = csv.reader(text, delimiter=delimiter)
    headers: list[str] = []
    rows_total = 0
    number = 0  # the row being read, counting the header as row 1
    try:
        while (cells := next(reader, None)) is not None:
            number += 1
            if number == 1:
                headers = cells
                check_header(headers)
            elif any(cell.strip() for cell in cells):
                rows_total += 1
    except csv.Error as exc:
        raise FileProblem(
            _("Row %(number)s cannot be read as CSV (%(reason)s). Fix it and upload again.")
            % {"number": number + 1, "reason": exc}
        ) from exc
    finally:
        text.detach()
    if not headers:
        raise FileProblem(_("The file is empty."))
    if rows_total == 0:
        raise FileProblem(_("The file has a header row but no rows of people."))
    return Inspection(encoding, delimiter, [h.strip() for h in headers], rows_total)


def detect_encoding(raw: IO[bytes]) -> str:
    """UTF-8 (with or without a byte order mark), UTF-16 with one; a UTF-8 file with a
    few lines that are not (MIXED_UTF8: those lines become problems, the others keep
    their accents); else Windows-1252 (what Excel writes as "CSV" on Windows), else
    Latin-1, which reads any bytes."""
    raw.seek(0)
    head = raw.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _decodes(raw, "utf-8"):
        return "utf-8"
    if _mostly_utf8(raw):
        return MIXED_UTF8
    if _decodes(raw, "cp1252"):
        return "cp1252"
    return "latin-1"


def _mostly_utf8(raw: IO[bytes]) -> bool:
    """Lines with UTF-8 accents outnumber the lines that are not UTF-8 at all."""
    raw.seek(0)
    accented = broken = 0
    for line in raw:
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            accented += 1
        except UnicodeDecodeError:
            broken += 1
    return accented > broken


def _decodes(raw: IO[bytes], encoding: str) -> bool:
    raw.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        while chunk := raw.read(CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _mostly_control(sample: str) -> bool:
    control = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\t\r\n")
    return control > max(10, len(sample) // 100)


def open_text(raw: IO[bytes], encoding: str) -> Any:
    """The file as text for csv.reader (newline="" keeps line breaks inside cells)."""
    if encoding == MIXED_UTF8:
        return MixedLines(raw)
    return io.TextIOWrapper(raw, encoding=encoding, newline="")


class MixedLines:
    """A UTF-8 file's lines as text for csv.reader; a line that is not UTF-8 is read as
    Windows-1252 and its number kept (`foreign`), so its row can be reported."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.foreign: set[int] = set()
        self.line = 0

    def __iter__(self) -> Iterator[str]:
        for data in self.raw:
            self.line += 1
            try:
                yield data.decode("utf-8")
            except UnicodeDecodeError:
                self.foreign.add(self.line)
                yield data.decode("cp1252", errors="replace")

    def detach(self) -> None:
        """Like TextIOWrapper.detach: leave the file open for its owner."""


def sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the first lines into the most columns, consistently."""
    lines = sample.splitlines()
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line of a cut sample may be partial
    text = "\n".join(lines[:50])
    best, best_score = ",", (0.0, 1)
    for delimiter in DELIMITERS:
        try:
            rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if r]
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        score = (sum(1 for r in rows if len(r) == width) / len(rows), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def check_header(headers: list[str]) -> None:
    """The first row must name the columns: not blank, not data, no name twice."""
    names = [h.strip() for h in headers]
    if len(names) > settings.IMPORT_MAX_COLUMNS:
        raise FileProblem(
            _(
                "This file has %(count)s columns; at most %(limit)s can be imported. "
                "Remove the columns you do not need and upload it again."
            )
            % {"count": f"{len(names):,}", "limit": settings.IMPORT_MAX_COLUMNS}
        )
    if not any(names):
        raise FileProblem(
            _("The first row is empty. It should name the columns (for example: Email, Phone).")
        )
    for name in names:
        if EMAIL_LIKE.fullmatch(name) or sum(c.isdigit() for c in name) >= 7:
            raise FileProblem(
                _(
                    "The first row looks like a person (it holds “%(value)s”), not the names "
                    "of the columns. Add a header row naming each column (for example: "
                    "First name, Last name, Email) and upload again."
                )
                % {"value": name[:60]}
            )
    seen: dict[str, int] = {}
    for index, name in enumerate(names):
        key = normalize_header(name)
        if not key:
            continue
        if key in seen:
            raise FileProblem(
                _(
                    "Two columns have the same name, “%(name)s” (columns %(first)s and "
                    "%(second)s). Rename or remove one and upload again."
                )
                % {"name": name, "first": seen[key] + 1, "second": index + 1}
            )
        seen[key] = index


@contextlib.contextmanager
def open_rows(
    path: str | os.PathLike[str], encoding: str, delimiter: str
) -> Iterator[Iterator[tuple[int, list[str]]]]:
    """The data rows of a stored file (see data_rows)."""
    with open(path, "rb") as raw:
        yield data_rows(open_text(raw, encoding), delimiter)


class Cells(list[str]):
    """A row's cells as read, with what went wrong reading them (`problems`)."""

    problems: list[str]


def data_rows(text: Any, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) for each non-blank row after the header; row numbers are
    the file's, counting the header as row 1 (what a spreadsheet shows).

    Cells carry the problems of reading them: a row written in another encoding than
    the file (MixedLines), and a quotation mark never closed, which makes the reader
    take the following rows into one cell — both are reported, never imported as is.
    """
    reader = csv.reader(text, delimiter=delimiter)
    header = next(reader, None)
    width = len(header or [])
    foreign: set[int] = getattr(text, "foreign", set())
    last_line = reader.line_num
    for number, read in enumerate(reader, start=2):
        lines = range(last_line + 1, reader.line_num + 1)
        last_line = reader.line_num
        if not any(cell.strip() for cell in read):
            continue
        cells = Cells(read)
        cells.problems = []
        if foreign.intersection(lines):
            cells.problems.append(
                _(
                    "This row is not written in UTF-8 like the rest of the file (it may be "
                    "Windows-1252), so its accents cannot be read. Save the file as UTF-8 "
                    "and upload it again."
                )
            )
        swallowed = _rows_inside(read, delimiter, width)
        if swallowed:
            cells.problems.append(
                ngettext(
                    "A quotation mark in this row is never closed, so %(count)s following "
                    "line of the file was read into one cell. Close the quotation mark "
                    "and upload the file again.",
                    "A quotation mark in this row is never closed, so %(count)s following "
                    "lines of the file were read into one cell. Close the quotation mark "
                    "and upload the file again.",
                    swallowed,
                )
                % {"count": swallowed}
            )
        yield number, cells


def _rows_inside(cells: list[str], delimiter: str, width: int) -> int:
    """How many lines inside these cells look like rows of their own (as many
    delimiters as a row has, or nearly): the mark of a quotation mark never closed.
    A street address on two lines has no such lines."""
    wanted = max(1, (width - 1) // 2)
    return sum(
        1
        for cell in cells
        if "\n" in cell
        for line in cell.splitlines()[1:]
        if line.count(delimiter) >= wanted
    )


# --- One row ---------------------------------------------------------------------------


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
    how many of all the rows fail."""

    rows: list[Row]
    problem_rows: list[Row]
    failing: int
    total: int


def preview(rows: Iterable[tuple[int, list[str]]], columns: Columns) -> Preview:
    """Check every row (so the counts are true) and keep a few to show."""
    shown: list[Row] = []
    problems: list[Row] = []
    failing = total = 0
    for row in clean_rows(rows, columns):
        total += 1
        if len(shown) < PREVIEW_ROWS:
            shown.append(row)
        if row.problems:
            failing += 1
            if len(problems) < PREVIEW_ROWS:
                problems.append(row)
    return Preview(shown, problems, failing, total)


def first_rows(rows: Iterable[tuple[int, list[str]]], count: int = 3) -> list[list[str]]:
    return [cells for _number, cells in itertools.islice(rows, count)]
