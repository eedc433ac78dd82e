"""Simplify the kommun boundaries for offline maps: one small JSON file per kommun.

    .venv/bin/python scripts/simplify_boundaries.py ../shared/data/kommuner.geojson

Reads the GeoJSON of the 290 kommuner (okfse/sweden-geojson, WGS84, [lon, lat]) and
writes medborgarlofte/reports/data/kommuner/<kod>.json with the rings simplified by
Douglas–Peucker so that each kommun keeps at most MAX_POINTS points (the tolerance
starts at 0.0002° and doubles until it fits). Coordinates are rounded to 5 decimals
(about 1 m). Rings that collapse below 4 points are dropped, except the largest.
"""

import json
import math
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "medborgarlofte" / "reports" / "data" / "kommuner"
MAX_POINTS = 1500
ATTRIBUTION = (
    "Kommungränser: okfse/sweden-geojson (swedish_municipalities.geojson, efter "
    "Valmyndighetens data), förenklade med Douglas–Peucker"
)


def _distance(p, a, b) -> float:
    if a == b:
        return math.dist(p, a)
    (x, y), (x1, y1), (x2, y2) = p, a, b
    return abs((y2 - y1) * x - (x2 - x1) * y + x2 * y1 - y2 * x1) / math.dist(a, b)


def douglas_peucker(points: list, tolerance: float) -> list:
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        index, worst = None, tolerance
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > worst:
                index, worst = i, d
        if index is not None:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    return [p for p, k in zip(points, keep, strict=True) if k]


def rings_of(geometry) -> list:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def simplify(rings: list) -> list:
    tolerance = 0.0002
    while True:
        out = [douglas_peucker(ring, tolerance) for ring in rings]
        largest = max(range(len(out)), key=lambda i: len(rings[i]))
        out = [r for i, r in enumerate(out) if len(r) >= 4 or i == largest]
        if sum(len(r) for r in out) <= MAX_POINTS:
            return [[[round(x, 5), round(y, 5)] for x, y in ring] for ring in out]
        tolerance *= 2


def main(source: str) -> None:
    data = json.loads(Path(source).read_text(encoding="utf-8"))
    OUT.mkdir(parents=True, exist_ok=True)
    total = 0
    for feature in data["features"]:
        props = feature["properties"]
        rings = simplify(rings_of(feature["geometry"]))
        total += sum(len(r) for r in rings)
        document = {
            "code": props["id"],
            "name": props["kom_namn"],
            "source": ATTRIBUTION,
            "rings": rings,
        }
        (OUT / f"{props['id']}.json").write_text(
            json.dumps(document, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
    print(f"{len(data['features'])} kommuner, {total} points in {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/kommuner.geojson")
