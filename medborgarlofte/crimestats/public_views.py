"""The public statistics page: the same aggregates as the internal page, with sources."""

from django.http import Http404
from django.shortcuts import render

from medborgarlofte.accounts.public_cache import public_page

from . import queries, stamps
from .pages import page_context


@public_page(stamps.public_stamp, stamps.priorities_stamp)
def statistics(request, code):
    kommun = queries.municipality_by_code(code)
    if kommun is None:
        raise Http404
    context = page_context(kommun, request.GET)
    context["public"] = True
    return render(request, "crimestats/statistics.html", context)
