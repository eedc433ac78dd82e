"""Public aggregates of EST incidents: counts per category (and place), small cells hidden."""

from django.shortcuts import render
from django.utils import timezone

from medborgarlofte.accounts.public_cache import public_page

from . import queries
from .stamps import public_stamp


@public_page(public_stamp, store=False)
def week(request, code, year, week):
    kommun = queries.public_municipality(code)
    data = queries.public_week(kommun, year, week)
    return render(
        request,
        "incidents/public_period.html",
        {"municipality": kommun, "data": data, "year": year, "week": week, "now": timezone.now()},
    )


@public_page(public_stamp, store=False)
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
