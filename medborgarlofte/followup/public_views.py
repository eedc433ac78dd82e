"""Public follow-up: the citizen page, Atom feeds, open data (CSV, JSON), the public
yearly report PDF and the JSON API. Published follow-ups only (see queries.py)."""

from django.core.cache import caches
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.functional import SimpleLazyObject
from django.utils.html import linebreaks
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from medborgarlofte.accounts.public_cache import public_page
from medborgarlofte.privacy.gate import public_text

from . import queries
from .charts import add_charts
from .models import period_label
from .report import report_context, report_pdf
from .stamps import public_stamp

JSON = {"json_dumps_params": {"ensure_ascii": False}}


def _published(code: str, year: int):
    version = queries.published_version(code, year)
    if version is None:
        raise Http404(_("No published citizen promise for that year."))
    return version.agreement, version


def _why_url(code: str, year: int) -> str | None:
    """The lägesbild's public "why" page, when that app provides one."""
    for name, args in (
        ("lagesbild_public:chain", [code, year]),
        ("lagesbild_public:why", [code, year]),
        ("lagesbild_public:agreement-why", [code, year]),
        ("lagesbild_public:why", [code]),
    ):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return None


def _citizen_groups(followups):
    groups = queries.citizen_rows(followups)
    return add_charts({"groups": groups})["groups"]


@require_safe
@public_page(public_stamp)
def citizen_page(request, code, year):
    agreement, version = _published(code, year)
    followups = queries.published_followups(agreement, with_snapshot=False)
    context = {
        "agreement": agreement,
        "version": version,
        "municipality": version.municipality,
        "year": agreement.year,
        "followups": followups,
        "cache_key": queries.cache_key(agreement, followups),
        "groups": SimpleLazyObject(lambda: _citizen_groups(queries.published_followups(agreement))),
        "next_followup": queries.next_followup(agreement, followups),
        "why_url": _why_url(code, year),
        "is_example": any(f.is_example for f in followups),
    }
    return render(request, "followup/citizen.html", context)


@csrf_exempt  # read-only (require_safe): other methods answer 405, not 403
@require_safe
@public_page(public_stamp)
def open_data_json(request, code, year):
    try:
        agreement, version = _published(code, year)
    except Http404:
        return JsonResponse(
            {"error": _("No published citizen promise for that year.")}, status=404, **JSON
        )
    data = queries.open_data(agreement, version, queries.published_followups(agreement))
    response = JsonResponse(data, **JSON)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@csrf_exempt  # read-only (require_safe): other methods answer 405, not 403
@require_safe
@public_page(public_stamp)
def open_data_csv(request, code, year):
    agreement, _version = _published(code, year)
    body = queries.open_data_csv(queries.published_followups(agreement))
    response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="uppfoljning-{code}-{year}.csv"'
    return response


PDF_CACHE_SECONDS = 7 * 24 * 3600


@require_safe
@public_page(public_stamp)
def report_download(request, code, year):
    agreement, version = _published(code, year)
    # The newest yearly follow-up (of a multi-year agreement: its latest year's).
    yearly = [f for f in queries.published_followups(agreement) if queries.is_yearly(f.period)]
    item = yearly[-1] if yearly else None
    if item is None:
        raise Http404(_("The yearly follow-up is not published yet."))
    # One rendering per document, publication and language for every process (the shared
    # cache: Redis or files in production). A per-process slot for one report let two
    # alternating kommuner re-render about a second of CPU on most requests (security
    # finding 6, issue 11). Publishing again changes published_at and so the key.
    key = f"followup-pdf:{item.pk}:{item.published_at.timestamp():.6f}:{get_language()}"
    body = caches["shared"].get(key)
    if body is None:
        body = report_pdf(report_context(agreement, version, item))
        caches["shared"].set(key, body, PDF_CACHE_SECONDS)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="uppfoljning-{code}-{year}.pdf"'
    return response


def _feed(request, items, title: str, link: str) -> HttpResponse:
    feed = Atom1Feed(
        title=title,
        link=request.build_absolute_uri(link),
        description=title,
        language=get_language(),
        feed_url=request.build_absolute_uri(),
    )
    for item in items:
        page = reverse(
            "followup_public:citizen-page", args=[item.municipality.code, item.agreement.year]
        )
        feed.add_item(
            title=_("%(kommun)s %(year)s: %(period)s followed up")
            % {
                "kommun": item.municipality.name,
                "year": item.agreement.year,
                "period": period_label(item.period),
            },
            link=request.build_absolute_uri(page),
            # Atom's <summary type="html"> is rendered as HTML by feed readers: the
            # plain-text summary is escaped (paragraphs kept), never passed through as markup.
            description=linebreaks(
                public_text(item.summary)
                or _("The follow-up of the citizen promise is published."),
                autoescape=True,
            ),
            unique_id=f"urn:medborgarlofte:followup:{item.pk}:{item.published_at:%Y%m%d%H%M%S}",
            updateddate=item.published_at,
            pubdate=item.published_at,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


@require_safe
@public_page(public_stamp)
def feed(request, code):
    from medborgarlofte.kommuner.models import Municipality

    kommun = Municipality.objects.filter(code=code).first()
    if kommun is None:
        raise Http404
    title = _("Citizen promise follow-ups – %(kommun)s") % {"kommun": kommun.name}
    return _feed(
        request, queries.feed_items(code), title, reverse("publicsite:municipality", args=[code])
    )


@require_safe
@public_page(public_stamp)
def national_feed(request):
    title = _("Citizen promise follow-ups – all municipalities")
    return _feed(request, queries.feed_items(None), title, reverse("publicsite:home"))


@csrf_exempt  # read-only (require_safe): other methods answer 405, not 403
@require_safe
@public_page(public_stamp)
def api_index(request):
    items = [
        {
            "municipality": f.municipality.code,
            "municipality_name": f.municipality.name,
            "year": f.agreement.year,
            "period": f.period,
            "published_at": f.published_at.isoformat(),
            "url": reverse(
                "followup_public:api-followup", args=[f.municipality.code, f.agreement.year]
            ),
        }
        for f in queries.feed_items(None, limit=1000)
    ]
    return JsonResponse({"followups": items}, **JSON)
