"""Language, security headers, the public pages' fast path, login session limits and
two-step login enforcement."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, CSRF_TOKEN_LENGTH
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from . import public_cache

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def client_ip(request) -> str:
    """The client's address for login throttling, honouring TRUSTED_PROXY_COUNT proxies."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    # The last `count` hops were added by our own proxies; the one before them is the client.
    chain = [*forwarded, remote]
    return chain[-(count + 1)] if len(chain) > count else chain[0]


def chosen_language(request) -> str:
    """The language cookie if it names a supported language, else Swedish (see below)."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, settings.LANGUAGE_CODE)
    return language if language in SUPPORTED else settings.LANGUAGE_CODE


class SwedishFirstLocaleMiddleware:
    """Swedish unless the visitor chose English with the language switcher (a cookie).

    The browser's Accept-Language is deliberately ignored: the service is Swedish first,
    and a Swedish public authority's page should not switch language by itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


def _csrf_cookie_well_formed(request) -> bool:
    """No CSRF cookie, or one CsrfViewMiddleware keeps as it is (a malformed one makes it
    set a new cookie: that request must take the full stack)."""
    token = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if token is None:
        return True
    return len(token) in (CSRF_SECRET_LENGTH, CSRF_TOKEN_LENGTH) and not set(token) - set(
        CSRF_ALLOWED_CHARS
    )


class PublicPageMiddleware:
    """The fast path of public pages (issue 17), right after WhiteNoise.

    For an anonymous GET/HEAD (`public_cache.cacheable`: no cookie but the language and a
    well-formed CSRF token) of a ``@public_page`` view it calls the view in fast mode: the
    view computes its validators and answers a 304 or the stored page, or raises
    `NotStored`, and the request then goes through the whole stack, which builds and
    stores the page (reusing the validators). What the skipped middleware would have
    added to such an answer is added here: Content-Language (the language chosen exactly
    as `SwedishFirstLocaleMiddleware` does), Content-Length (CommonMiddleware), the host
    check (CommonMiddleware calls ``get_host``), and the tenant guard around the stamps'
    queries. The skipped ones add nothing to an anonymous request without a session: no
    cookie, no ``Vary`` beyond the ``Cookie`` the page already sends. The security headers
    and the CSP come from the middleware outside this one, as for every response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not public_cache.cacheable(request) or not _csrf_cookie_well_formed(request):
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        if not getattr(match.func, "public_page", False):
            return self.get_response(request)
        request.get_host()  # DisallowedHost (400) as CommonMiddleware would raise it
        from .tenancy import guarded

        language = chosen_language(request)
        request.LANGUAGE_CODE = language
        setattr(request, public_cache.FAST, True)
        translation.activate(language)
        try:
            with guarded():
                response = match.func(request, *match.args, **match.kwargs)
        except public_cache.NotStored:
            response = None
        finally:
            translation.deactivate()
            setattr(request, public_cache.FAST, False)
        if response is None:
            return self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        if not response.streaming and not response.has_header("Content-Length"):
            response.headers["Content-Length"] = str(len(response.content))
        return response


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """CSP without inline script, and no caching of pages shown to a logged-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        # Also on responses made before the inner middleware runs (the HTTPS redirect),
        # where neither SecurityMiddleware's process_response nor XFrameOptionsMiddleware
        # may have added them.
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY)
        if not getattr(response, "xframe_options_exempt", False):
            response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        response.headers.setdefault(
            "Permissions-Policy", "geolocation=(), camera=(), microphone=()"
        )
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


# What a logged-in user may open before the second step: the login steps themselves
# (login, logout, the second step and setting up a first authenticator), password reset,
# static files and the language switch. Nothing else under /konto/: my-data, the password
# change and new recovery codes wait for the second step (security finding 3, issue 11).
TWO_FACTOR_OPEN_PREFIXES = ("/static/", "/i18n/", "/konto/aterstall/")
TWO_FACTOR_OPEN_NAMES = ("login", "logout", "verify-two-factor", "setup-two-factor")


def _open_before_second_step(path: str) -> bool:
    if path.startswith(TWO_FACTOR_OPEN_PREFIXES):
        return True
    return path in {reverse(f"accounts:{name}") for name in TWO_FACTOR_OPEN_NAMES}


class TwoFactorMiddleware:
    """Sends users who must use two-factor authentication to set it up or verify it.

    A user who has enrolled an authenticator must verify it even where the setting would
    not require it of their role: an enrolled device is never optional."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .two_factor import confirmed_totp, needs_two_factor

        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not _open_before_second_step(request.path)
            and needs_two_factor(user)
        ):
            if request.path.startswith("/api/") or request.path == reverse(
                "accounts:extend-session"
            ):
                return JsonResponse({"error": "two-factor authentication required"}, status=401)
            name = "verify-two-factor" if confirmed_totp(user) else "setup-two-factor"
            return redirect(f"{reverse('accounts:' + name)}?next={request.get_full_path()}")
        return self.get_response(request)


class SessionTimeoutMiddleware:
    """Logs a user out after SESSION_IDLE_SECONDS without a request, and always after
    SESSION_COOKIE_AGE (12 hours) from login. Pages warn before the idle limit and let
    the user extend (static/js/session-timeout.js; WCAG 2.2.1)."""

    LAST = "medborgarlofte_last_activity"
    STARTED = "medborgarlofte_login_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.setdefault(self.STARTED, now)
            last = session.get(self.LAST, now)
            idle = now - last > settings.SESSION_IDLE_SECONDS
            expired = now - started > settings.SESSION_COOKIE_AGE
            if idle or expired:
                logout(request)
                messages.info(
                    request,
                    _("You were logged out after a period without activity.")
                    if idle
                    else _("You were logged out: a login lasts at most 12 hours."),
                )
                if request.path.startswith("/api/"):
                    return JsonResponse({"error": "session expired"}, status=401)
                return redirect(f"{reverse('accounts:login')}?next={request.get_full_path()}")
            if not request.path.startswith(SESSION_PASSIVE_PATHS):
                session[self.LAST] = now
        return self.get_response(request)


class SsoRevalidationMiddleware:
    """A session that came through an identity provider is checked with the provider
    again after its `revalidate_minutes` (accounts/sso.py): OpenID Connect with the
    refresh token, SAML with a new round trip. A provider that is turned off or gone ends
    the session. Deactivated accounts need nothing here: Django's ModelBackend no longer
    returns an inactive user, so their sessions end at the next request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from . import sso

        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and sso.SESSION_KEY in request.session
            and not request.path.startswith(SESSION_PASSIVE_PATHS)
        ):
            provider = sso.session_provider(request)
            if provider is None or not provider.active:
                sso.end_session(request, _("Sign-in through your organisation is turned off."))
                if request.path.startswith("/api/"):
                    return JsonResponse({"error": "session ended"}, status=401)
                return redirect(f"{reverse('accounts:login')}?next={request.get_full_path()}")
            if sso.revalidation_due(request, provider):
                from .views import _protocol

                response = _protocol(provider).revalidate(request, provider)
                if response is not None:
                    if request.path.startswith("/api/"):
                        return JsonResponse({"error": "session ended"}, status=401)
                    return response
        return self.get_response(request)


# Requests that must not count as activity (none yet: the keep-alive endpoint is activity).
SESSION_PASSIVE_PATHS = ("/static/",)


class TenantGuardMiddleware:
    """Check every query of the request for a kommun scope (see accounts/tenancy.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .tenancy import guarded

        with guarded():
            response = self.get_response(request)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        return response
