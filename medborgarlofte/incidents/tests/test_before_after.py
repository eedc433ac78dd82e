"""Before and after at a place (incidents/before_after.py) against an independent
computation on a small fixture (issue 15, item 5)."""

import datetime
import math

import pytest
from django.utils import timezone

from medborgarlofte.incidents import before_after
from medborgarlofte.incidents.models import Incident, IncidentCategory, PoliceEvent, Report
from medborgarlofte.kommuner.models import Municipality, Place

D = datetime.date
START, END, TODAY = D(2024, 3, 1), D(2024, 3, 31), D(2024, 6, 1)
# The window before: the 31 days just before 1 March 2024 (a leap year).
BEFORE = D(2024, 1, 30)
# A square around Mullsjö centrum: [longitude, latitude] pairs.
SQUARE = [[[13.87, 57.91], [13.89, 57.91], [13.89, 57.92], [13.87, 57.92], [13.87, 57.91]]]


def _binom_cdf(k: int, n: int, p: float) -> float:
    return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k + 1))


def _root(f, target: float) -> float:
    """The p in [0, 1] where the monotone f(p) equals target, by bisection."""
    low, high = 0.0, 1.0
    rising = f(high) > f(low)
    for _ in range(100):
        mid = (low + high) / 2
        low, high = (mid, high) if (f(mid) < target) == rising else (low, mid)
    return (low + high) / 2


def _clopper_pearson_by_summation(a: int, n: int) -> tuple[float, float]:
    """The exact interval from its definition, summing binomial terms (no beta function):
    P(X ≥ a | p_low) = 0.025 and P(X ≤ a | p_high) = 0.025."""
    p_low = _root(lambda p: 1 - _binom_cdf(a - 1, n, p), 0.025) if a else 0.0
    p_high = _root(lambda p: _binom_cdf(a, n, p), 0.025) if a < n else 1.0
    return p_low, p_high


@pytest.fixture
def fixture(db, mullsjo, reporter):
    jonkoping = Municipality.objects.get(code="0680")
    centrum = Place.objects.create(
        municipality=mullsjo,
        name="Mullsjö centrum",
        aliases=["Torget"],
        polygon=SQUARE,
        latitude=57.915,
        longitude=13.88,
    )
    station = Place.objects.create(municipality=mullsjo, name="Stationsområdet")
    elsewhere = Place.objects.create(municipality=jonkoping, name="Mullsjö centrum")
    category = IncidentCategory.objects.create(municipality=mullsjo, key="k", name="Klotter")
    other_category = IncidentCategory.objects.create(municipality=jonkoping, key="k", name="K")
    report = Report.objects.create(municipality=mullsjo, reporter=reporter, organisation="X")
    other_report = Report.objects.create(
        municipality=jonkoping, reporter=reporter, organisation="X"
    )

    def incident(day, place=None, point=(None, None), status="new", kommun=mullsjo):
        Incident.objects.create(
            municipality=kommun,
            report=report if kommun == mullsjo else other_report,
            reporter=reporter,
            category=category if kommun == mullsjo else other_category,
            place=place,
            latitude=point[0],
            longitude=point[1],
            date=day,
            status=status,
        )

    # Counted before (12): 9 naming the place, 3 given as a point inside the polygon.
    for i in range(9):
        incident(BEFORE + datetime.timedelta(days=i * 3), place=centrum)
    for day in (BEFORE, D(2024, 2, 15), D(2024, 2, 29)):
        incident(day, point=(57.915, 13.885))
    # Counted after (4): 3 naming the place, 1 point inside.
    for day in (START, D(2024, 3, 10), END):
        incident(day, place=centrum)
    incident(D(2024, 3, 20), point=(57.9125, 13.8725))
    # Not counted: another place, a point outside, a duplicate, outside both windows,
    # and another kommun's place of the same name.
    incident(D(2024, 3, 5), place=station)
    incident(D(2024, 3, 5), point=(57.93, 13.885))
    incident(D(2024, 3, 5), place=centrum, status="duplicate")
    incident(D(2024, 1, 29), place=centrum)
    incident(D(2024, 4, 1), place=centrum)
    incident(D(2024, 3, 5), place=elsewhere, kommun=jonkoping)

    def event(event_id, day, summary, kommun=mullsjo, is_summary=False):
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 30)))
        PoliceEvent.objects.create(
            event_id=event_id,
            municipality=kommun,
            published_at=at,
            occurred_at=at,
            name=f"{day.day} mars 23.30, Skadegörelse, Mullsjö",
            summary=summary,
            url="/aktuellt/handelser/2024/",
            type="Skadegörelse",
            location_name="Mullsjö",
            is_summary=is_summary,
        )

    # Police: 2 before (name, alias), 5 after (late evening of the last day included).
    event(1, D(2024, 2, 3), "Fönster krossat i Mullsjö centrum.")
    event(2, D(2024, 2, 29), "Klotter vid torget.")
    for i, day in enumerate((START, D(2024, 3, 2), D(2024, 3, 9), D(2024, 3, 30), END)):
        event(10 + i, day, "Bråk på Torget under natten.")
    # Not counted: no whole-word match, a summary, another kommun, outside the windows.
    event(20, D(2024, 3, 5), "Skadegörelse på Torgetgatan.")
    event(21, D(2024, 3, 5), "Mullsjö centrum", is_summary=True)
    event(22, D(2024, 3, 5), "Mullsjö centrum", kommun=jonkoping)
    event(23, D(2024, 4, 1), "Mullsjö centrum")
    return centrum


def test_before_after_matches_an_independent_computation(fixture):
    c = before_after.compare_place(fixture, START, END, today=TODAY)
    assert (c.before_start, c.before_end, c.days, c.running) == (BEFORE, D(2024, 2, 29), 31, False)
    assert (c.est.before, c.est.after) == (12, 4)
    assert (c.police.before, c.police.after) == (2, 5)

    # a = 4 after, b = 12 before, equal lengths: RR = 4/12; conditional on n = 16,
    # a ~ Bin(16, p) with RR = p / (1 − p). Interval by summing binomial terms.
    p_low, p_high = _clopper_pearson_by_summation(4, 16)
    assert c.est.ratio == pytest.approx(1 / 3)
    assert c.est.low == pytest.approx(p_low / (1 - p_low), rel=1e-6)
    assert c.est.high == pytest.approx(p_high / (1 - p_high), rel=1e-6)
    # Written down: p in 0.0727–0.5238 (Clopper–Pearson, what R's binom.test(4, 16)
    # reports), so RR in 0.0784–1.0998: a fall to a third, but the interval holds 1.
    assert (round(c.est.low, 4), round(c.est.high, 4)) == (0.0784, 1.0998)
    assert not c.est.significant and not c.est.too_small

    # 7 police events in all: too small to say anything, whatever the ratio.
    assert c.police.ratio == pytest.approx(2.5) and c.police.too_small
    assert not c.police.significant


def test_a_running_window_stops_today_and_the_future_gives_nothing(fixture):
    c = before_after.compare_place(fixture, START, D(2024, 12, 31), today=D(2024, 3, 10))
    assert c.running and (c.end, c.days, c.before_start) == (D(2024, 3, 10), 10, D(2024, 2, 20))
    assert before_after.compare_place(fixture, D(2025, 1, 1), D(2025, 2, 1), today=TODAY) is None
