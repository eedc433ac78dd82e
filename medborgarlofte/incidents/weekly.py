"""The weekly lägesbild of a kommun (plain functions: data in, data out).

One kommun's week reads only that kommun's rows of the last nine weeks through the
index (municipality, date), so it costs the same whatever the national total.

Hotspots (docs/incidents.md): for each place (or grid cell, for events given as a
point) the baseline rate is λ = (B + 0.5) / 8, B = its events in the 8 weeks before;
the week's count k is unusual when k ≥ MIN_COUNT and P(X ≥ k | Poisson(λ)) < ALPHA.
"""

import datetime
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from medborgarlofte.reports.maps import MapCell, MapPoint, kommun_map

from .models import (
    CELL_LAT,
    CELL_LON,
    Incident,
    IncidentCategory,
    MeetingAction,
    PoliceEvent,
    grid_cell,
)

BASELINE_WEEKS = 8
COMPARE_WEEKS = 4
MIN_COUNT = 3
ALPHA = 0.01


def week_start(iso_year: int, iso_week: int) -> datetime.date:
    return datetime.date.fromisocalendar(iso_year, iso_week, 1)


def current_week(today: datetime.date | None = None) -> tuple[int, int]:
    from django.utils import timezone

    year, week, _day = (today or timezone.localdate()).isocalendar()
    return year, week


def shift_week(iso_year: int, iso_week: int, weeks: int) -> tuple[int, int]:
    year, week, _day = (
        week_start(iso_year, iso_week) + datetime.timedelta(weeks=weeks)
    ).isocalendar()
    return year, week


def _aware(day: datetime.date) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def poisson_sf(k: int, lam: float) -> float:
    """P(X ≥ k) for X ~ Poisson(lam), exact for the small k of one week."""
    if k <= 0:
        return 1.0
    term = math.exp(-lam)
    below = term
    for i in range(1, k):
        term *= lam / i
        below += term
    return max(0.0, 1.0 - below)


@dataclass
class Unit:
    """A place or a grid cell, with its weekly counts (index 0 = the week)."""

    key: tuple
    label: str
    latitude: float | None = None
    longitude: float | None = None
    weeks: Counter = field(default_factory=Counter)

    @property
    def count(self) -> int:
        return self.weeks[0]

    @property
    def baseline_total(self) -> int:
        return sum(self.weeks[-i] for i in range(1, BASELINE_WEEKS + 1))

    @property
    def expected(self) -> float:
        return (self.baseline_total + 0.5) / BASELINE_WEEKS

    @property
    def p_value(self) -> float:
        return poisson_sf(self.count, self.expected)

    @property
    def is_hotspot(self) -> bool:
        return self.count >= MIN_COUNT and self.p_value < ALPHA


def _rows(municipality, start: datetime.date):
    since = start - datetime.timedelta(weeks=BASELINE_WEEKS)
    until = start + datetime.timedelta(weeks=1)
    return list(
        Incident.objects.filter(municipality=municipality, date__gte=since, date__lt=until)
        .exclude(status=Incident.Status.DUPLICATE)
        .values_list("date", "category_id", "place_id", "latitude", "longitude", "is_example")
    )


def _units(rows, start, places: dict) -> dict:
    units: dict = {}
    for date, _category, place_id, lat, lon, _example in rows:
        index = (date - start).days // 7
        if place_id is not None:
            place = places.get(place_id)
            key = ("place", place_id)
            if key not in units:
                units[key] = Unit(
                    key,
                    place.name if place else "?",
                    getattr(place, "latitude", None),
                    getattr(place, "longitude", None),
                )
        elif lat is not None:
            cell = grid_cell(lat, lon)
            key = ("cell", cell)
            if key not in units:
                units[key] = Unit(
                    key, _("Grid cell %(lat).4f, %(lon).4f") % {"lat": lat, "lon": lon}, lat, lon
                )
        else:
            continue
        units[key].weeks[index] += 1
    return units


def _category_rows(rows, start, categories) -> list[dict]:
    weeks = defaultdict(Counter)
    for date, category_id, *_rest in rows:
        weeks[category_id][(date - start).days // 7] += 1
    out = []
    for category in categories:
        counts = weeks.get(category.pk, Counter())
        if not counts and not category.active:
            continue
        previous = sum(counts[-i] for i in range(1, COMPARE_WEEKS + 1)) / COMPARE_WEEKS
        out.append(
            {
                "category": category,
                "count": counts[0],
                "previous_mean": previous,
                "change": counts[0] - previous,
                "series": [counts[-i] for i in range(BASELINE_WEEKS, -1, -1)],
            }
        )
    return out


def weekly_lagesbild(
    municipality, iso_year: int, iso_week: int, *, places=None, map_title=""
) -> dict:
    """Everything the weekly page and its PDF show."""
    from medborgarlofte.kommuner.models import Place

    start = week_start(iso_year, iso_week)
    end = start + datetime.timedelta(days=7)
    rows = _rows(municipality, start)
    categories = list(IncidentCategory.objects.filter(municipality=municipality))
    if places is None:
        places = {p.pk: p for p in Place.objects.filter(municipality=municipality)}
    units = _units(rows, start, places)
    week_units = sorted((u for u in units.values() if u.count), key=lambda u: (-u.count, u.label))
    total = sum(1 for r in rows if r[0] >= start)
    previous = sum(
        1 for r in rows if start - datetime.timedelta(weeks=COMPARE_WEEKS) <= r[0] < start
    )
    police = PoliceEvent.objects.filter(
        municipality=municipality,
        occurred_at__gte=_aware(start),
        occurred_at__lt=_aware(end),
        is_summary=False,
    ).order_by("occurred_at")
    return {
        "iso_year": iso_year,
        "iso_week": iso_week,
        "start": start,
        "end": end - datetime.timedelta(days=1),
        "total": total,
        "previous_mean": previous / COMPARE_WEEKS,
        "by_category": _category_rows(rows, start, categories),
        "by_place": week_units,
        "hotspots": [u for u in week_units if u.is_hotspot],
        "unplaced": sum(1 for r in rows if r[0] >= start and r[2] is None and r[3] is None),
        "has_examples": any(r[5] for r in rows if r[0] >= start),
        "police_events": list(police),
        "open_actions": list(
            MeetingAction.objects.filter(
                municipality=municipality, status=MeetingAction.Status.OPEN
            )
            .select_related("place", "meeting")
            .order_by("due", "id")
        ),
        "map_svg": week_map(municipality.code, week_units, map_title),
        "focus_map_svg": week_map(
            municipality.code, week_units, close_up_title(map_title), focus=True
        ),
        "method": {"baseline_weeks": BASELINE_WEEKS, "min_count": MIN_COUNT, "alpha": ALPHA},
    }


def close_up_title(title: str) -> str:
    """The close-up map's own title (issue 18: every map has a title)."""
    label = _("Close-up of the area with events")
    return f"{title} – {label}" if title else label


def week_map(code: str, units: list[Unit], title: str, focus: bool = False) -> str:
    points, cells = [], []
    for unit in units:
        if unit.key[0] == "place" and unit.latitude is not None:
            points.append(
                MapPoint(unit.latitude, unit.longitude, unit.count, unit.label, unit.is_hotspot)
            )
        elif unit.key[0] == "cell":
            south, west = unit.key[1][0] * CELL_LAT, unit.key[1][1] * CELL_LON
            cells.append(
                MapCell(
                    south,
                    west,
                    south + CELL_LAT,
                    west + CELL_LON,
                    unit.count,
                    unit.label,
                    unit.is_hotspot,
                )
            )
    if focus and not (points or cells):
        return ""
    return kommun_map(code, points=points, cells=cells, title=title, focus=focus)
