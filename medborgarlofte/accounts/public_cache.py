"""HTTP caching of public pages, written once: `@public_page(stamp, …)` on each public view.

For an anonymous visitor (no cookie but the language choice and the CSRF token) a public
page answers

- ``Cache-Control: public, max-age=PUBLIC_CACHE_MAX_AGE, stale-while-revalidate=…``
  (60 s and 300 s unless the settings say otherwise), so a proxy or CDN in front of the
  site may keep it for a minute and serve a stale copy while it asks again;
- ``ETag``: a hash of the release (the deployed code), the language, the path and the
  *stamps* the view names: cheap functions, one per app, that return what the page's
  public data was built from (the latest published agreement version, the follow-up
  publications, the last statistics import …). Publishing changes a stamp and so the
  ETag; ``Last-Modified`` is the newest date among the stamps;
- ``Vary: Cookie``: the language is chosen by a cookie (`SwedishFirstLocaleMiddleware`), so
  each language is its own cached variant. A visitor without cookies shares one entry;
- 304 Not Modified to ``If-None-Match`` / ``If-Modified-Since`` before the page is built;
- and no ``Set-Cookie``: pages that would set one (a CSRF token in a form) are served
  ``private`` instead, and never stored.

On a miss the page is built once per process and validator and then served from the
local cache (the "stored fragment" is the whole page: it depends only on the validator's
inputs), so a page that a proxy misses costs the stamps and a cache look-up. That answer
(and the 304) is given by ``accounts.middleware.PublicPageMiddleware`` right after
WhiteNoise, before the session, CSRF, auth, two-factor, axes and tenant-guard middleware;
only a page not yet stored in this process goes through the whole stack to be built.

Requests with any other cookie (a session: logged-in users, flash messages) and other
methods pass straight to the view; logged-in users get ``no-store, private`` from
`SecurityHeadersMiddleware`. See docs/deploy.md ("Caching in front").
"""

from __future__ import annotations

import datetime
import hashlib
import os
from functools import wraps
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, quote_etag

STORE_PREFIX = "public-page:"
STORE_MAX_BYTES = 2 * 1024 * 1024  # larger bodies (big PDFs) are built every time
STORE_SECONDS = 600  # the key holds the ETag: a stored page is never served after a change
_KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")


def _release() -> str:
    """The deployed code: MEDBORGARLOFTE_RELEASE, else the version and the newest file of
    the package (a deploy that changes a template changes every ETag)."""
    given = os.environ.get("MEDBORGARLOFTE_RELEASE", "")
    if given:
        return given
    try:
        version = metadata.version("medborgarlofte")
    except metadata.PackageNotFoundError:
        version = "dev"
    package = Path(__file__).resolve().parent.parent
    newest = 0.0
    for path in package.rglob("*"):
        if path.suffix in {".py", ".html", ".mo", ".css", ".js", ".txt"}:
            newest = max(newest, path.stat().st_mtime)
    return f"{version}:{newest:.0f}"


RELEASE = _release()


def max_age() -> int:
    return int(getattr(settings, "PUBLIC_CACHE_MAX_AGE", 60))


def stale_while_revalidate() -> int:
    return int(getattr(settings, "PUBLIC_CACHE_STALE_WHILE_REVALIDATE", 300))


def cacheable(request) -> bool:
    """A GET/HEAD with no cookie but the language choice and the CSRF token."""
    if request.method not in ("GET", "HEAD"):
        return False
    allowed = {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
    return set(request.COOKIES) <= allowed


def _newest(values) -> datetime.datetime | None:
    found = None
    for value in values:
        if isinstance(value, (tuple, list)):
            value = _newest(value)
        if isinstance(value, datetime.datetime) and (found is None or value > found):
            found = value
    return found


def _validators(request, stamps, kwargs) -> tuple[str, datetime.datetime | None]:
    code = kwargs.get("code")
    parts = [RELEASE, getattr(request, "LANGUAGE_CODE", ""), request.get_full_path()]
    parts += [stamp(code) for stamp in stamps]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return quote_etag(digest), _newest(parts)


def _mark_public(response, etag: str, last_modified) -> None:
    response["Cache-Control"] = (
        f"public, max-age={max_age()}, stale-while-revalidate={stale_while_revalidate()}"
    )
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    patch_vary_headers(response, ["Cookie"])


# Stamps of a higher layer that a lower one needs (the "why" page of the lägesbild and the
# statistics page show the agreement's priorities): the higher app registers its stamp
# by name in AppConfig.ready, the lower one asks for it by name (layers, decision 0004).
_NAMED: dict = {}


def register_stamp(name: str, function) -> None:
    _NAMED[name] = function


def named_stamp(name: str):
    """A stamp function that calls the one registered under `name` (None if none is)."""

    def stamp(code: str | None = None):
        function = _NAMED.get(name)
        return (name, function(code) if function else None)

    stamp.__name__ = f"{name}_stamp"
    return stamp


class NotStored(Exception):
    """Raised on the fast path (`PublicPageMiddleware`) when the page is neither a 304 nor
    stored: the request then goes through the whole middleware stack to be built."""


# The request attribute that marks the fast path, and the one that keeps the validators it
# computed so the full stack does not run the stamps' queries a second time.
FAST = "_public_page_fast_path"
_VALIDATORS = "_public_page_validators"


def _store_key(etag: str, request) -> str:
    return STORE_PREFIX + hashlib.sha256(f"{etag}{request.get_full_path()}".encode()).hexdigest()


def public_page(*stamps, store: bool = True):
    """Make a public view cacheable (see the module docstring).

    Each stamp is a function ``stamp(code) -> value`` (code is the view's ``code``
    argument, the kommunkod, or None); the values must change whenever what the page
    shows can change. Datetimes among them give ``Last-Modified``. ``store=False`` for
    pages whose stamps only bound their age (a minute) rather than follow every change:
    they are rendered on every request that is not a 304.

    On the fast path (``PublicPageMiddleware``, before the session, auth … middleware) the
    view answers a 304 or the stored page, and raises `NotStored` instead of building it.
    Decorators outside this one (``require_safe``, ``csrf_exempt``) run on that path too, so
    they must not need ``request.user`` or ``request.session`` for a GET (every public page
    is requested that way in publicsite/tests/test_public_cache.py).
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not cacheable(request):
                return view(request, *args, **kwargs)
            validators = getattr(request, _VALIDATORS, None)
            if validators is None:
                validators = _validators(request, stamps, kwargs)
            etag, last_modified = validators
            unchanged = get_conditional_response(
                request,
                etag=etag,
                last_modified=int(last_modified.timestamp()) if last_modified else None,
            )
            if unchanged is not None:  # 304 (or 412 for a failed If-Match)
                _mark_public(unchanged, etag, last_modified)
                return unchanged
            cache = caches["default"]
            key = _store_key(etag, request)
            stored = cache.get(key) if store else None
            if stored is not None:
                status, headers, body = stored
                response = HttpResponse(body, status=status)
                for name, value in headers:
                    response[name] = value
            elif getattr(request, FAST, False):
                setattr(request, _VALIDATORS, validators)
                raise NotStored
            else:
                response = view(request, *args, **kwargs)
                if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or response.cookies:
                    # A form's CSRF token or another cookie: this answer is one visitor's.
                    response["Cache-Control"] = "private, no-cache"
                    return response
                if response.status_code != 200:
                    return response
                if store and not response.streaming and len(response.content) <= STORE_MAX_BYTES:
                    headers = [(h, response[h]) for h in _KEPT_HEADERS if h in response]
                    cache.set(key, (200, headers, response.content), STORE_SECONDS)
            _mark_public(response, etag, last_modified)
            return response

        wrapped.public_page = True
        return wrapped

    return decorator
