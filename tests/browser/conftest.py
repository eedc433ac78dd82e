"""Fixtures for browser tests: sync Playwright driving Debian's Chromium against
pytest-django's live server.

- Never downloads a browser: uses /usr/bin/chromium (`apt-get install -y chromium`).
  Without it the tests are skipped, unless the environment variable CI is set, in
  which case they fail.
- Every request that does not go to the live server is aborted and recorded, so a
  test can assert that a page makes no external request.
- Browser tests need `transactional_db` (the live server runs in another thread); use
  the `browser_db` marker below, which also restores the kommun reference data.
"""

import contextlib
import os
from pathlib import Path

import pytest

# Sync Playwright runs an event loop in the test thread; Django's ORM refuses to run
# from a thread with a running loop unless told that this is fine.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERIOUS = {"serious", "critical"}

# transaction=True: the live server thread must see the test's data. serialized_rollback:
# the flush after each test would otherwise delete the 290 kommuner loaded by migration.
browser_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is an error, not a skip)")
    pytest.skip(reason)


def pytest_collection_modifyitems(items):
    """Every transactional browser test gets serialized_rollback, so that the flush after
    one test does not leave the next without the kommun reference data (whatever order
    the tests run in)."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if item.get_closest_marker("browser") is None or marker is None:
            continue
        if marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            item.add_marker(pytest.mark.django_db(**marker.kwargs, serialized_rollback=True))


@pytest.fixture(scope="session")
def browser(django_db_setup, django_db_blocker):
    """Chromium for the whole session.

    While sync Playwright runs, the test thread sees a fresh contextvars context, so
    Django hands out new connection objects there. The serialized copy of the test
    database (used by serialized_rollback) hangs on the old objects: carry it over.
    """
    if not CHROMIUM.exists():
        _unavailable("/usr/bin/chromium is missing: apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
    from django.db import connections

    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


_open_contexts: list = []


def new_page(browser, live_server, external_requests: list | None = None, **context_options):
    """A page in a fresh browser context (locale sv-SE, base_url = the live server).

    Every request that does not go to the live server is aborted and its URL appended to
    `page.external_requests` (the list passed in, or a new one). Extra keyword arguments
    go to browser.new_context, e.g. java_script_enabled=False. The context is closed at
    the end of the test.
    """
    origin = live_server.url.rstrip("/")
    blocked = external_requests if external_requests is not None else []

    def route(route):
        url = route.request.url
        if url == origin or url.startswith(origin + "/"):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context_options.setdefault("locale", "sv-SE")
    context_options.setdefault("base_url", origin)
    context = browser.new_context(**context_options)
    _open_contexts.append(context)
    context.set_default_timeout(15_000)
    context.route("**/*", route)
    page = context.new_page()
    page.external_requests = blocked
    return page


@pytest.fixture(autouse=True)
def _close_contexts():
    yield
    while _open_contexts:
        context = _open_contexts.pop()
        with contextlib.suppress(Exception):  # the browser may already be gone
            context.close()


@pytest.fixture
def external_requests() -> list[str]:
    """URLs of every request the `page` fixture's page tried to make outside the live server."""
    return []


@pytest.fixture
def page(browser, live_server, external_requests):
    """A fresh page (new context, locale sv-SE) that may only talk to the live server."""
    return new_page(browser, live_server, external_requests)


def assert_no_serious_axe_violations(page) -> None:
    """Run axe-core on the page; fail on violations with impact serious or critical."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
    if not violations:
        return
    lines = [f"{len(violations)} serious/critical axe violation(s) on {page.url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    target {node.get('target')}: {node.get('html', '')[:200]}")
            summary = node.get("failureSummary")
            if summary:
                lines.append("      " + summary.replace("\n", "\n      "))
    pytest.fail("\n".join(lines), pytrace=False)
