"""XSS payloads in every free-text and name field, every page opened in headless Chromium
(issue 7, item 5; the server-side half is tests/test_xss_escaping.py).

The kommun of tests/xss_world.py (the corpus of medborgarlofte/privacy/tests/corpus/xss.txt
in every field) is opened page by page: internal pages as coordinator and police, the
reporter's own pages, public pages anonymously and the admin as a superuser, one browser
context per persona. The Content-Security-Policy is bypassed (bypass_csp), so what is
tested is the escaping itself, not the second line of defence. On every page: no dialog
(alert, confirm, prompt) opened, window.__xss is undefined, the DOM holds no markup a
payload could have injected (tests/xss_checks.DOM_CHECK) and no request left the site.
"""

import time

import pytest
from django.test import Client
from playwright.sync_api import Error as PlaywrightError

from tests.xss_checks import dom_check_script
from tests.xss_pages import pages
from tests.xss_world import build_world

from .conftest import browser_db, new_page

pytestmark = [pytest.mark.browser, pytest.mark.slow, browser_db]

# After "load": two animation frames, so that autofocus, SVG animation and media errors
# have had their chance to run a handler; then what the page holds.
PROBE = """async () => {
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return {xss: typeof window.__xss === "undefined" ? null : String(window.__xss),
          findings: (%s)()};
}"""


def _persona_page(browser, live_server, user, dialogs):
    page = new_page(browser, live_server, bypass_csp=True)
    if user is not None:
        from django.conf import settings

        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )

    def on_dialog(dialog):
        dialogs.append((page.url, dialog.type, dialog.message))
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return page


def _visit(page, url, probe, persona):
    """None when the page is clean, else what went wrong."""
    try:
        response = page.goto(url, wait_until="domcontentloaded")
        sent_to_login = persona != "anonymous" and "/konto/logga-in/" in page.url
        if response is None or response.status >= 400 or sent_to_login:
            return f"answered {response.status if response else None} at {page.url}"
        result = page.evaluate(probe)
    except PlaywrightError as error:  # a payload navigated away (meta refresh, form …)
        return {"error": str(error).splitlines()[0], "now at": page.url}
    if result["xss"] is not None or result["findings"]:
        return result
    return None


def test_no_payload_runs_on_any_page(browser, live_server, settings, tmp_path):
    settings.MEDBORGARLOFTE_PRIVATE_FILES = tmp_path / "private"
    world = build_world()
    probe = PROBE % dom_check_script()
    dialogs, problems, visited = [], {}, 0
    started = time.monotonic()
    by_persona = {}
    for item in pages(world):
        if item.html:
            for persona in item.personas:
                by_persona.setdefault(persona, []).append(item.url)
    for persona, urls in sorted(by_persona.items()):
        page = _persona_page(browser, live_server, world.users.get(persona), dialogs)
        for url in urls:
            visited += 1
            problem = _visit(page, url, probe, persona)
            if problem:
                problems[f"{persona} {url}"] = problem
        if page.external_requests:
            problems[f"{persona} external requests"] = page.external_requests[:5]
    print(f"{visited} pages in {time.monotonic() - started:.1f} s")
    assert dialogs == []
    assert problems == {}
    assert visited >= 100
