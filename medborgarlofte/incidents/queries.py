"""Public read queries: aggregates only, small cells suppressed (privacy.suppression).

No descriptions, no points, no reporters: only counts per category (and per named
place for the tertial, where counts are larger), with cells of 1–4 hidden.
"""

import datetime
from collections import Counter

from django.http import Http404

from medborgarlofte.kommuner.models import Municipality
from medborgarlofte.privacy.suppression import suppress, suppress_total

from .models import Incident, IncidentCategory
from .tertial import tertial_range
from .weekly import week_start


def public_municipality(code: str) -> Municipality:
    kommun = Municipality.objects.filter(code=code).first()
    if kommun is None:
        raise Http404
    return kommun


def _aggregate(kommun, start, end) -> dict:
    rows = (
        Incident.objects.filter(municipality=kommun, date__gte=start, date__lt=end)
        .exclude(status=Incident.Status.DUPLICATE)
        .values_list("category_id", "place__name", "is_example")
    )
    by_category, by_place, examples = Counter(), Counter(), False
    for category_id, place_name, example in rows:
        by_category[category_id] += 1
        if place_name:
            by_place[place_name] += 1
        examples = examples or example
    names = dict(IncidentCategory.objects.filter(municipality=kommun).values_list("pk", "name"))
    categories = suppress({names.get(k, "?"): v for k, v in by_category.items()})
    places = suppress(dict(by_place))
    total = sum(by_category.values())
    return {
        "categories": sorted(categories.items(), key=lambda kv: kv[0]),
        "places": sorted(
            ((k, v) for k, v in places.items() if v is not None), key=lambda kv: -kv[1]
        ),
        "hidden_places": sum(1 for v in places.values() if v is None),
        "total": suppress_total(total),
        "has_examples": examples,
        "start": start,
        "end": end - datetime.timedelta(days=1),
    }


def public_week(kommun, year: int, week: int) -> dict:
    try:
        start = week_start(year, week)
    except ValueError as exc:
        raise Http404 from exc
    return _aggregate(kommun, start, start + datetime.timedelta(days=7))


def public_tertial(kommun, year: int, tertial: int) -> dict:
    if tertial not in (1, 2, 3) or not 2000 <= year <= 2100:
        raise Http404
    start, end = tertial_range(year, tertial)
    return _aggregate(kommun, start, end)
