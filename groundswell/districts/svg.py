"""Maps of a district set drawn on the server: a choropleth as SVG, and the same shapes
for anything else that draws (a PDF's delivery packet draws them with fpdf2).

What other apps call:

    from groundswell.districts import svg

    outline = svg.outline(district_set)            # projected, simplified, cached per set
    classes = svg.classify(values)                 # {division_id: number} -> classed fills
    svg.choropleth(outline, values, classes=classes, label=..., describe=...)

Shapes are projected from longitude/latitude to the map's units with an
equirectangular projection whose x is scaled by the cosine of the set's middle
latitude (at a city's size the error is far below a pixel), y growing downward as in
SVG. They are simplified with shapely (topology kept) to about SIMPLIFY_TOLERANCE
degrees, which keeps 50 Chicago wards near 2,500 points (the SVG about 40 kB).

A district set never changes once imported, so its outline is kept per process by the
set's id. Nothing here writes or talks to the network. The words (the map's label, each
district's description, the legend's title) come from the caller, in the reader's
language: the map is the picture, the caller's table beside it its accessible
equivalent.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import shapely
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from shapely.geometry import MultiPolygon, Polygon

from groundswell.districts.models import District, DistrictSet

SIMPLIFY_TOLERANCE = 0.0005  # degrees, about 50 m in Chicago
WIDTH = 400.0  # the map's width in its own units; the height follows the shapes
# Five classes of a sequential blue scale (ColorBrewer "Blues"), lightest first; no
# signers at all is a neutral grey, so "none" never reads as "a few".
FILLS = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
EMPTY_FILL = "#e5e5e5"
STROKE = "#ffffff"

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class Area:
    """One district as drawn: its polygons, each an outer ring then its holes, in map units."""

    district: District
    polygons: tuple[tuple[Ring, ...], ...]

    @property
    def division_id(self) -> str:
        return self.district.division_id

    @property
    def number(self) -> int | None:
        return self.district.number

    def label(self) -> str:
        """ "Ward 12" in the reader's language (District.label)."""
        return self.district.label()

    def path(self) -> str:
        """The SVG path data: every ring closed, holes filled by the even-odd rule."""
        parts = []
        for polygon in self.polygons:
            for ring in polygon:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in ring[:-1])
                parts.append(f"M{points}Z")
        return "".join(parts)


@dataclass(frozen=True)
class Outline:
    """A district set projected for drawing: its size and its districts in map order."""

    set_id: int
    width: float
    height: float
    areas: tuple[Area, ...]


@dataclass(frozen=True)
class Classes:
    """Classed fills for values: the upper bound of each class, and its fill."""

    bounds: tuple[int, ...]  # inclusive upper bounds, ascending; values above 0 only
    fills: tuple[str, ...]

    def fill(self, value: int) -> str:
        if value <= 0:
            return EMPTY_FILL
        for bound, fill in zip(self.bounds, self.fills, strict=True):
            if value <= bound:
                return fill
        return self.fills[-1]

    def ranges(self) -> list[tuple[int, int, str]]:
        """(lowest, highest, fill) of each class in order, for a legend."""
        out = []
        low = 1
        for bound, fill in zip(self.bounds, self.fills, strict=True):
            out.append((low, bound, fill))
            low = bound + 1
        return out


_outlines: dict[int, Outline] = {}
_lock = threading.Lock()


def outline(district_set: DistrictSet) -> Outline:
    """The set's districts projected and simplified (built once per process and set)."""
    found = _outlines.get(district_set.pk)
    if found is not None:
        return found
    with _lock:
        found = _outlines.get(district_set.pk)
        if found is None:
            districts = list(
                District.objects.filter(set=district_set)
                .select_related("set")
                .order_by("number", "division_id")
            )
            found = _outlines[district_set.pk] = project(district_set.pk, districts)
    return found


def forget() -> None:
    """Drop the kept outlines (tests; a process never needs to)."""
    with _lock:
        _outlines.clear()


def project(set_id: int, districts: list[District], width: float = WIDTH) -> Outline:
    """Project and simplify the districts' shapes into a `width`-wide map."""
    geometries = [
        shapely.simplify(d.geometry, SIMPLIFY_TOLERANCE, preserve_topology=True) for d in districts
    ]
    if not geometries:
        return Outline(set_id=set_id, width=width, height=width / 2, areas=())
    west, south, east, north = shapely.total_bounds(geometries)
    x_scale = math.cos(math.radians((north + south) / 2))
    span_x = max((east - west) * x_scale, 1e-9)
    scale = width / span_x
    height = max((north - south) * scale, 1.0)

    def ring(coordinates: object) -> Ring:
        return [
            (round((lon - west) * x_scale * scale, 1), round((north - lat) * scale, 1))
            for lon, lat, *_ in coordinates  # type: ignore[attr-defined]
        ]

    areas = []
    for district, geometry in zip(districts, geometries, strict=True):
        polygons: list[Polygon] = []
        if isinstance(geometry, Polygon):
            polygons = [geometry]
        elif isinstance(geometry, MultiPolygon):
            polygons = list(geometry.geoms)
        areas.append(
            Area(
                district=district,
                polygons=tuple(
                    (
                        ring(p.exterior.coords),
                        *(ring(hole.coords) for hole in p.interiors),
                    )
                    for p in polygons
                    if not p.is_empty
                ),
            )
        )
    return Outline(set_id=set_id, width=width, height=round(height, 1), areas=tuple(areas))


def classify(values: Mapping[str, int], count: int = len(FILLS)) -> Classes:
    """Up to `count` classes of equal width over 1..the largest value, their bounds
    rounded up to whole numbers (a map of small counts gets fewer, narrower classes)."""
    top = max((v for v in values.values() if v > 0), default=0)
    if top <= 0:
        return Classes(bounds=(1,), fills=(FILLS[0],))
    count = max(1, min(count, top))
    bounds = tuple(sorted({math.ceil(top * (i + 1) / count) for i in range(count)}))
    fills = FILLS[len(FILLS) - len(bounds) :] if len(bounds) < len(FILLS) else FILLS
    return Classes(bounds=bounds, fills=tuple(fills[: len(bounds)]))


def choropleth(
    shapes: Outline,
    values: Mapping[str, int],
    *,
    label: str,
    describe: Callable[[Area, int], str],
    legend_title: str,
    legend_label: Callable[[int, int], str],
    empty_label: str,
    classes: Classes | None = None,
    element_id: str = "",
) -> SafeString:
    """The map as an inline SVG element: each district a <path> with a <title> (what
    `describe(area, value)` says), filled by its class, and a legend below it.

    `label` is the image's accessible name (role="img"); the table the caller puts
    beside it carries the numbers for anyone who cannot see the map.
    """
    classes = classes or classify(values)
    legend_rows = [(EMPTY_FILL, empty_label)] + [
        (fill, legend_label(low, high)) for low, high, fill in classes.ranges()
    ]
    row_height = 16.0
    legend_top = shapes.height + 12
    total_height = legend_top + 18 + row_height * len(legend_rows)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="district-map" role="img" '
        f'viewBox="0 0 {shapes.width:.0f} {total_height:.0f}" '
        f'aria-label="{escape(label)}"{_id(element_id)}>',
        f"<title>{escape(label)}</title>",
        f'<g stroke="{STROKE}" stroke-width="0.8" stroke-linejoin="round" fill-rule="evenodd">',
    ]
    for area in shapes.areas:
        value = int(values.get(area.division_id, 0))
        out.append(
            f'<path d="{area.path()}" fill="{classes.fill(value)}" '
            f'data-division="{escape(area.division_id)}" data-value="{value}">'
            f"<title>{escape(describe(area, value))}</title></path>"
        )
    out.append("</g>")
    out.append(
        f'<g font-size="11" font-family="sans-serif" fill="#222">'
        f'<text x="0" y="{legend_top + 10:.0f}" font-weight="bold">{escape(legend_title)}</text>'
    )
    for i, (fill, text) in enumerate(legend_rows):
        y = legend_top + 18 + i * row_height
        out.append(
            f'<rect x="0" y="{y:.0f}" width="14" height="12" fill="{fill}" '
            f'stroke="#767676" stroke-width="0.5"/>'
            f'<text x="20" y="{y + 10:.0f}">{escape(text)}</text>'
        )
    out.append("</g></svg>")
    return mark_safe("".join(out))  # every text above is escaped


def _id(element_id: str) -> str:
    return f' id="{escape(element_id)}"' if element_id else ""
