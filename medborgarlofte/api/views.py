"""JSON API v1 (see docs/api.md): agreements as exchange-format documents.

Session authentication (Django login). Every tenant lookup goes through
agreements.access; the public endpoint goes through publicsite.queries (published only).
Errors are JSON: 401 not logged in, 403 read-only or failed CSRF check, 404 unknown or
not yours, 400 invalid document ({"errors": [{"path", "message"}]}).
"""

from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, ensure_csrf_cookie
from django.views.decorators.http import require_POST, require_safe

from medborgarlofte.accounts.public_cache import public_page
from medborgarlofte.agreements import access
from medborgarlofte.agreements.exchange import (
    DocumentError,
    agreement_for_year,
    dump_document,
    export_version_document,
    load_document,
    version_of,
)
from medborgarlofte.agreements.importing import CREATED, NEW_VERSION, import_agreement_document
from medborgarlofte.agreements.models import Status
from medborgarlofte.agreements.stamps import public_stamp as agreements_stamp
from medborgarlofte.privacy.gate import public_data
from medborgarlofte.publicsite import queries

JSON_TYPES = {"application/json"}
YAML_TYPES = {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"}


def _error(status: int, message: str, **extra) -> JsonResponse:
    return JsonResponse(
        {"error": message, **extra}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def _document_errors(exc: DocumentError) -> JsonResponse:
    return JsonResponse(
        {"errors": [issue.as_dict() for issue in exc.errors]},
        status=400,
        json_dumps_params={"ensure_ascii": False},
    )


class _CsrfCheck(CsrfViewMiddleware):
    def _reject(self, request, reason):
        return reason


def api_view(*, login: bool = True):
    """JSON errors instead of HTML pages and redirects; 401 when login is required."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if login and not request.user.is_authenticated:
                response = _error(401, _("Log in first (session authentication)."))
                response["WWW-Authenticate"] = 'Session realm="medborgarlofte"'
                return response
            try:
                return view(request, *args, **kwargs)
            except Http404:
                return _error(404, _("Not found."))
            except PermissionDenied:
                return _error(403, _("You may read but not change this kommun's agreements."))

        return wrapper

    return decorator


def _version_number(request):
    """?version=N as a positive int, None when absent; ValueError when malformed."""
    raw = request.GET.get("version")
    if raw is None:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= 999_999_999:
        raise ValueError(raw)
    return int(raw)


def _bad_query(request) -> JsonResponse | None:
    """400 for a malformed ?version or a ?format other than json and yaml; else None."""
    try:
        _version_number(request)
    except ValueError:
        return _error(400, _("?version must be a positive whole number."))
    if request.GET.get("format", "json") not in ("json", "yaml"):
        return _error(400, _("?format must be json or yaml."))
    return None


def _document_response(request, version, *, public: bool = False) -> HttpResponse:
    document = export_version_document(version)
    if public:  # the last safety net of the publication gate (privacy/gate.py)
        document = public_data(document)
    if request.GET.get("format") == "yaml":
        response = HttpResponse(
            dump_document(document, "yaml"), content_type="application/yaml; charset=utf-8"
        )
    else:
        response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
    response["X-Agreement-Version"] = str(version.number)
    response["X-Agreement-Status"] = version.status
    return response


@csrf_exempt  # read-only (require_safe): other methods answer 405, not 403
@require_safe
@ensure_csrf_cookie  # gives script clients the csrftoken cookie they echo in X-CSRFToken
@api_view()
def list_agreements(request):
    agreements = access.agreements_for_user(request.user).prefetch_related("versions")
    items = []
    for agreement in agreements:
        versions = sorted(agreement.versions.all(), key=lambda v: v.number)
        latest = versions[-1] if versions else None
        published = [v.number for v in versions if v.status == Status.PUBLISHED]
        code, year = agreement.municipality.code, agreement.year
        items.append(
            {
                "municipality": code,
                "municipality_name": agreement.municipality.name,
                "year": year,
                "period": {
                    "start": agreement.period_start.isoformat(),
                    "end": agreement.period_end.isoformat(),
                },
                "latest_version": {"number": latest.number, "status": latest.status}
                if latest
                else None,
                "published_version": published[-1] if published else None,
                "url": reverse("api:agreement-document", args=[code, year]),
            }
        )
    return JsonResponse({"agreements": items}, json_dumps_params={"ensure_ascii": False})


@csrf_exempt  # read-only (require_safe): other methods answer 405, not 403
@require_safe
@api_view()
def agreement_document(request, code, year):
    municipality = access.get_municipality_for_user(request.user, code)
    agreement = agreement_for_year(
        access.agreements_for_user(request.user).filter(municipality=municipality), year
    )
    if agreement is None:
        raise Http404
    if bad := _bad_query(request):
        return bad
    version = version_of(agreement, _version_number(request))
    if version is None:
        raise Http404
    return _document_response(request, version)


@csrf_exempt  # read-only (require_safe): other methods answer 405, not 403
@require_safe
@api_view(login=False)
@public_page(agreements_stamp)
def public_agreement_document(request, code, year):
    if bad := _bad_query(request):
        return bad
    number = _version_number(request)
    if number is None:
        version = queries.latest_published_version(code, year, detail=False)
    else:
        version = queries.published_version(code, year, number)
    if version is None:
        raise Http404
    return _document_response(request, version, public=True)


@csrf_exempt  # checked below, after the 401 for anonymous callers
@require_POST
@api_view()
def import_agreement(request):
    check = _CsrfCheck(lambda req: None)
    check.process_request(request)
    reason = check.process_view(request, None, (), {})
    if reason:
        return _error(
            403,
            _("CSRF check failed: send the csrftoken cookie's value in the X-CSRFToken header."),
            reason=str(reason),
        )
    if request.content_type in JSON_TYPES:
        name = "request.json"
    elif request.content_type in YAML_TYPES:
        name = "request.yaml"
    else:
        return _error(415, _("Send the document as application/json or application/yaml."))
    limit = settings.MAX_AGREEMENT_UPLOAD_BYTES
    try:
        if int(request.META.get("CONTENT_LENGTH") or 0) > limit:
            raise RequestDataTooBig
        body = request.body
    except (RequestDataTooBig, ValueError):
        return _error(413, _("The document is larger than %(limit)d bytes.") % {"limit": limit})
    try:
        document = load_document(body, name=name)
        code = document.get("municipality")
        if isinstance(code, str) and len(code) == 4 and code.isdigit():
            access.get_municipality_for_user(request.user, code, roles=access.EDIT_ROLES)
        dry_run = request.GET.get("dry_run", "").lower() in {"1", "true", "yes"}
        result = import_agreement_document(document, user=request.user, dry_run=dry_run, name=name)
    except DocumentError as exc:
        return _document_errors(exc)
    status = 201 if result.action in (CREATED, NEW_VERSION) and not dry_run else 200
    return JsonResponse(
        {
            "action": result.action,
            "dry_run": result.dry_run,
            "municipality": result.municipality.code,
            "year": result.period_start.year,
            "version": result.version_number,
            "counts": result.counts,
            "unlinked_categories": result.unlinked_categories,
            "approvals_removed": result.approvals_removed,
            "summary": result.summary_lines(),
            "url": reverse(
                "api:agreement-document", args=[result.municipality.code, result.period_start.year]
            ),
        },
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
