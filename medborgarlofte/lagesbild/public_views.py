"""Public pages of the lägesbild: "what we heard → what we promised" (no login)."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from medborgarlofte.accounts.public_cache import public_page
from medborgarlofte.privacy.gate import public_data

from . import queries
from .stamps import public_stamp


@require_safe
@public_page(public_stamp)
def chain(request, code, year):
    kommun = queries.municipality(code)
    if kommun is None:
        raise Http404
    found = queries.public_chain(kommun, year)
    if found is None:
        raise Http404("No published evidence chain for that year.")
    return render(
        request,
        "lagesbild/public_chain.html",
        {"municipality": kommun, "year": year, "chain": public_data(found)},
    )
