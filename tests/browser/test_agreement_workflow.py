"""The newcomer's path through the product, in a real browser (Debian's Chromium).

Coordinator starts a new version of the published Mullsjö 2024 promise, the police
approve it, the coordinator edits a commitment (which clears the approval), both
parties approve, the police publish, and the change shows on the public page and in
the version history. Selectors use form actions and names, not translated labels.
"""

import re

import pytest

from medborgarlofte.agreements.models import AgreementVersion, Status
from medborgarlofte.demo.loader import load_demo

from .conftest import assert_no_serious_axe_violations, browser_db, new_page

pytestmark = [pytest.mark.browser, pytest.mark.slow, browser_db]

PASSWORD = "demo-lösenord-för-test"
NEW_TEXT = (
    "Polisen och Mullsjö kommun ska dela lägesbild varje måndag genom samordnare och kommunpolis"
)


def _login(page, base, username):
    page.goto(f"{base}/konto/logga-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]:not(.link-button)")
    page.wait_for_url(re.compile(r"/arbete/"))


def _open_latest(page, base):
    version = AgreementVersion.objects.filter(municipality__code="0642").order_by("-number").first()
    page.goto(f"{base}/arbete/avtal/{version.agreement_id}/")
    return version


def test_it_takes_a_change_from_draft_to_the_public_page(browser, live_server):
    load_demo(PASSWORD)
    base = live_server.url
    coordinator = new_page(browser, live_server)
    police = new_page(browser, live_server)

    _login(coordinator, base, "samordnare")
    _open_latest(coordinator, base)
    assert_no_serious_axe_violations(coordinator)
    coordinator.click("form[action$='/ny-version/'] button")
    coordinator.wait_for_url(re.compile(r"/version/2/"))

    _login(police, base, "kommunpolis")
    _open_latest(police, base)
    police.click("form[action$='/godkannande/'] button[value=approve]")
    police.wait_for_selector("form[action$='/godkannande/'] button[value=withdraw]")
    v2 = AgreementVersion.objects.get(municipality__code="0642", number=2)
    assert list(v2.approvals.values_list("party_kind", flat=True)) == ["police"]

    coordinator.reload()
    assert_no_serious_axe_violations(coordinator)
    item = coordinator.locator("ol.commitments > li").nth(1)
    item.locator("details:has(button[value=save]) > summary").click()
    item.locator("textarea").fill(NEW_TEXT)
    item.locator("button[value=save]").click()
    coordinator.wait_for_selector(f"text={NEW_TEXT}")
    coordinator.wait_for_selector(".message-warning")
    assert v2.approvals.count() == 0

    coordinator.click("form[action$='/godkannande/'] button[value=approve]")
    coordinator.wait_for_selector("form[action$='/godkannande/'] button[value=withdraw]")
    police.reload()
    police.click("form[action$='/godkannande/'] button[value=approve]")
    police.wait_for_selector("form[action$='/publicera/'] button")
    police.click("form[action$='/publicera/'] button")
    police.wait_for_selector(".badge-published")
    v2.refresh_from_db()
    assert v2.status == Status.PUBLISHED

    public = new_page(browser, live_server)
    public.goto(f"{base}/kommun/0642/medborgarlofte/2024/")
    assert NEW_TEXT in public.content()
    assert_no_serious_axe_violations(public)

    coordinator.goto(f"{base}/arbete/avtal/{v2.agreement_id}/historik/")
    history = coordinator.locator("#v2").locator("xpath=..")
    # The history shows the change as words marked inside the sentence (issue 18).
    added = " ".join(history.locator("ins").all_text_contents())
    assert "varje måndag" in added, added
    assert_no_serious_axe_violations(coordinator)
