"""The idle-timeout warning appears before the limit and the user can stay (WCAG 2.2.1)."""

import pytest

from conftest import PASSWORD, make_user

from .conftest import assert_no_serious_axe_violations, browser_db, new_page

pytestmark = [pytest.mark.browser, browser_db]


def test_it_warns_before_logging_out_and_lets_the_user_stay(browser, live_server, settings):
    settings.SESSION_IDLE_SECONDS = 24
    settings.SESSION_WARNING_SECONDS = 21
    make_user("samordnare", [("0642", "coordinator")])
    page = new_page(browser, live_server)
    page.goto("/konto/logga-in/")
    page.fill("#id_username", "samordnare")
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/arbete/kommun/0642/")
    dialog = page.locator("#session-warning")
    dialog.wait_for(state="visible", timeout=8_000)
    assert page.evaluate("document.activeElement.id") == "session-extend"
    assert_no_serious_axe_violations(page)
    page.click("#session-extend")
    dialog.wait_for(state="hidden")
    page.goto("/arbete/kommun/0642/")
    assert "/konto/logga-in/" not in page.url
