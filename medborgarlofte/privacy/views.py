"""The refusal page of the publication gate and the dismissal of one finding (gate.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from medborgarlofte.accounts import access
from medborgarlofte.accounts.models import Role

from . import gate


def blocked(
    request,
    exc: gate.PersonalDataFound,
    *,
    municipality,
    back_url: str,
    retry_url: str,
    retry_fields: dict | None = None,
):
    """Publication refused: each place with its kind, and (coordinators) a dismiss form."""
    context = {
        "document": exc.document,
        "findings": exc.findings,
        "municipality": municipality,
        "back_url": back_url,
        "retry_url": retry_url,
        "retry_fields": sorted((retry_fields or {}).items()),
        "can_dismiss": Role.COORDINATOR in access.roles_for(request.user, municipality),
    }
    return render(request, "privacy/publish_blocked.html", context, status=409)


@login_required
@require_POST
def dismiss(request):
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = "/arbete/"
    try:
        gate.dismiss(request.user, request.POST.get("target", ""), request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(back)
    except PermissionDenied:
        raise
    messages.success(
        request,
        _("The finding was marked as not personal data. Publish again when the rest is fixed."),
    )
    return HttpResponseRedirect(back)
