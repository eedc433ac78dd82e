import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import two_factor
from .forms import TwoFactorCodeForm
from .ratelimit import RateLimit

logger = logging.getLogger(__name__)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        from .models import IdentityProvider
        from .tenancy import across_kommuner

        context = super().get_context_data(**kwargs)
        context["organisation_login"] = across_kommuner(
            IdentityProvider.objects.filter(active=True),
            "the login page offers sign-in through an organisation if any is set up",
        ).exists()
        return context


def _next_url(request, default="agreements:dashboard"):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return default


# --- Sign-in through the organisation's identity provider (accounts/sso.py) ---------------


def _protocol(provider):
    """The protocol module of a provider: sso_oidc or sso_saml (each with start and
    revalidate)."""
    if provider.protocol == provider.Protocol.OIDC:
        from . import sso_oidc

        return sso_oidc
    from . import sso_saml

    return sso_saml


def _active_provider(slug):
    from .models import IdentityProvider
    from .tenancy import across_kommuner

    provider = (
        across_kommuner(
            IdentityProvider.objects.filter(active=True),
            "sign-in through a provider starts before anyone is signed in",
        )
        .filter(slug=slug)
        .first()
    )
    if provider is None:
        raise Http404
    return provider


def organisation_login(request):
    """ "Log in with your organisation": find the sign-in service by e-mail address or
    kommun. One match goes straight to it; several are listed; none says so."""
    from . import sso

    query = (request.GET.get("org") or "").strip()[:200]
    next_url = _next_url(request, "")
    providers = sso.providers_for(query) if query else []
    if len(providers) == 1:
        url = reverse("accounts:sso-start", args=[providers[0].slug])
        return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)
    return render(
        request,
        "accounts/organisation_login.html",
        {"query": query, "providers": providers, "next": next_url},
        status=200,
    )


def sso_start(request, slug):
    """Send the browser to the provider's sign-in (OpenID Connect or SAML)."""
    provider = _active_provider(slug)
    return _protocol(provider).start(request, provider, _next_url(request, ""))


@login_required
def setup_two_factor(request):
    if not two_factor.may_enrol(request):
        # An authenticator is enrolled: replacing it needs the second step first (the
        # current authenticator or a recovery code), never the password alone.
        url = reverse("accounts:verify-two-factor")
        next_url = _next_url(request, "")
        return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)
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


# --- Password reset -------------------------------------------------------------------
# The answer is the same, and takes the same time, whether the address belongs to an
# account or not: looking up the users, building and sending the mail all happen after
# the response has been sent (the WSGI server closes the response, and closing sends).
# Before, the mail was sent inline: 57 ms for a known address, 7 ms for an unknown one.
# Requests are counted per client address (too many: 429) and per e-mail address (more
# than three mails an hour to one address are silently not sent: the answer stays the
# same, so it tells nothing). Security finding 4, issue 11.

RESET_PER_ADDRESS = RateLimit("password-reset-address", 10, 3600)
RESET_PER_EMAIL = RateLimit("password-reset-email", 3, 3600)


class _SendAfterResponse(HttpResponseRedirect):
    """A redirect that runs a task when the server closes it, after the body was sent."""

    def __init__(self, url, task):
        super().__init__(url)
        self._task = task

    def close(self):
        try:
            task, self._task = self._task, None
            if task is not None:
                task()
        finally:
            super().close()


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/emails/password_reset-body.txt"
    subject_template_name = "accounts/emails/password_reset-subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    def form_valid(self, form):
        from .middleware import client_ip

        address = client_ip(self.request)
        if RESET_PER_ADDRESS.hit(address) > RESET_PER_ADDRESS.limit:
            return render(
                self.request,
                "accounts/password_reset.html",
                {"form": form, "throttled": True},
                status=429,
            )
        email = form.cleaned_data["email"]
        send = RESET_PER_EMAIL.hit(email) <= RESET_PER_EMAIL.limit
        options = {
            "use_https": self.request.is_secure(),
            "token_generator": self.token_generator,
            "from_email": self.from_email,
            "email_template_name": self.email_template_name,
            "subject_template_name": self.subject_template_name,
            "request": self.request,
            "html_email_template_name": self.html_email_template_name,
            "extra_email_context": self.extra_email_context,
        }

        def deliver():
            if send:
                try:
                    form.save(**options)
                except Exception:  # the visitor has their answer; log for the operator
                    logger.exception("Password reset mail could not be sent")

        return _SendAfterResponse(self.get_success_url(), deliver)
