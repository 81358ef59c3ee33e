"""The turfs of a canvass drawn over the outlines of their wards, as SVG: each turf
the hull of its doors, in one of a few colours, with its number. The page lists the
turfs in a table beside it (the map's accessible equivalent). The projection's
figures ride on the <svg> (data-west, -north, -x-scale, -y-scale) so that draw.js can
turn a click into a longitude and latitude: x = (lon - west) * x_scale,
y = (north - lat) * y_scale."""

from __future__ import annotations

import math

import shapely
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from groundswell.canvass.models import Canvass, Door, Turf
from groundswell.districts import svg
from groundswell.districts.models import District

COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d")
PAD_DEGREES = 0.0003  # a one-building turf still shows as a small shape


def turf_map(canvass: Canvass, *, label: str) -> SafeString:
    ward_ids = set(Door.objects.filter(canvass=canvass).values_list("ward", flat=True)) - {None}
    wards = list(District.objects.filter(pk__in=ward_ids).select_related("set"))
    if not wards:
        return SafeString("")
    outline = svg.project(wards[0].set_id, wards)
    simplified = [
        shapely.simplify(w.geometry, svg.SIMPLIFY_TOLERANCE, preserve_topology=True) for w in wards
    ]
    west, south, east, north = shapely.total_bounds(simplified)
    x_scale = math.cos(math.radians((north + south) / 2))
    scale = outline.width / max((east - west) * x_scale, 1e-9)

    def point(lon: float, lat: float) -> str:
        return f"{(lon - west) * x_scale * scale:.1f},{(north - lat) * scale:.1f}"

    points: dict[int, list[tuple[float, float]]] = {}
    for turf_id, lon, lat in Door.objects.filter(canvass=canvass, turf__isnull=False).values_list(
        "turf", "lon", "lat"
    ):
        points.setdefault(turf_id, []).append((lon, lat))
    shapes = []
    for turf in Turf.objects.filter(canvass=canvass):
        found = points.get(turf.pk)
        if not found:
            continue
        hull = shapely.MultiPoint(found).convex_hull.buffer(PAD_DEGREES)
        ring = " ".join(point(x, y) for x, y in list(hull.exterior.coords)[:-1])
        centre = hull.centroid
        x, y = point(centre.x, centre.y).split(",")
        shapes.append((ring, COLOURS[turf.number % len(COLOURS)], x, y, turf.number, turf.name))
    wards_svg = format_html_join(
        "",
        '<path d="{}" fill="#f4f4f4" stroke="#555" stroke-width="1"><title>{}</title></path>',
        ((area.path(), area.label()) for area in outline.areas),
    )
    turfs_svg = format_html_join(
        "",
        '<g><title>{}</title><polygon points="{}" fill="{}" fill-opacity="0.45" stroke="{}"/>'
        '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#000">{}</text></g>',
        ((name, ring, colour, colour, x, y, number) for ring, colour, x, y, number, name in shapes),
    )
    return format_html(
        '<svg class="chart turf-map" role="img" viewBox="0 0 {} {}" width="100%" aria-label="{}"'
        ' data-west="{}" data-north="{}" data-x-scale="{}" data-y-scale="{}">'
        "<title>{}</title>{}{}</svg>",
        outline.width,
        outline.height,
        label,
        repr(float(west)),
        repr(float(north)),
        repr(float(x_scale * scale)),
        repr(float(scale)),
        label,
        wards_svg,
        turfs_svg,
    )
