"""The OData subset Action Network accepts in `?filter=`: comparisons (eq, ne, gt, ge,
lt, le) of a field with a quoted value, joined by `and` / `or`, with parentheses.

Each collection declares the fields it can be filtered on and how (Field); anything
else is a 400 that names what went wrong.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import dateparse, timezone
from django.utils.translation import gettext as _

OPERATORS = {"eq", "ne", "gt", "ge", "lt", "le"}
LOOKUPS = {"gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}
TOKEN = re.compile(r"\s*(\(|\)|'(?:[^']|'')*'|\"(?:[^\"])*\"|[^\s()'\"]+)")
MAX_LENGTH = 2000
MAX_TERMS = 20


class FilterError(ValueError):
    pass


@dataclass(frozen=True)
class Field:
    """How one filterable field becomes a query: `build(op, value)` returns a Q."""

    build: Callable[[str, str], Q]


def _tokens(text: str) -> list[str]:
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None:
            raise FilterError(_("filter: cannot read it near %(s)r") % {"s": text[position:][:20]})
        tokens.append(match.group(1))
        position = match.end()
    return tokens


def _unquote(token: str) -> str:
    if len(token) >= 2 and token[0] == token[-1] and token[0] in "'\"":
        return token[1:-1].replace("''", "'")
    return token


class _Parser:
    def __init__(self, tokens: list[str], fields: dict[str, Field]):
        self.tokens, self.fields, self.position, self.terms = tokens, fields, 0, 0

    def peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise FilterError(_("filter: ends too soon"))
        self.position += 1
        return token

    def expression(self) -> Q:
        q = self.conjunction()
        while (self.peek() or "").lower() == "or":
            self.take()
            q = q | self.conjunction()
        return q

    def conjunction(self) -> Q:
        q = self.factor()
        while (self.peek() or "").lower() == "and":
            self.take()
            q = q & self.factor()
        return q

    def factor(self) -> Q:
        if self.peek() == "(":
            self.take()
            q = self.expression()
            if self.take() != ")":
                raise FilterError(_("filter: a parenthesis is not closed"))
            return q
        name, op, value = self.take(), self.take().lower(), _unquote(self.take())
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise FilterError(_("filter: too many comparisons"))
        if op not in OPERATORS:
            raise FilterError(_("filter: unknown operator %(op)r") % {"op": op})
        field = self.fields.get(name)
        if field is None:
            raise FilterError(
                _("filter: cannot filter on %(name)r (only %(names)s)")
                % {"name": name, "names": ", ".join(sorted(self.fields))}
            )
        if "\x00" in value:
            raise FilterError(_("filter: a value must not contain NUL characters"))
        return field.build(op, value)


def parse(text: str, fields: dict[str, Field]) -> Q:
    """The Q that `text` means for these fields; FilterError if it cannot be read."""
    if len(text) > MAX_LENGTH:
        raise FilterError(_("filter: too long"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise FilterError(_("filter: not valid Unicode text")) from None
    parser = _Parser(_tokens(text), fields)
    q = parser.expression()
    if parser.peek() is not None:
        raise FilterError(_("filter: unexpected %(s)r") % {"s": parser.peek()})
    return q


def _moment(value: str) -> tuple[datetime.datetime, datetime.timedelta | None]:
    """A date ("2014-03-25", the whole day in UTC) or a date and time (UTC unless an
    offset is given); returns its start and, for a date, its length."""
    try:
        moment = dateparse.parse_datetime(value)
        day = None if moment else dateparse.parse_date(value)
    except ValueError:
        moment = day = None
    if moment is not None:
        if timezone.is_naive(moment):
            moment = moment.replace(tzinfo=datetime.UTC)
        return moment, None
    if day is not None:
        start = datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)
        return start, datetime.timedelta(days=1)
    raise FilterError(_("filter: %(value)r is not a date") % {"value": value[:40]})


def date_field(column: str) -> Field:
    def build(op: str, value: str) -> Q:
        start, length = _moment(value)
        if op in ("eq", "ne"):
            if length is None:
                q = Q(**{column: start})
            else:
                q = Q(**{f"{column}__gte": start, f"{column}__lt": start + length})
            return ~q if op == "ne" else q
        if length is not None and op in ("gt", "le"):
            start += length  # after the 25th means from the 26th
        return Q(**{f"{column}__{LOOKUPS[op]}": start})

    return Field(build)


def equality_field(make: Callable[[str], Q]) -> Field:
    """A field compared only with eq/ne (an address, an identifier)."""

    def build(op: str, value: str) -> Q:
        if op not in ("eq", "ne"):
            raise FilterError(_("filter: only eq and ne apply to this field"))
        q = make(value)
        return ~q if op == "ne" else q

    return Field(build)


PREFIXES = ("groundswell:", "action_network:")


def identifier_field(column: str = "pk") -> Field:
    """`identifiers eq 'groundswell:12'` (or the `action_network:` alias)."""

    def make(value: str) -> Q:
        for prefix in PREFIXES:
            if value.startswith(prefix):
                number = value.removeprefix(prefix)
                if number.isdigit() and len(number) < 19 and int(number) > 0:
                    return Q(**{column: int(number)})
        return Q(pk__in=[])

    return equality_field(make)
