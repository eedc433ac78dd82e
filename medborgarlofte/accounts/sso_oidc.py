"""Sign-in through an organisation's OpenID Connect provider (issue 19; docs/sso.md,
"OpenID Connect").

Authlib's Django client does the protocol: one OAuth client per `IdentityProvider` row,
built from it at each use (discovery at `issuer/.well-known/openid-configuration`, the
client secret from the environment variable the row names), the authorization code flow
with PKCE (S256), state and nonce kept in the session, and the ID token's signature
(the provider's JWKS), issuer, audience, expiry and nonce checked. What the checked ID
token says becomes an `sso.Assertion`; everything else (scope, roles, accounts, the
second step) is decided in sso.py.

The refresh token is kept in the session (`sso.SESSION_KEY`) for revalidation and is a
secret: it is never logged or shown.
"""

from __future__ import annotations

import logging
import os

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import OAuth
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from joserfc.errors import JoseError

from . import sso
from .models import ExternalIdentity, IdentityProvider
from .tenancy import across_kommuner

logger = logging.getLogger(__name__)

# {state: {"provider": slug, "next": url}} of the sign-ins started in this session.
PENDING_KEY = "medborgarlofte_sso_oidc"
PENDING_KEPT = 5  # sign-ins started in other tabs that may still come back
TIMEOUT_SECONDS = 10
# What may go wrong between us and the provider: its error answer, a bad ID token
# (signature, issuer, audience, expiry, nonce), the network, an answer that is not JSON.
PROTOCOL_ERRORS = (OAuthError, JoseError, requests.RequestException, ValueError, KeyError)


class NotConfigured(Exception):
    pass


def _client(provider: IdentityProvider):
    if not provider.issuer or not provider.client_id:
        raise NotConfigured(f"{provider.slug}: issuer or client ID missing")
    secret = os.environ.get(provider.secret_variable) if provider.secret_variable else None
    if not secret:
        raise NotConfigured(
            f"{provider.slug}: the environment variable {provider.secret_variable!r} "
            "with the client secret is not set"
        )
    oauth = OAuth()
    return oauth.register(
        name=provider.slug,
        client_id=provider.client_id,
        client_secret=secret,
        server_metadata_url=provider.issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={
            "scope": provider.scopes,
            "code_challenge_method": "S256",
            "default_timeout": TIMEOUT_SECONDS,
        },
    )


def _claims_options(provider: IdentityProvider) -> dict:
    # The issuer we were configured with, not only the one the discovery document names.
    issuers = sorted({provider.issuer, provider.issuer.rstrip("/")})
    return {"iss": {"essential": True, "values": issuers}, "sub": {"essential": True}}


def _refused(request, provider, message: str, status: int) -> HttpResponse:
    return render(
        request,
        "accounts/sso_refused.html",
        {"message": message, "provider": provider},
        status=status,
    )


def _provider_or_404(slug: str) -> IdentityProvider:
    provider = across_kommuner(
        IdentityProvider.objects.filter(
            slug=slug, active=True, protocol=IdentityProvider.Protocol.OIDC
        ),
        "the provider's answer comes back before anyone is signed in",
    ).first()
    if provider is None:
        raise Http404
    return provider


def start(request, provider: IdentityProvider, next_url: str) -> HttpResponse:
    """Send the browser to the provider's authorization endpoint."""
    redirect_uri = request.build_absolute_uri(
        reverse("accounts:oidc-callback", args=[provider.slug])
    )
    try:
        client = _client(provider)
        authorization = client.create_authorization_url(redirect_uri)
    except NotConfigured as exc:
        logger.error("OpenID Connect sign-in not configured: %s", exc)
        return _refused(request, provider, _unavailable(), 503)
    except PROTOCOL_ERRORS as exc:
        logger.warning("%s: discovery failed (%s)", provider.slug, type(exc).__name__)
        return _refused(request, provider, _unavailable(), 503)
    state = authorization["state"]
    client.save_authorize_data(request, redirect_uri=redirect_uri, **authorization)
    pending = dict(request.session.get(PENDING_KEY) or {})
    pending[state] = {"provider": provider.slug, "next": next_url}
    request.session[PENDING_KEY] = dict(list(pending.items())[-PENDING_KEPT:])
    return HttpResponseRedirect(authorization["url"])


def _unavailable() -> str:
    return _("Your organisation's sign-in service cannot be reached. Try again later.")


def _failed() -> str:
    return _(
        "The sign-in through your organisation could not be completed. Nobody has been "
        "logged in. Start again from the login page."
    )


def _email(claims) -> str:
    for name in ("email", "preferred_username", "upn"):
        value = str(claims.get(name) or "").strip()
        if value:
            try:
                validate_email(value)
            except ValidationError:
                continue
            return value
    return ""


def _values(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str | int):
        return (str(value),)
    return tuple(str(item) for item in value)


def assertion_from(provider: IdentityProvider, claims) -> sso.Assertion:
    """The checked ID token's claims as an Assertion."""
    authn = [*_values(claims.get("amr"))]
    if claims.get("acr"):
        authn.append(str(claims["acr"]))
    return sso.Assertion(
        subject=str(claims.get("sub") or ""),
        email=_email(claims),
        groups=_values(claims.get(provider.groups_claim)),
        authn_values=tuple(authn),
    )


def oidc_callback(request, slug: str) -> HttpResponse:
    """The provider sends the browser back here with a code (or an error)."""
    provider = _provider_or_404(slug)
    state = request.GET.get("state", "")
    pending = dict(request.session.get(PENDING_KEY) or {})
    started = pending.pop(state, None)
    request.session[PENDING_KEY] = pending
    if request.GET.get("error"):
        logger.info("%s: the provider answered %s", slug, request.GET.get("error")[:50])
        if started is not None:
            sso_state = f"_state_{provider.slug}_{state}"
            request.session.pop(sso_state, None)
        return _refused(request, provider, _failed(), 400)
    if started is None or started.get("provider") != provider.slug:
        logger.info("%s: a sign-in came back with an unknown state", slug)
        return _refused(request, provider, _failed(), 400)
    try:
        client = _client(provider)
        token = client.authorize_access_token(request, claims_options=_claims_options(provider))
    except NotConfigured as exc:
        logger.error("OpenID Connect sign-in not configured: %s", exc)
        return _refused(request, provider, _unavailable(), 503)
    except PROTOCOL_ERRORS as exc:
        logger.warning("%s: sign-in refused by the protocol (%s)", slug, type(exc).__name__)
        return _refused(request, provider, _failed(), 400)
    claims = token.get("userinfo")
    if not claims:  # no ID token: an OAuth answer, not an OpenID Connect one
        logger.warning("%s: the token answer had no ID token", slug)
        return _refused(request, provider, _failed(), 400)
    extra = {"refresh_token": token["refresh_token"]} if token.get("refresh_token") else {}
    try:
        sso.sign_in(request, provider, assertion_from(provider, claims), **extra)
    except sso.SignInRefused as exc:
        return _refused(request, provider, str(exc), 403)
    next_url = started.get("next") or ""
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return redirect(next_url)
    return redirect("agreements:dashboard")


def _to_login(request) -> HttpResponse:
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}")


def revalidate(request, provider: IdentityProvider) -> HttpResponse | None:
    """Ask the provider again (the refresh token grant) whether the signed-in person
    still has access. None: they do, go on. A response: the session has ended."""
    data = request.session.get(sso.SESSION_KEY) or {}
    refresh_token = data.get("refresh_token")
    if not refresh_token:
        sso.end_session(request, _("Sign in again through your organisation."))
        start_url = reverse("accounts:sso-start", args=[provider.slug])
        return redirect(f"{start_url}?{urlencode({'next': request.get_full_path()})}")
    try:
        client = _client(provider)
        token = client.fetch_access_token(grant_type="refresh_token", refresh_token=refresh_token)
        claims = None
        if token.get("id_token"):
            claims = client.parse_id_token(
                token, nonce=None, claims_options=_claims_options(provider)
            )
    except OAuthError as exc:
        if exc.error == "invalid_grant":
            logger.info("%s: the provider refused the account at revalidation", provider.slug)
            sso.deactivate(request.user, "provider_refused")
            sso.end_session(
                request,
                _(
                    "Your organisation no longer vouches for your account, so you have been "
                    "logged out."
                ),
            )
            return _to_login(request)
        return _fail_closed(request, provider, exc)
    except (NotConfigured, *PROTOCOL_ERRORS) as exc:
        return _fail_closed(request, provider, exc)
    if claims is not None:
        identity = ExternalIdentity.objects.filter(user=request.user, provider=provider).first()
        if identity is None or claims.get("sub") != identity.subject:
            logger.warning("%s: the refreshed ID token is for another subject", provider.slug)
            return _fail_closed(request, provider, None)
        if provider.groups_claim in claims:
            groups = _values(claims.get(provider.groups_claim))
            if not sso.refresh_roles(request.user, provider, groups):
                sso.end_session(
                    request,
                    _(
                        "Your organisation no longer gives you a role in this service, so "
                        "you have been logged out."
                    ),
                )
                return _to_login(request)
    sso.mark_revalidated(request, refresh_token=token.get("refresh_token") or refresh_token)
    return None


def _fail_closed(request, provider, exc) -> HttpResponse:
    """The provider could not answer: the session ends (it cannot be vouched for), the
    account stays active for the next sign-in."""
    if exc is not None:
        logger.warning(
            "%s: revalidation failed (%s), session ended", provider.slug, type(exc).__name__
        )
    sso.end_session(
        request,
        _(
            "Your organisation's sign-in service could not confirm your account just now, so "
            "you have been logged out. Sign in again."
        ),
    )
    return _to_login(request)
