"""HAL+JSON shapes shared by every resource: identifiers, dates, and paged collections
(`page`, `per_page` at most 25, `total_pages`, `total_records`, `_links`, and an
`_embedded["osdi:<kind>"]` list that is empty, never a 404, past the last page)."""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from groundswell.api import filters
from groundswell.api.http import Api, ApiError, Body

MAX_PER_PAGE = 25


class Links(Protocol):
    """What a representation needs: links to resources (an Api, or a Base)."""

    def href(self, *parts: object) -> str: ...


@dataclass(frozen=True)
class Base:
    """Links from the API's base URL alone, for representations made outside a request
    (webhook bodies)."""

    base: str

    def href(self, *parts: object) -> str:
        return "/".join([self.base, *(str(p) for p in parts)])


def identifiers(pk: int) -> list[str]:
    """Ours, and the alias clients written for Action Network look for."""
    return [f"groundswell:{pk}", f"action_network:{pk}"]


def date(value: datetime.datetime | None) -> str | None:
    """UTC to the second, as Action Network writes it: truncated, never rounded up, so
    `modified_date gt '<a date read>'` never misses a later change."""
    if value is None:
        return None
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _positive(api: Api, name: str, default: int) -> int:
    raw = api.query(name).strip()
    if not raw:
        return default
    if not raw.isdigit() or len(raw) > 12 or int(raw) < 1:
        raise ApiError(400, _("%(name)s must be a positive whole number") % {"name": name})
    return int(raw)


def filtered(
    api: Api, queryset: QuerySet[Any], fields: dict[str, filters.Field] | None
) -> tuple[QuerySet[Any], str]:
    """The queryset narrowed by `?filter=` (400 if it cannot be read), and its text."""
    text = api.query("filter").strip()
    if text:
        if fields is None:
            raise ApiError(400, _("This collection cannot be filtered."))
        try:
            queryset = queryset.filter(filters.parse(text, fields))
        except filters.FilterError as exc:
            raise ApiError(400, str(exc)) from None
    return queryset, text


def collection(
    api: Api,
    queryset: QuerySet[Any],
    *,
    kind: str,
    path: Iterable[object],
    represent: Callable[[Api, Any], Body],
    fields: dict[str, filters.Field] | None = None,
    order: tuple[str, ...] = ("pk",),
    audit: str = "",
) -> Body:
    """One page of the queryset as an OSDI collection of `osdi:<kind>`."""
    _positive(api, "page", 1)  # a bad page is a 400 before the filter is read
    _positive(api, "per_page", MAX_PER_PAGE)
    queryset, text = filtered(api, queryset, fields)
    return page_of(
        api,
        queryset.count(),
        lambda start, stop: list(queryset.order_by(*order)[start:stop]),
        kind=kind,
        path=path,
        represent=represent,
        text=text,
        audit=audit,
    )


def page_of(
    api: Api,
    total: int,
    fetch: Callable[[int, int], list[Any]],
    *,
    kind: str,
    path: Iterable[object],
    represent: Callable[[Api, Any], Body],
    text: str = "",
    audit: str = "",
) -> Body:
    """One page of `total` records as an OSDI collection; `fetch(start, stop)` reads the
    page's records (a queryset's slice, or a list's for collections not in one table)."""
    page = _positive(api, "page", 1)
    per_page = min(_positive(api, "per_page", MAX_PER_PAGE), MAX_PER_PAGE)
    total_pages = math.ceil(total / per_page)
    items: list[Any] = []
    if page <= total_pages:
        start = (page - 1) * per_page
        items = fetch(start, start + per_page)
    base = api.href(*path)

    def link(number: int) -> dict[str, str]:
        params = {"page": number, "per_page": per_page, **({"filter": text} if text else {})}
        return {"href": f"{base}?{urlencode(params)}"}

    links: dict[str, Any] = {"self": link(page)}
    if page < total_pages:
        links["next"] = link(page + 1)
    if 1 < page <= total_pages + 1:
        links["previous"] = link(page - 1)
    embedded = [represent(api, item) for item in items]
    links[f"osdi:{kind}"] = [{"href": item["_links"]["self"]["href"]} for item in embedded]
    if audit:
        api.audit(f"GET {audit} page {page}", records=len(embedded))
    return {
        "total_pages": total_pages,
        "per_page": per_page,
        "page": page,
        "total_records": total,
        "_links": links,
        "_embedded": {f"osdi:{kind}": embedded},
    }
