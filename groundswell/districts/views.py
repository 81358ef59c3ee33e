"""The public district lookup: GET /districts/locate.json?lat=&lon=[&set=].

It answers {"division_id": …, "name": …, "set": …} for the district of the current ward
map (or of the map `set`) that holds the point, {"division_id": null} outside every
district, 400 with {"error": …} for coordinates it cannot read, and 404 when there is no
such map. The answer depends only on the URL and carries no personal data, so browsers
and shared caches may keep it, and any website may call it (CORS).
"""

from __future__ import annotations

import json
import math

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from groundswell.districts import locate as districts

MAX_AGE = 3600  # seconds; a new map reaches readers within the hour


def _answer(data: dict[str, object], status: int = 200) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/json", status=status
    )
    response["Access-Control-Allow-Origin"] = "*"
    if status == 200:
        patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _coordinate(request: HttpRequest, name: str, limit: float) -> float | str:
    """The parameter as a number within ±limit, or the reason it is not one."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return _("Give the point as lat and lon in decimal degrees, e.g. ?lat=41.88&lon=-87.63.")
    try:
        value = float(raw)
    except ValueError:
        return _("%(name)s must be a number in decimal degrees.") % {"name": name}
    if not math.isfinite(value) or abs(value) > limit:
        return _("%(name)s must be between -%(limit)s and %(limit)s.") % {
            "name": name,
            "limit": int(limit),
        }
    return value


@require_safe
def locate_json(request: HttpRequest) -> HttpResponse:
    lat = _coordinate(request, "lat", 90)
    lon = _coordinate(request, "lon", 180)
    for value in (lat, lon):
        if isinstance(value, str):
            return _answer({"error": value}, status=400)
    assert isinstance(lat, float) and isinstance(lon, float)
    set_slug = request.GET.get("set") or None
    version = districts.map_version(set_slug=set_slug)
    if version is None:
        if set_slug:
            return _answer(
                {"error": _("There is no district map %(set)s.") % {"set": set_slug[:100]}}, 404
            )
        return _answer({"error": _("No ward map has been loaded yet.")}, status=404)
    found = districts.index(version).find(lat, lon)
    if found is None:
        return _answer({"division_id": None})
    return _answer({"division_id": found.division_id, "name": found.name, "set": found.set_slug})
