"""CSV files for spreadsheets: text a spreadsheet shows, never runs, streamed in chunks."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LINES_PER_CHUNK = 1000


def neutralize(value: object) -> str:
    """The value as text a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    """The CSV text, a thousand rows per chunk: one socket write per chunk, not per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for n, row in enumerate(rows, 1):
        writer.writerow(row)
        if n % LINES_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()
