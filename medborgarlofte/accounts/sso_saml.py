"""SAML 2.0 sign-in through an organisation's identity provider (issue 19; docs/sso.md).

This service is a SAML Service Provider built on pysaml2, one per `IdentityProvider` row
with protocol "saml": its entity ID is the address of its metadata view
(/konto/sso/<slug>/saml/metadata/), its Assertion Consumer Service the ACS view
(/konto/sso/<slug>/saml/acs/, HTTP-POST). The identity provider's metadata (its entity ID,
its single sign-on address and its signing certificates) is the row's `saml_metadata`.

- **Start.** `start` sends an AuthnRequest by the HTTP-Redirect binding (signed when
  SAML_SP_KEY_FILE and SAML_SP_CERT_FILE are set). The ACS later receives a cross-site
  POST, and the session cookie (SameSite=Lax) is not sent with it, so the outstanding
  request (its ID, the provider and where to go afterwards) is kept for ten minutes in the
  "shared" cache, one store for all workers, under an unguessable RelayState token. The
  ACS takes it out once: a second use of the token finds nothing.
- **ACS.** pysaml2 checks the response (defusedxml parsing, xmlsec1 signature against the
  certificates in the provider's metadata, audience, destination, lifetime, InResponseTo
  the outstanding ID, no unsolicited responses), then `sso.sign_in` decides the rest.
- **Revalidation.** SAML has no back channel: when the provider is due to vouch for the
  user again, the session ends and a GET goes through the provider once more (its own
  session makes that a silent round trip).
"""

from __future__ import annotations

import logging
import secrets
import shutil

from django.conf import settings
from django.core.cache import caches
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import create_metadata_string
from saml2.response import StatusError
from saml2.saml import (
    NAMEID_FORMAT_EMAILADDRESS,
    NAMEID_FORMAT_PERSISTENT,
    NAMEID_FORMAT_TRANSIENT,
)
from saml2.xmldsig import (
    DIGEST_SHA256,
    DIGEST_SHA384,
    DIGEST_SHA512,
    SIG_ECDSA_SHA256,
    SIG_ECDSA_SHA384,
    SIG_ECDSA_SHA512,
    SIG_RSA_SHA256,
    SIG_RSA_SHA384,
    SIG_RSA_SHA512,
)

from . import sso
from .models import IdentityProvider
from .tenancy import across_kommuner

logger = logging.getLogger(__name__)

# How long an AuthnRequest waits for its response, and the clock difference between the
# identity provider and this server that is tolerated on NotBefore / NotOnOrAfter.
REQUEST_SECONDS = 10 * 60
CLOCK_SKEW_SECONDS = 120
_RELAY_PREFIX = "sso-saml-relay:"

EMAIL_ATTRIBUTES = (
    "mail",
    "email",
    "emailaddress",
    "urn:oid:0.9.2342.19200300.100.1.3",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
)

# Signature and digest algorithms accepted on a response or assertion: SHA-2 only. pysaml2
# and xmlsec1 would also accept SHA-1, which no longer resists forgery.
STRONG_SIGNATURES = {
    SIG_RSA_SHA256,
    SIG_RSA_SHA384,
    SIG_RSA_SHA512,
    SIG_ECDSA_SHA256,
    SIG_ECDSA_SHA384,
    SIG_ECDSA_SHA512,
}
STRONG_DIGESTS = {DIGEST_SHA256, DIGEST_SHA384, DIGEST_SHA512}


class Rejected(Exception):
    """The response cannot be trusted or does not belong to a request of ours."""


def provider_or_404(slug: str) -> IdentityProvider:
    provider = (
        across_kommuner(
            IdentityProvider.objects.filter(
                slug=slug, active=True, protocol=IdentityProvider.Protocol.SAML
            ),
            "a sign-in through an identity provider starts before anyone is signed in",
        )
        .select_related("municipality")
        .first()
    )
    if provider is None:
        raise Http404("no such SAML identity provider")
    return provider


def _sp_urls(request, provider: IdentityProvider) -> tuple[str, str]:
    metadata = request.build_absolute_uri(reverse("accounts:saml-metadata", args=[provider.slug]))
    acs = request.build_absolute_uri(reverse("accounts:saml-acs", args=[provider.slug]))
    return metadata, acs


def _signing_files() -> tuple[str, str]:
    key = getattr(settings, "SAML_SP_KEY_FILE", "") or ""
    cert = getattr(settings, "SAML_SP_CERT_FILE", "") or ""
    return (key, cert) if key and cert else ("", "")


def sp_config(request, provider: IdentityProvider, *, with_idp: bool = True) -> SPConfig:
    entity_id, acs = _sp_urls(request, provider)
    key, cert = _signing_files()
    conf = {
        "entityid": entity_id,
        "xmlsec_binary": shutil.which("xmlsec1") or "/usr/bin/xmlsec1",
        "accepted_time_diff": CLOCK_SKEW_SECONDS,
        "allow_unknown_attributes": True,
        "service": {
            "sp": {
                "name": provider.name,
                "endpoints": {"assertion_consumer_service": [(acs, BINDING_HTTP_POST)]},
                "allow_unsolicited": False,
                "authn_requests_signed": bool(key),
                "want_response_signed": False,
                "want_assertions_signed": False,
                "want_assertions_or_response_signed": True,
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                "name_id_format_allow_create": True,
            }
        },
    }
    if with_idp:
        conf["metadata"] = {"inline": [provider.saml_metadata]}
    if key:
        conf["key_file"] = key
        conf["cert_file"] = cert
        conf["signing_algorithm"] = SIG_RSA_SHA256
    config = SPConfig()
    config.load(conf)
    return config


def _client(request, provider: IdentityProvider) -> Saml2Client:
    if not provider.saml_metadata.strip():
        raise Rejected("the provider has no metadata")
    return Saml2Client(config=sp_config(request, provider))


def _idp_entity_id(client: Saml2Client) -> str:
    idps = list(client.metadata.identity_providers())
    if len(idps) != 1:
        raise Rejected(f"the metadata names {len(idps)} identity providers, not one")
    return idps[0]


def start(request, provider: IdentityProvider, next_url: str, *, passive: bool = False):
    """Send the browser to the identity provider with an AuthnRequest (HTTP-Redirect).
    Metadata that cannot be read, or that names no single IdP, is a configuration error:
    the person is told the service cannot be reached, the log says why."""
    try:
        client = _client(request, provider)
        entity_id = _idp_entity_id(client)
    except Exception:  # noqa: BLE001 - pysaml2 raises many kinds on bad metadata
        logger.exception("SAML provider %s is not usable: check its metadata", provider.slug)
        return _bad(
            request,
            provider,
            _("Your organisation's sign-in service cannot be reached. Try again later."),
            status=503,
        )
    token = secrets.token_urlsafe(32)
    key, _cert = _signing_files()
    extra = {"is_passive": "true"} if passive else {}
    request_id, info = client.prepare_for_authenticate(
        entityid=entity_id,
        relay_state=token,
        binding=BINDING_HTTP_REDIRECT,
        nameid_format=NAMEID_FORMAT_PERSISTENT,
        sign=bool(key),
        sigalg=SIG_RSA_SHA256 if key else None,
        **extra,
    )
    caches["shared"].set(
        _RELAY_PREFIX + token,
        {"id": request_id, "provider": provider.slug, "next": next_url},
        REQUEST_SECONDS,
    )
    location = dict(info["headers"])["Location"]
    return HttpResponseRedirect(location)


def _take_outstanding(token: str) -> dict | None:
    """The outstanding request under this RelayState, taken out of the store: only the
    caller that deletes it may use it (a replay at the same moment gets None)."""
    if not token or len(token) > 100:
        return None
    cache = caches["shared"]
    key = _RELAY_PREFIX + token
    record = cache.get(key)
    if record is None or not cache.delete(key):
        return None
    return record


def revalidate(request, provider: IdentityProvider) -> HttpResponse | None:
    """When the provider is due to vouch for the user again: end the session and, for a
    GET, go through the provider at once (a silent round trip while its own session
    lasts); other requests go to the login page. None while no check is due."""
    if not sso.revalidation_due(request, provider):
        return None
    next_url = request.get_full_path()
    method = request.method
    sso.end_session(
        request, _("Your sign-in is checked again with your organisation's sign-in service.")
    )
    if method == "GET":
        return start(request, provider, next_url)
    return redirect("accounts:login")


def _check_algorithms(response) -> None:
    """Refuse a response whose signatures (on the response or an assertion) use anything
    but SHA-2, once pysaml2 has verified them."""
    elements = [response.response, *(response.response.assertion or [])]
    for element in elements:
        signature = getattr(element, "signature", None)
        if signature is None:
            continue
        info = signature.signed_info
        if info.signature_method.algorithm not in STRONG_SIGNATURES:
            raise Rejected(f"signature algorithm {info.signature_method.algorithm}")
        for reference in info.reference:
            if reference.digest_method.algorithm not in STRONG_DIGESTS:
                raise Rejected(f"digest algorithm {reference.digest_method.algorithm}")


def _attributes(response) -> dict[str, list[str]]:
    """The assertion's attributes by name and by friendly name, values as text."""
    found: dict[str, list[str]] = {}
    assertion = response.assertion
    for statement in getattr(assertion, "attribute_statement", None) or []:
        for attribute in statement.attribute:
            values = [value.text.strip() for value in attribute.attribute_value if value.text]
            for name in {attribute.name, attribute.friendly_name} - {None, ""}:
                found.setdefault(name, []).extend(values)
    return found


def assertion_from(response, provider: IdentityProvider) -> sso.Assertion:
    """What the verified response says. A transient NameID names nobody twice (each
    sign-in would make a new account): it is refused."""
    name_id = response.name_id
    if getattr(name_id, "format", None) == NAMEID_FORMAT_TRANSIENT:
        raise sso.SignInRefused(
            _(
                "Your organisation's sign-in service did not send a lasting identifier "
                "(persistent NameID). Ask its administrator."
            )
        )
    subject = (getattr(name_id, "text", "") or "").strip()
    attributes = _attributes(response)
    by_lower_name = {name.lower(): values for name, values in attributes.items()}
    email = ""
    for name in EMAIL_ATTRIBUTES:
        values = by_lower_name.get(name)
        if values:
            email = values[0]
            break
    if not email and "@" in subject and " " not in subject:
        email = subject
    if getattr(name_id, "format", None) == NAMEID_FORMAT_EMAILADDRESS and not email:
        email = subject
    groups = tuple(attributes.get(provider.groups_claim, ()))
    authn_values = tuple(value for value, _authorities, _instant in response.authn_info() if value)
    return sso.Assertion(subject=subject, email=email, groups=groups, authn_values=authn_values)


def _bad(request, provider, message: str, status: int = 400):
    return render(
        request,
        "accounts/sso_refused.html",
        {"message": message, "provider": provider},
        status=status,
    )


@csrf_exempt
@require_POST
def acs(request, slug: str):
    """Assertion Consumer Service: the identity provider's response, posted by the browser."""
    provider = provider_or_404(slug)
    record = _take_outstanding(request.POST.get("RelayState", ""))
    if record is None:
        return _bad(
            request,
            provider,
            _(
                "This sign-in was not started here, has expired or was already used. Start "
                "the sign-in again."
            ),
        )
    if record.get("provider") != provider.slug:
        return _bad(
            request,
            provider,
            _("The answer came for another organisation's sign-in. Start the sign-in again."),
        )
    try:
        client = _client(request, provider)
        response = client.parse_authn_request_response(
            request.POST.get("SAMLResponse", ""),
            BINDING_HTTP_POST,
            outstanding={record["id"]: record.get("next", "")},
        )
        if response is None or response.assertion is None:
            raise Rejected("no assertion")
        _check_algorithms(response)
    except StatusError as exc:
        logger.info("SAML sign-in through %s: the provider refused (%s)", provider.slug, exc)
        return _bad(
            request,
            provider,
            _("Your organisation's sign-in service did not sign you in."),
            status=403,
        )
    except Exception as exc:  # pysaml2 raises many kinds; none of them signs anyone in
        logger.warning("SAML response for %s rejected: %s: %s", provider.slug, type(exc), exc)
        return _bad(
            request,
            provider,
            _(
                "The answer from your organisation's sign-in service could not be verified. "
                "Start the sign-in again."
            ),
        )
    try:
        sso.sign_in(request, provider, assertion_from(response, provider))
    except sso.SignInRefused as exc:
        return render(
            request,
            "accounts/sso_refused.html",
            {"message": str(exc), "provider": provider},
            status=403,
        )
    next_url = record.get("next") or ""
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return HttpResponseRedirect(next_url)
    return redirect("agreements:dashboard")


@require_GET
def metadata(request, slug: str):
    """This service's SAML metadata for the provider: what its administrator enters."""
    provider = provider_or_404(slug)
    config = sp_config(request, provider, with_idp=False)
    xml = create_metadata_string(None, config=config, valid=None, sign=False)
    return HttpResponse(xml, content_type="application/samlmetadata+xml; charset=utf-8")
