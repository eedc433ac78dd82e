"""Public aggregates of EST incidents: counts per category (and place), small cells hidden."""

from django.shortcuts import render
from django.utils import timezone

from . import queries


def week(request, code, year, week):
    kommun = queries.public_municipality(code)
    data = queries.public_week(kommun, year, week)
    return render(
        request,
        "incidents/public_period.html",
        {"municipality": kommun, "data": data, "year": year, "week": week, "now": timezone.now()},
    )


def tertial(request, code, year, tertial):
    kommun = queries.public_municipality(code)
    data = queries.public_tertial(kommun, year, tertial)
    return render(
        request,
        "incidents/public_period.html",
        {
            "municipality": kommun,
            "data": data,
            "year": year,
            "tertial": tertial,
            "now": timezone.now(),
        },
    )
