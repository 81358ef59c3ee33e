"""Reading an organizer's CSV file as a whole: its encoding (a few lines in another
encoding are reported, not turned to mojibake), delimiter, header and rows, and a
quotation mark never closed. Pure functions over files and text."""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import os
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from groundswell.people.imports.parsing.fields import EMAIL_LIKE, normalize_header

CHUNK = 1 << 20


SAMPLE = 64 * 1024


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


class FileProblem(Exception):
    """The file cannot be imported at all; the message says why, in the user's language."""


@dataclass
class Inspection:
    """What reading a whole uploaded file found."""

    encoding: str
    delimiter: str
    headers: list[str]
    rows_total: int


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
