"""Offline SVG maps of a kommun: boundary, points and grid cells. No tile server.

    svg = kommun_map("0642", points=[MapPoint(57.917, 13.879, 4, "Mullsjö centrum")])

The boundary comes from reports/data/kommuner/<kod>.json (see its README). Coordinates
are projected equirectangularly with the x axis scaled by cos(latitude of the centre),
which is accurate to well under a percent across one kommun. The SVG is inline (no
external resource) so it works in the PDF and without network; an optional background
image URL (a WMS-style URL with {west},{south},{east},{north},{width},{height}) is put
behind the boundary in HTML only.
"""

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

from django.utils.html import escape

DATA_DIR = Path(__file__).resolve().parent / "data" / "kommuner"
WIDTH = 640
MARGIN = 12


@dataclass
class MapPoint:
    latitude: float
    longitude: float
    count: int
    label: str = ""
    highlight: bool = False


@dataclass
class MapCell:
    south: float
    west: float
    north: float
    east: float
    count: int
    label: str = ""
    highlight: bool = False


@functools.lru_cache(maxsize=64)
def boundary(code: str) -> dict | None:
    if not code.isdigit():
        return None
    path = DATA_DIR / f"{code}.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


MAX_HEIGHT = 520


class Projection:
    def __init__(self, rings: list, extra: list[tuple[float, float]] = (), pad: float = 0.0):
        lons = [x for ring in rings for x, _y in ring] + [lon for _lat, lon in extra]
        lats = [y for ring in rings for _x, y in ring] + [lat for lat, _lon in extra]
        self.west, self.east = min(lons) - 2 * pad, max(lons) + 2 * pad
        self.south, self.north = min(lats) - pad, max(lats) + pad
        self.kx = math.cos(math.radians((self.south + self.north) / 2))
        span_x = max((self.east - self.west) * self.kx, 1e-6)
        span_y = max(self.north - self.south, 1e-6)
        self.scale = min((WIDTH - 2 * MARGIN) / span_x, (MAX_HEIGHT - 2 * MARGIN) / span_y)
        self.width = round(span_x * self.scale + 2 * MARGIN)
        self.height = round(span_y * self.scale + 2 * MARGIN)

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        x = MARGIN + (lon - self.west) * self.kx * self.scale
        y = MARGIN + (self.north - lat) * self.scale
        return round(x, 1), round(y, 1)


def _path(projection: Projection, rings: list) -> str:
    parts = []
    for ring in rings:
        coords = [projection.xy(lat, lon) for lon, lat in ring]
        parts.append("M" + " L".join(f"{x},{y}" for x, y in coords) + " Z")
    return " ".join(parts)


def _radius(count: int, biggest: int) -> float:
    return round(4 + 14 * math.sqrt(count / max(biggest, 1)), 1)


def kommun_map(
    code: str,
    *,
    points: list[MapPoint] = (),
    cells: list[MapCell] = (),
    title: str = "",
    background_url: str = "",
    focus: bool = False,
) -> str:
    """An inline SVG (safe to mark_safe: every text is escaped). With focus=True the map
    shows only the area around the points and cells (the boundary is clipped)."""
    data = boundary(code)
    rings = data["rings"] if data else []
    extra = [(p.latitude, p.longitude) for p in points] + [
        corner for c in cells for corner in ((c.south, c.west), (c.north, c.east))
    ]
    if not rings and not extra:
        return ""
    if focus and extra:
        projection = Projection([], extra, pad=0.004)
    else:
        projection = Projection(rings or [[[lon, lat] for lat, lon in extra]], extra)
    h, w = projection.height, projection.width
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kommun-map" viewBox="0 0 {w} {h}" '
        f'width="{w}" height="{h}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    if background_url:
        url = background_url.format(
            west=projection.west,
            south=projection.south,
            east=projection.east,
            north=projection.north,
            width=w,
            height=h,
        )
        out.append(
            f'<image href="{escape(url)}" x="0" y="0" width="{w}" height="{h}" opacity="0.6"/>'
        )
    if rings:
        out.append(
            f'<path d="{_path(projection, rings)}" fill="#f2f5f0" stroke="#4a5a48" '
            'stroke-width="1.5" fill-rule="evenodd"/>'
        )
    for cell in cells:
        x1, y1 = projection.xy(cell.north, cell.west)
        x2, y2 = projection.xy(cell.south, cell.east)
        colour = "#b3261e" if cell.highlight else "#1f5fa8"
        out.append(
            f'<rect x="{x1}" y="{y1}" width="{max(x2 - x1, 3)}" height="{max(y2 - y1, 3)}" '
            f'fill="{colour}" fill-opacity="0.55"><title>{escape(cell.label)}: {cell.count}</title></rect>'
        )
    biggest = max([p.count for p in points] or [1])
    for point in sorted(points, key=lambda p: -p.count):
        x, y = projection.xy(point.latitude, point.longitude)
        colour = "#b3261e" if point.highlight else "#1f5fa8"
        out.append(
            f'<g><circle cx="{x}" cy="{y}" r="{_radius(point.count, biggest)}" fill="{colour}" '
            f'fill-opacity="0.6" stroke="#fff" stroke-width="1"/>'
            f'<text x="{x}" y="{y + 4}" text-anchor="middle" font-size="11" fill="#000">{point.count}</text>'
            f"<title>{escape(point.label)}: {point.count}</title></g>"
        )
    out.append("</svg>")
    return "".join(out)


def picker_map(code: str, *, places: list[MapPoint] = (), title: str = "") -> str:
    """The kommun map for choosing a point by tapping it (static/js/place-map.js).

    The <svg> carries its projection as data attributes (west, north, kx, scale, margin),
    so that the script turns a tap into latitude and longitude without a server round
    trip; gazetteer places are drawn as small labelled dots for orientation. The point
    chosen is generalised by the server like a typed one. Empty when the kommun has no
    boundary."""
    data = boundary(code)
    if not data:
        return ""
    rings = data["rings"]
    projection = Projection(rings)
    h, w = projection.height, projection.width
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kommun-map place-picker" '
        f'viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        f'aria-label="{escape(title)}" data-west="{projection.west}" '
        f'data-north="{projection.north}" data-kx="{projection.kx}" '
        f'data-scale="{projection.scale}" data-margin="{MARGIN}">',
        f"<title>{escape(title)}</title>",
        f'<path d="{_path(projection, rings)}" fill="#f2f5f0" stroke="#4a5a48" '
        'stroke-width="1.5" fill-rule="evenodd"/>',
    ]
    for place in places:
        x, y = projection.xy(place.latitude, place.longitude)
        out.append(
            f'<g class="picker-place"><circle cx="{x}" cy="{y}" r="3" fill="#4a5a48"/>'
            f'<text x="{x + 5}" y="{y - 4}" font-size="11" fill="#1b1b1b">{escape(place.label)}</text>'
            "</g>"
        )
    out.append("</svg>")
    return "".join(out)
