"""Reading a document's text: a PDF's text layer, the split into articles and sections
by their headings, and the difference of one section between two versions.

Nothing here touches the database.

Headings recognised, one per line (Markdown's leading #'s and emphasis are ignored):

    ARTICLE 6 — INVESTIGATIONS        (also "Article VI. Investigations", "ARTICLE 6 - ...")
    Section 6.1 Complaints            (also "Section 6.1. ...", "Sec. 6.1 ...", "§ 6.1 ...")
    6.1 Complaints                    (a bare number under an article, starting with its number)

Text before the first heading becomes a section numbered "0" ("Preamble").
"""

from __future__ import annotations

import difflib
import io
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}

_DASH = r"[\s.:\u2014\u2013-]*"
ARTICLE = re.compile(rf"^(?:ARTICLE|Article)\s+(?P<num>\d+[A-Z]?|[IVXLC]+)\b{_DASH}(?P<title>.*)$")
SECTION = re.compile(
    rf"^(?:(?:SECTION|Section|Sec\.|§)\s*)(?P<num>\d+[A-Z]?(?:\.\d+[A-Za-z]?)*)\b{_DASH}(?P<title>.*)$"
)
BARE = re.compile(r"^(?P<num>\d+\.\d+(?:\.\d+)*)\.?\s+(?P<title>[A-Z].{0,150})$")
MARKUP = re.compile(r"^\s*#{1,6}\s*|^\s*[*_]{1,2}|[*_]{1,2}\s*$")


class UnreadableDocument(ValueError):
    """The upload has no text we can read (a scanned PDF, a binary file)."""


@dataclass
class Part:
    level: int  # 1 article, 2 section
    number: str
    heading: str
    lines: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.lines).strip()


def _roman(value: str) -> int:
    total = 0
    for i, letter in enumerate(value):
        n = ROMAN[letter]
        following = ROMAN[value[i + 1]] if i + 1 < len(value) else 0
        total += -n if n < following else n
    return total


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF, page after page; UnreadableDocument when it has none."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise UnreadableDocument(_("This file is not a PDF we can read.")) from error
    text = "\n".join(pages).strip()
    if not text:
        raise UnreadableDocument(
            _("This PDF has no text layer (it may be a scan). Paste its text instead.")
        )
    return text


def decode(data: bytes) -> str:
    """An uploaded text or Markdown file: UTF-8, or Latin-1 as many old exports are."""
    if b"\x00" in data:
        raise UnreadableDocument(_("This file is not text. Upload a .txt, .md or .pdf file."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _heading(line: str, article: str) -> tuple[int, str, str] | None:
    plain = MARKUP.sub("", line).strip()
    if not plain or len(plain) > 200:
        return None
    if match := ARTICLE.match(plain):
        num = match["num"]
        number = num.lstrip("0") or "0" if num[0].isdigit() else str(_roman(num))
        return 1, number, plain
    if match := SECTION.match(plain):
        return 2, match["num"], plain
    if article and (match := BARE.match(plain)) and match["num"].split(".")[0] == article:
        return 2, match["num"], plain
    return None


def split(text: str) -> list[Part]:
    """The document's articles and sections in order, each with the text under its
    heading (up to the next heading)."""
    parts: list[Part] = []
    current = Part(1, "0", _("Preamble"), [])
    article = ""
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        found = _heading(raw, article)
        if found is None:
            current.lines.append(MARKUP.sub("", raw) if raw.lstrip().startswith("#") else raw)
            continue
        if current.text or current.number != "0":
            parts.append(current)
        level, number, heading = found
        if level == 1:
            article = number
        elif article and "." not in number:
            number = f"{article}.{number}"
        current = Part(level, number, heading, [])
    if current.text or current.number != "0":
        parts.append(current)
    return _unique(parts)


def _unique(parts: list[Part]) -> list[Part]:
    """A number that repeats (a table of contents, a typo) gets a suffix, so each section
    of a version is found by one number."""
    seen: dict[str, int] = {}
    for part in parts:
        count = seen.get(part.number, 0)
        seen[part.number] = count + 1
        if count:
            part.number = f"{part.number}~{count + 1}"
    return parts


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs, each on one line (a PDF breaks lines mid-sentence)."""
    blocks = re.split(r"\n\s*\n", text.strip())
    return [" ".join(block.split()) for block in blocks if block.strip()]


@dataclass(frozen=True)
class Row:
    """One row of a side-by-side difference: the older and the newer paragraph (either
    may be missing), with changed words marked."""

    kind: str  # "same", "changed", "removed", "added"
    old: SafeString
    new: SafeString


def _words(old: str, new: str) -> tuple[SafeString, SafeString]:
    a, b = old.split(), new.split()
    left: list[str] = []
    right: list[str] = []
    removed, added = escape(_("removed:")), escape(_("added:"))
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            left.append(escape(" ".join(a[i1:i2])))
            right.append(escape(" ".join(b[j1:j2])))
            continue
        if i2 > i1:
            left.append(
                f'<del><span class="visually-hidden">{removed} </span>'
                f"{escape(' '.join(a[i1:i2]))}</del>"
            )
        if j2 > j1:
            right.append(
                f'<ins><span class="visually-hidden">{added} </span>'
                f"{escape(' '.join(b[j1:j2]))}</ins>"
            )
    return mark_safe(" ".join(left)), mark_safe(" ".join(right))


def difference(old: str, new: str) -> list[Row]:
    """The two texts paragraph by paragraph: unchanged, changed (with the words marked),
    removed or added."""
    a, b = paragraphs(old), paragraphs(new)
    rows: list[Row] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows += [Row("same", escape(p), escape(p)) for p in a[i1:i2]]
            continue
        olds, news = a[i1:i2], b[j1:j2]
        for k in range(max(len(olds), len(news))):
            if k < len(olds) and k < len(news):
                left, right = _words(olds[k], news[k])
                rows.append(Row("changed", left, right))
            elif k < len(olds):
                rows.append(Row("removed", escape(olds[k]), mark_safe("")))
            else:
                rows.append(Row("added", mark_safe(""), escape(news[k])))
    return rows


def normalized(text: str) -> str:
    """Whitespace folded, for finding a quote in a section however its lines broke."""
    return " ".join(text.split()).casefold()
