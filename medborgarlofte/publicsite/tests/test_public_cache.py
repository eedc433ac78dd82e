"""Every public page is cacheable by a proxy or CDN (issue 17, accounts/public_cache.py).

For an anonymous visitor: Cache-Control public with max-age and stale-while-revalidate, a
validator, Vary: Cookie, no Set-Cookie, and 304 to a conditional request. PUBLIC lists
every public URL pattern; test_every_public_pattern_is_listed fails when a new one is
added without being listed here (or in NOT_CACHED, with the reason).
"""

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PUBLIC = [
    ("publicsite:home", [], ""),
    ("publicsite:home", [], "?q=m"),
    ("publicsite:accessibility", [], ""),
    ("publicsite:agreement-document", ["0642", 2024, "pdf"], ""),
    ("publicsite:agreement-document", ["0642", 2024, "docx"], ""),
    ("publicsite:municipality", ["0642"], ""),
    ("publicsite:agreement", ["0642", 2024], ""),
    ("publicsite:agreement-version", ["0642", 2024, 1], ""),
    ("publicsite:agreement-download", ["0642", 2024, "json"], ""),
    ("publicsite:agreement-download", ["0642", 2024, "yaml"], ""),
    ("lagesbild_public:chain", ["0642", 2024], ""),
    ("followup_public:citizen-page", ["0642", 2024], ""),
    ("followup_public:open-data-csv", ["0642", 2024], ""),
    ("followup_public:open-data-json", ["0642", 2024], ""),
    ("followup_public:report-pdf", ["0642", 2024], ""),
    ("followup_public:feed", ["0642"], ""),
    ("followup_public:national-feed", [], ""),
    ("followup_public:api-index", [], ""),
    ("followup_public:api-followup", ["0642", 2024], ""),
    ("api:public-agreement-document", ["0642", 2024], ""),
    ("crimestats_public:statistics", ["0642"], ""),
    ("incidents_public:week", ["0642", 2024, 10], ""),
    ("incidents_public:tertial", ["0642", 2024, 1], ""),
    ("dialogues_public:thanks", ["0642"], ""),
]
NOT_CACHED = {
    "dialogues_public:form": "the tyck-till form: a CSRF token and a rate limit per visitor",
    "publicsite:language": "the language switch: sets the language cookie and redirects",
}
# Not public: the staff site, the login API, Django's POST-only language switch, the admin.
STAFF_PREFIXES = ("konto/", "arbete/", "admin/", "api/v1/agreements", "i18n/setlang")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo (published Mullsjö 2024 with its follow-up and lägesbild), loaded once for
    this module and rolled back at its end."""
    from medborgarlofte.demo.loader import load_demo

    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


def _url(name, args, query):
    return reverse(name, args=args) + query


def _patterns(resolvers, prefix="", namespace=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            space = namespace
            if entry.namespace:
                space = f"{namespace}{entry.namespace}:"
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern), space)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), (namespace + entry.name) if entry.name else None


def test_every_public_pattern_is_listed():
    listed = {name for name, _args, _query in PUBLIC} | set(NOT_CACHED)
    public = {
        name or route
        for route, name in _patterns(get_resolver().url_patterns)
        if not route.lstrip("^").startswith(STAFF_PREFIXES)
    }
    assert public - listed == set(), "a public page without a decision on HTTP caching"
    assert listed - public == set(), "listed but no longer a public URL pattern"


@pytest.mark.parametrize(("name", "args", "query"), PUBLIC, ids=lambda v: str(v))
def test_public_page_is_cacheable_and_answers_304(demo, db, client, name, args, query):
    url = _url(name, args, query)
    response = client.get(url)
    assert response.status_code == 200, url
    control = response.headers.get("Cache-Control", "")
    assert control.startswith("public, max-age="), (url, control)
    assert "stale-while-revalidate=" in control
    assert "private" not in control and "no-store" not in control
    assert "Cookie" in response.headers.get("Vary", "")
    assert not response.cookies, f"{url} sets {list(response.cookies)}"
    etag = response.headers["ETag"]

    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304, url
    assert again.headers["ETag"] == etag
    assert not again.content
    assert not again.cookies

    if "Last-Modified" in response.headers:
        since = client.get(url, HTTP_IF_MODIFIED_SINCE=response.headers["Last-Modified"])
        assert since.status_code == 304, url

    # The same page served from the stored copy: same body, same validator.
    stored = client.get(url)
    assert stored.status_code == 200
    assert stored.headers["ETag"] == etag
    assert b"".join(stored) == b"".join(response) or name.endswith("report-pdf")


def test_each_language_is_its_own_variant(demo, db, client):
    url = reverse("publicsite:agreement", args=["0642", 2024])
    swedish = client.get(url)
    client.cookies["medborgarlofte_language"] = "en"
    english = client.get(url)
    assert english.headers["Content-Language"] == "en"
    assert english.headers["ETag"] != swedish.headers["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=swedish.headers["ETag"]).status_code == 200
    assert not english.cookies


def test_publishing_changes_the_validator(demo, db, client):
    from medborgarlofte.agreements.models import AgreementVersion
    from medborgarlofte.followup.models import FollowUp

    pages = [
        reverse("publicsite:agreement", args=["0642", 2024]),
        reverse("publicsite:home"),
        reverse("followup_public:citizen-page", args=["0642", 2024]),
    ]
    before = {url: client.get(url).headers["ETag"] for url in pages}
    version = AgreementVersion.objects.filter(municipality__code="0642").first()
    version.save()  # any change of a version (publishing, withdrawing) moves updated_at
    for url in pages:
        response = client.get(url, HTTP_IF_NONE_MATCH=before[url])
        assert response.status_code == 200, url
        assert response.headers["ETag"] != before[url]
    feed = reverse("followup_public:feed", args=["0642"])
    old = client.get(feed).headers["ETag"]
    FollowUp.objects.filter(municipality__code="0642").first().save()
    assert client.get(feed, HTTP_IF_NONE_MATCH=old).status_code == 200


def test_logged_in_pages_stay_private(demo, db, client):
    from conftest import make_user

    client.force_login(make_user("cache-samordnare", [("0642", "coordinator")]))
    response = client.get(reverse("publicsite:agreement", args=["0642", 2024]))
    assert response.status_code == 200
    control = response.headers["Cache-Control"]
    assert "no-store" in control and "private" in control and "public" not in control
    assert "ETag" not in response.headers


def test_only_the_public_form_sets_the_csrf_cookie(demo, db, client):
    form = client.get(reverse("dialogues_public:form", args=["0642"]))
    assert form.status_code == 200
    assert "csrftoken" in form.cookies
    assert (
        "no-cache" in form.headers["Cache-Control"] or "no-store" in form.headers["Cache-Control"]
    )


def test_the_language_link_sets_the_cookie_and_goes_back(db, client):
    back = reverse("publicsite:municipality", args=["0642"])
    response = client.get(reverse("publicsite:language", args=["en"]), {"next": back})
    assert response.status_code == 302
    assert response.headers["Location"] == back
    assert response.cookies["medborgarlofte_language"].value == "en"
    assert (
        "no-store" in response.headers["Cache-Control"]
        or "max-age=0" in response.headers["Cache-Control"]
    )
    elsewhere = client.get(
        reverse("publicsite:language", args=["sv"]), {"next": "https://example.org/"}
    )
    assert elsewhere.headers["Location"] == reverse("publicsite:home")
    assert client.get(reverse("publicsite:language", args=["xx"])).status_code == 404


def test_public_pages_link_to_the_language_switch_without_a_form(demo, db, client):
    page = client.get(reverse("publicsite:home")).content.decode()
    assert reverse("publicsite:language", args=["en"]) + "?next=/" in page
    assert "csrfmiddlewaretoken" not in page


FAST_PATH = "medborgarlofte.accounts.middleware.PublicPageMiddleware"


def test_the_fast_path_answers_as_the_whole_stack_does(demo, db, client, settings, monkeypatch):
    """A stored page and its 304 are answered before the session, auth … middleware
    (accounts.middleware.PublicPageMiddleware) with exactly the headers and body the whole
    stack gives; the stamps' queries still run under the tenant guard."""
    from django.test import Client

    from medborgarlofte.accounts import public_cache, tenancy

    guarded = []
    agreements = public_cache._NAMED["agreements"]
    monkeypatch.setitem(
        public_cache._NAMED,
        "agreements",
        lambda code=None: guarded.append(tenancy._active.get()) or agreements(code),
    )
    url = reverse("crimestats_public:statistics", args=["0642"])

    def answers(client):
        built = client.get(url)  # a miss goes through the whole stack (builds, stores)
        stored = client.get(url)
        unchanged = client.get(url, HTTP_IF_NONE_MATCH=stored.headers["ETag"])
        return built, stored, unchanged

    client.cookies["medborgarlofte_language"] = "en"
    built, fast, fast_304 = answers(client)
    assert hasattr(built.wsgi_request, "session")
    assert not hasattr(fast.wsgi_request, "session") and fast.status_code == 200
    assert not hasattr(fast_304.wsgi_request, "session") and fast_304.status_code == 304
    assert guarded and all(guarded)

    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != FAST_PATH]
    slow_client = Client()
    slow_client.cookies["medborgarlofte_language"] = "en"
    _built, slow, slow_304 = answers(slow_client)
    assert hasattr(slow.wsgi_request, "session")
    for quick, full in ((fast, slow), (fast_304, slow_304)):
        assert dict(quick.headers) == dict(full.headers)
        assert quick.content == full.content
        assert not quick.cookies and not full.cookies
    assert fast.headers["Content-Language"] == "en"
    assert fast_304.headers["Content-Security-Policy"] and fast_304.headers["X-Frame-Options"]


def test_a_session_cookie_takes_the_whole_stack(demo, db, client):
    url = reverse("publicsite:agreement", args=["0642", 2024])
    etag = client.get(url).headers["ETag"]
    client.cookies["sessionid"] = "not-a-session"
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert hasattr(response.wsgi_request, "session")
    assert response.status_code == 200 and "ETag" not in response.headers
    client.cookies.pop("sessionid")
    client.cookies["csrftoken"] = "malformed"  # CsrfViewMiddleware replaces it: full stack
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert hasattr(response.wsgi_request, "session")
