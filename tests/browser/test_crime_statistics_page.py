"""The Mullsjö statistics page in a real browser: renders, charts visible, axe-core clean."""

import re

import pytest

from medborgarlofte.demo.loader import load_demo

from .conftest import assert_no_serious_axe_violations, browser_db, new_page

pytestmark = [pytest.mark.browser, browser_db]

PASSWORD = "demo-lösenord-för-test"


def test_it_renders_the_mullsjo_statistics_page(browser, live_server):
    load_demo(PASSWORD)
    page = new_page(browser, live_server)
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.fill("#id_username", "samordnare")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]:not(.link-button)")
    page.wait_for_url(re.compile(r"/arbete/"))
    page.goto(f"{live_server.url}/arbete/statistik/kommun/0642/")
    assert page.locator("svg.chart").count() >= 7
    assert page.locator("text=Exempeldata").count() > 0
    assert page.locator("section.stat-category > .table-scroll > table").count() == 7
    assert_no_serious_axe_violations(page)
    assert page.external_requests == []


def test_it_renders_the_public_statistics_page(browser, live_server):
    load_demo(PASSWORD)
    page = new_page(browser, live_server)
    page.goto(f"{live_server.url}/kommun/0642/statistik/")
    assert page.locator("svg.chart").count() >= 7
    assert_no_serious_axe_violations(page)
