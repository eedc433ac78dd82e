"""Before and after at a place: EST incidents and police events in a time window
compared with the window of the same length just before it (issue 15, item 5).

A plain function: the caller (a measure of the åtgärdsplan, a follow-up activity) passes
the place and the dates; this module knows nothing of measures or commitments
(docs/decisions/0004-layers.md). The method is in docs/incidents.md, "Before and after
at a place".

- After window: `start`..`end` (both included); when `end` is after today the window
  stops at today and the comparison says it is still running.
- Before window: the same number of days immediately before `start`.
- EST incidents (not duplicates) of the place's kommun count when they name the place,
  or, given only as a point, when the (generalised) point lies inside the place's
  polygon, or within `RADIUS_M` of the place's point when it has no polygon.
- Police events (not summaries) of the kommun count when the place's name or one of its
  aliases appears as a word in the event's title or summary. Polisen's coordinates are
  the centre of the kommun, never of the event, so they say nothing about the place.
- Each source is compared on its own: rate ratio RR = after / before (equal lengths)
  with the exact 95 % interval of `tertial.rate_ratio_interval` (conditional binomial,
  Clopper–Pearson). Fewer than `MIN_TOTAL` events in all, or none on one side, and
  the comparison says the numbers are too small to say anything.
"""

import datetime
import math
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medborgarlofte.kommuner.models import Place

from .models import Incident, PoliceEvent
from .tertial import rate_ratio_interval

# A single-day activity is compared over this many days from its date (and as many before).
ACTIVITY_WINDOW_DAYS = 90
# Below this total (before + after), or with 0 on either side: too small to say anything.
MIN_TOTAL = 10
# A point-only incident belongs to a place without a polygon within this distance
# (about one grid cell: the stored points are generalised to ≈ 280 × 290 m cells).
RADIUS_M = 300
EARTH_RADIUS_M = 6_371_000


@dataclass(frozen=True)
class SourceComparison:
    before: int
    after: int
    ratio: float | None  # None when before = 0
    low: float | None  # None when there are no events at all
    high: float | None  # None when infinite (before = 0) or no events at all

    @property
    def total(self) -> int:
        return self.before + self.after

    @property
    def too_small(self) -> bool:
        return self.total < MIN_TOTAL or self.before == 0 or self.after == 0

    @property
    def significant(self) -> bool:
        if self.too_small or self.low is None:
            return False
        return self.low > 1 or (self.high is not None and self.high < 1)


@dataclass(frozen=True)
class Comparison:
    place: Place
    before_start: datetime.date
    before_end: datetime.date
    start: datetime.date
    end: datetime.date  # the last day counted (today at the latest)
    running: bool  # the window goes on after today
    est: SourceComparison
    police: SourceComparison
    has_examples: bool

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def sources(self) -> list[tuple[str, SourceComparison]]:
        return [(_("EST incidents"), self.est), (_("Police events"), self.police)]

    min_total = MIN_TOTAL


def activity_window(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The after window of a one-day activity: its date and the days after it."""
    return day, day + datetime.timedelta(days=ACTIVITY_WINDOW_DAYS - 1)


def compare_place(
    place: Place, start: datetime.date, end: datetime.date, *, today: datetime.date | None = None
) -> Comparison | None:
    """The comparison, or None when the window has not started yet (nothing to compare)."""
    today = today or timezone.localdate()
    if start > today or end < start:
        return None
    running = end > today
    end = min(end, today)
    length = datetime.timedelta(days=(end - start).days + 1)
    before_start, before_end = start - length, start - datetime.timedelta(days=1)
    est_before, est_after, examples = _incident_counts(place, before_start, start, end)
    police_before, police_after = _police_counts(place, before_start, start, end)
    return Comparison(
        place=place,
        before_start=before_start,
        before_end=before_end,
        start=start,
        end=end,
        running=running,
        est=_compare(est_before, est_after),
        police=_compare(police_before, police_after),
        has_examples=examples,
    )


def _compare(before: int, after: int) -> SourceComparison:
    ratio, low, high = rate_ratio_interval(after, before)
    return SourceComparison(
        before=before,
        after=after,
        ratio=ratio,
        low=None if low is None else float(low),
        high=None if high is None else float(high),
    )


def _incident_counts(place, before_start, start, end) -> tuple[int, int, bool]:
    rows = (
        Incident.objects.filter(
            municipality_id=place.municipality_id, date__gte=before_start, date__lte=end
        )
        .exclude(status=Incident.Status.DUPLICATE)
        .values_list("date", "place_id", "latitude", "longitude", "is_example")
    )
    before = after = 0
    examples = False
    for day, place_id, lat, lon, example in rows:
        if place_id == place.pk or (place_id is None and point_at_place(place, lat, lon)):
            if day < start:
                before += 1
            else:
                after += 1
            examples = examples or example
    return before, after, examples


def point_at_place(place, latitude, longitude) -> bool:
    if latitude is None or longitude is None:
        return False
    if place.polygon:
        rings = place.polygon
        return _in_ring(rings[0], longitude, latitude) and not any(
            _in_ring(hole, longitude, latitude) for hole in rings[1:]
        )
    if place.latitude is None or place.longitude is None:
        return False
    return distance_m(place.latitude, place.longitude, latitude, longitude) <= RADIUS_M


def _in_ring(ring, x, y) -> bool:
    """Ray casting: is (x, y) = (lon, lat) inside the closed ring of [lon, lat] pairs?"""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def distance_m(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance (haversine) in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def place_pattern(place) -> re.Pattern | None:
    """The place's name and aliases as whole words, case-insensitive."""
    names = [n.strip() for n in [place.name, *(place.aliases or [])] if n and n.strip()]
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _police_counts(place, before_start, start, end) -> tuple[int, int]:
    pattern = place_pattern(place)
    if pattern is None:
        return 0, 0
    rows = PoliceEvent.objects.filter(
        municipality_id=place.municipality_id,
        is_summary=False,
        occurred_at__gte=_aware(before_start),
        occurred_at__lt=_aware(end + datetime.timedelta(days=1)),
    ).values_list("occurred_at", "name", "summary")
    before = after = 0
    for occurred, name, summary in rows:
        if pattern.search(name) or pattern.search(summary):
            if timezone.localtime(occurred).date() < start:
                before += 1
            else:
                after += 1
    return before, after
