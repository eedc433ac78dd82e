"""Public pages for citizens: no login, published agreements only (see queries.py)."""

import sys

from django.conf import settings
from django.core.cache import caches
from django.db import OperationalError
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from medborgarlofte.accounts.public_cache import public_page
from medborgarlofte.agreements.documents import (
    DOCX_CONTENT_TYPE,
    agreement_docx,
    agreement_pdf,
    prepare_indicators,
    schedule,
)
from medborgarlofte.agreements.history import public_changes
from medborgarlofte.agreements.stamps import public_stamp as agreements_stamp
from medborgarlofte.crimestats.stamps import public_stamp as statistics_stamp
from medborgarlofte.kommuner.models import Municipality
from medborgarlofte.publicsite import queries

DOWNLOAD_CONTENT_TYPES = {
    "yaml": "application/yaml; charset=utf-8",
    "json": "application/json",
}


@require_safe
@public_page(agreements_stamp)
def home(request):
    municipalities = queries.all_municipalities()
    query = request.GET.get("q", "")
    searched = bool(queries.normalise_search(query))
    published_ids = queries.published_municipality_ids()
    context = {
        "query": query.strip()[: queries.MAX_QUERY_LENGTH],
        "searched": searched,
        "results": queries.search_municipalities(query, municipalities) if searched else [],
        "published": [m for m in municipalities if m.id in published_ids],
        "published_ids": published_ids,
        "published_key": ",".join(map(str, sorted(published_ids))),
        "counties": SimpleLazyObject(lambda: queries.municipalities_by_county(municipalities)),
    }
    return render(request, "publicsite/home.html", context)


@require_safe
@public_page(agreements_stamp, statistics_stamp)
def municipality(request, code):
    kommun = get_object_or_404(Municipality.objects.select_related("county"), code=code)
    context = {
        "municipality": kommun,
        "population": queries.latest_population(kommun),
        "agreements": queries.published_agreements_for(kommun),
    }
    return render(request, "publicsite/municipality.html", context)


def _contents(version_id):
    version = queries.load_contents(version_id)
    prepare_indicators(version)
    return version


def _agreement_page(request, code, year, number=None):
    """The agreement page. Published versions are frozen, so the rendered contents are
    cached per version, language and current version number (see the template); a cache
    hit costs one query. The contents are loaded lazily, only on a miss."""
    versions = queries.published_versions_for_year(code, year)
    if not versions:
        raise Http404("No published agreement for that year.")
    history = [v for v in versions if v.agreement_id == versions[0].agreement_id]
    latest = history[0]
    if number is None:
        version = latest
    else:
        version = next((v for v in history if v.number == number), None)
        if version is None:
            raise Http404("No such published version.")
    # The "what changed" note: against the published version before this one (public
    # content only; agreements/history.py), computed only when the page is not cached.
    older = [v for v in history if v.number < version.number]
    previous = older[0] if older else None
    context = {
        "version": version,
        "contents": SimpleLazyObject(lambda: _contents(version.pk)),
        "previous": previous,
        "changes": SimpleLazyObject(
            lambda: public_changes(previous, version) if previous is not None else []
        ),
        "cache_key": f"{version.pk}:{version.updated_at.isoformat()}:{latest.pk}:{latest.number}",
        "agreement": version.agreement,
        "municipality": version.municipality,
        "year": version.agreement.year,
        "latest": latest,
        "is_latest": latest.pk == version.pk,
        "history": history,
        "schedule": schedule(version),
    }
    return render(request, "publicsite/agreement.html", context)


@require_safe
@public_page(agreements_stamp)
def agreement(request, code, year):
    return _agreement_page(request, code, year)


@require_safe
@public_page(agreements_stamp)
def agreement_version(request, code, year, number):
    return _agreement_page(request, code, year, number)


@require_safe
@public_page(agreements_stamp)
def agreement_download(request, code, year, fmt):
    version = queries.latest_published_version(code, year, detail=False)
    if version is None:
        raise Http404("No published agreement for that year.")
    from medborgarlofte.agreements.exchange import dump_document, export_version_document
    from medborgarlofte.privacy.gate import public_data

    body = dump_document(public_data(export_version_document(version)), fmt)
    response = HttpResponse(body, content_type=DOWNLOAD_CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="medborgarlofte-{code}-{year}.{fmt}"'
    return response


DOCUMENT_CACHE_SECONDS = 7 * 24 * 3600
DOCUMENT_BUILDERS = {
    "pdf": (agreement_pdf, "application/pdf"),
    "docx": (agreement_docx, DOCX_CONTENT_TYPE),
}


@public_page(agreements_stamp)
@require_safe
def agreement_document(request, code, year, fmt):
    """The current published version as PDF or DOCX (issue 14, item 8). One rendering per
    version, publication and language for every process (the shared cache, as the
    follow-up PDF): published versions are frozen, and a new version changes the key."""
    version = queries.latest_published_version(code, year, detail=False)
    if version is None:
        raise Http404("No published agreement for that year.")
    build, content_type = DOCUMENT_BUILDERS[fmt]
    key = (
        f"agreement-document:{fmt}:{version.pk}:{version.updated_at.timestamp():.6f}:"
        f"{get_language()}"
    )
    body = caches["shared"].get(key)
    if body is None:
        body = build(_contents(version.pk))
        caches["shared"].set(key, body, DOCUMENT_CACHE_SECONDS)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="medborgarlofte-{code}-{year}.{fmt}"'
    return response


@never_cache
@require_safe
def choose_language(request, language):
    """The language switcher: a plain link, so that public pages carry no form and set no
    cookie (they stay cacheable, see accounts/public_cache.py). Sets the language cookie
    that SwedishFirstLocaleMiddleware reads, then goes back to `next` (same site only)."""
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise Http404("No such language.")
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("publicsite:home")
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@public_page()
def accessibility_statement(request):
    """Tillgänglighetsredogörelse, as the law on accessible public-sector websites requires."""
    return render(request, "publicsite/accessibility.html")


def not_found(request, exception=None):
    if request.path.startswith("/api/"):  # the API answers every error as JSON (docs/api.md)
        return JsonResponse({"error": _("Not found.")}, status=404)
    return render(request, "404.html", status=404)


def bad_request(request, exception=None):
    """400 for a request Django cannot read (e.g. a broken multipart body): JSON for the
    API, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"error": _("Bad request.")}, status=400)
    return defaults.bad_request(request, exception)


# Transient PostgreSQL conditions: serialization failure, deadlock, lock timeout, too
# many connections, server starting or shutting down, connection failures.
TRANSIENT_SQLSTATES = {
    "40001",
    "40P01",
    "55P03",
    "53300",
    "57P01",
    "57P03",
    "08000",
    "08001",
    "08006",
}
SQLITE_BUSY, SQLITE_LOCKED = 5, 6
RETRY_AFTER_SECONDS = 10


def database_busy(exc) -> bool:
    """True for a database that is busy rather than broken: SQLite still locked after its
    busy timeout, or a transient PostgreSQL condition. Sending again can then succeed."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    code = getattr(cause, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)
    if cause is not None and type(cause).__module__.startswith("psycopg"):
        sqlstate = getattr(cause, "sqlstate", None)
        return sqlstate is None or sqlstate in TRANSIENT_SQLSTATES  # None: no connection
    return "database is locked" in str(exc)


def server_error(request):
    """500, or 503 with Retry-After when the database was only busy: a clear "try again",
    never a lost answer. The forms that store submissions carry an idempotency key, so
    sending the same form again cannot store it twice. Both are logged as errors."""
    if database_busy(sys.exc_info()[1]):
        response = render(request, "503.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return render(request, "500.html", status=500)
