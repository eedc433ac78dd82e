from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import two_factor
from .forms import TwoFactorCodeForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def _next_url(request, default="agreements:dashboard"):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return default


@login_required
def setup_two_factor(request):
    device = two_factor.pending_totp(request.user)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_totp(request, device, form.cleaned_data["code"])
        if codes is not None:
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.add_error(
            "code", _("The code did not match. Check the time on your phone and try again.")
        )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": two_factor.qr_svg(device),
            "secret": two_factor.secret_text(device),
            "next": _next_url(request, ""),
            "replacing": two_factor.confirmed_totp(request.user) is not None,
        },
    )


@login_required
def verify_two_factor(request):
    if two_factor.confirmed_totp(request.user) is None:
        return redirect("accounts:setup-two-factor")
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.verify(request, form.cleaned_data["code"]):
            return redirect(_next_url(request))
        form.add_error("code", _("The code is wrong or has already been used."))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request, "")}
    )


@login_required
@require_POST
def regenerate_recovery_codes(request):
    if not request.user.is_verified():
        return redirect("accounts:verify-two-factor")
    codes = two_factor.regenerate_recovery_codes(request.user)
    messages.success(request, _("New recovery codes were created. The old ones no longer work."))
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": ""})


@require_POST
def extend_session(request):
    """Keep-alive for the idle-timeout warning: any authenticated request counts as activity."""
    if not request.user.is_authenticated:
        return JsonResponse({"extended": False}, status=401)
    return JsonResponse({"extended": True, "idle_seconds": settings.SESSION_IDLE_SECONDS})


@login_required
def my_data(request):
    """Everything stored about the logged-in staff account, as JSON (GDPR art. 15)."""
    from .personal_data import export_user_data

    response = JsonResponse(
        export_user_data(request.user), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = 'attachment; filename="mina-uppgifter.json"'
    return response
