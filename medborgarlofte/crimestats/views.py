"""Internal statistics pages: one kommun's crime statistics for a range of years."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from medborgarlofte.accounts import access
from medborgarlofte.reports.spreadsheets import SafeWriter

from .pages import page_context, period_from_request
from .summary import build_summary, to_json


@login_required
def statistics(request, code):
    kommun = access.get_municipality_for_user(request.user, code)
    context = page_context(kommun, request.GET)
    context["public"] = False
    return render(request, "crimestats/statistics.html", context)


@login_required
def download_summary(request, code, fmt):
    kommun = access.get_municipality_for_user(request.user, code)
    year_from, year_to, _form = period_from_request(kommun, request.GET)
    data = to_json(build_summary(kommun, year_from, year_to))
    name = f"brottsstatistik-{kommun.code}-{year_from}-{year_to}"
    if fmt == "json":
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        write_csv(response, data)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def write_csv(stream, data: dict) -> None:
    """The summary as CSV: one row per category and year; example data is labelled."""
    writer = SafeWriter(stream, delimiter=";")
    if data["example_data"]:
        writer.writerow([_("Example data")])
    writer.writerow(["kommunkod", "brottskategori", "år", "antal", "per 100 000", "folkmängd"])
    for category in data["categories"]:
        for year, count in category["counts"].items():
            rate = category["rates"].get(year)
            writer.writerow(
                [
                    data["municipality"],
                    category["name"],
                    year,
                    count,
                    "" if rate is None else f"{rate:.1f}".replace(".", ","),
                    data["population"].get(year, ""),
                ]
            )
    for source in data["sources"]:
        writer.writerow([source["text"]])
