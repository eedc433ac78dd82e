"""Internal statistics pages: one kommun's crime statistics for a range of years."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from medborgarlofte.accounts import access
from medborgarlofte.importing.problems import ImportProblems
from medborgarlofte.privacy import uploads
from medborgarlofte.reports.spreadsheets import SafeWriter

from . import operator
from .forms import NationalFileForm
from .pages import page_context, period_from_request
from .summary import build_summary, to_json


@login_required
def statistics(request, code):
    kommun = access.get_municipality_for_user(request.user, code)
    context = page_context(kommun, request.GET, peers=True)
    context["public"] = False
    context["freshness"] = operator.freshness()
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


def _require_operator(user) -> None:
    """National files are the operator's (Django staff or superuser), not a kommun's."""
    if not (user.is_active and (user.is_staff or user.is_superuser)):
        raise PermissionDenied


@login_required
def national_upload(request):
    """Upload a national file and preview what it would change, per kommun."""
    _require_operator(request.user)
    form = NationalFileForm(request.POST or None, request.FILES or None)
    context = {"form": form, "preview": None, "problems": [], "token": ""}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kind, year = form.cleaned_data["kind"], form.cleaned_data["year"]
        try:
            data = uploads.read_upload(upload, uploads.web_limits())
            context["preview"] = operator.preview(kind, data, upload.name, year)
        except ImportProblems as exc:
            context["problems"] = exc.lines()
        except uploads.UploadRefused as exc:
            context["problems"] = [str(exc)]
        else:
            context["token"] = operator.save_upload(request.user, kind, year, upload.name, data)
    context["freshness"] = operator.freshness()
    return render(request, "crimestats/national_upload.html", context)


@login_required
@require_POST
def national_import(request):
    """Import the previewed file: all or nothing."""
    _require_operator(request.user)
    token = request.POST.get("token", "")
    upload = operator.load_upload(token, request.user)
    if upload is None:
        messages.error(
            request, _("The uploaded file is gone (older than an hour): upload it again.")
        )
        return redirect("crimestats:national-upload")
    try:
        result = operator.import_file(
            upload["kind"], upload["content"], upload["name"], upload["year"], request.user
        )
    except (ImportProblems, uploads.UploadRefused) as exc:
        messages.error(request, str(exc))
        return redirect("crimestats:national-upload")
    operator.delete_upload(token)
    for line in result.summary_lines():
        messages.success(request, line)
    return redirect("crimestats:national-upload")
