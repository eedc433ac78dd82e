"""The public dialogue form in a real browser, with and without JavaScript, and the
internal survey and dialogue pages: axe-core clean, personal data removed and told."""

import re

import pytest

from conftest import PASSWORD, make_user
from medborgarlofte.dialogues.demo import load_dialogues_demo
from medborgarlofte.dialogues.models import DialogueEntry
from medborgarlofte.surveys.demo import load_surveys_demo

from .conftest import assert_no_serious_axe_violations, browser_db, new_page

pytestmark = [pytest.mark.browser, browser_db]

FORM = "/kommun/0642/tyck-till/"


def test_the_public_form_works_without_javascript_and_removes_personal_data(browser, live_server):
    page = new_page(browser, live_server, java_script_enabled=False)
    page.goto(f"{live_server.url}{FORM}")
    page.fill("#id_area", "Stationen")
    page.fill("#id_text", "Mopeder buskör vid stationen varje kväll. Ring mig på 070-123 45 67.")
    page.click("form[method=post] button[type=submit]:not(.link-button)")
    page.wait_for_url(re.compile(r"/tyck-till/tack/"))
    assert page.locator("main li").count() == 1  # one kind removed: the phone number
    entry = DialogueEntry.objects.get()
    assert "070" not in entry.text and entry.theme_keys == ["trafik"]


def test_the_public_form_and_thanks_page_are_accessible(browser, live_server):
    page = new_page(browser, live_server)
    page.goto(f"{live_server.url}{FORM}")
    assert_no_serious_axe_violations(page)
    box = page.locator("#id_website").bounding_box()
    assert box is None or box["x"] + box["width"] <= 0  # the honeypot is off-screen
    page.fill("#id_text", "Klotter i tunneln, mejla a.b@exempel.se")
    page.click("form[method=post] button[type=submit]:not(.link-button)")
    page.wait_for_url(re.compile(r"/tyck-till/tack/"))
    assert_no_serious_axe_violations(page)


def test_the_internal_survey_and_dialogue_pages_are_accessible(browser, live_server):
    make_user("samordnare", [("0642", "coordinator")])
    load_surveys_demo()
    load_dialogues_demo()
    page = new_page(browser, live_server)
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.fill("#id_username", "samordnare")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]:not(.link-button)")
    page.wait_for_url(re.compile(r"/arbete/"))
    for path in ("/arbete/trygghet/kommun/0642/", "/arbete/dialoger/kommun/0642/"):
        page.goto(f"{live_server.url}{path}")
        assert page.locator(".badge-example").count() > 0
        assert_no_serious_axe_violations(page)
    entry = DialogueEntry.objects.order_by("pk").first()
    page.goto(f"{live_server.url}/arbete/dialoger/kommun/0642/post/{entry.pk}/")
    assert_no_serious_axe_violations(page)
