"""Safe editing in the agreement editor (issue 16, item 4), with JavaScript (htmx):
an inline save keeps the place on the page, and a delete can be undone from the bar
that stays in view."""

import re
from pathlib import Path

import pytest
import yaml

from conftest import PASSWORD, make_user
from medborgarlofte.agreements import services
from medborgarlofte.agreements.importing import import_agreement_document

from .conftest import assert_no_serious_axe_violations, browser_db, new_page

pytestmark = [pytest.mark.browser, browser_db]

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "agreements" / "mullsjo-2024.yaml"


def _draft():
    coordinator = make_user("samordnare", [("0642", "coordinator")])
    document = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    version = import_agreement_document(document, user=coordinator).version
    commitment = version.commitments.order_by("section__position", "position")[14]
    services.add_indicator(commitment, coordinator, title="Antal kontroller", kind="output")
    return version, commitment


def _in_view(page, selector) -> bool:
    return page.evaluate(
        """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                      return r.bottom > 0 && r.top < window.innerHeight; }""",
        selector,
    )


def test_an_inline_save_keeps_the_place_and_a_delete_can_be_undone(browser, live_server):
    version, commitment = _draft()
    base = live_server.url
    page = new_page(browser, live_server, viewport={"width": 1280, "height": 800})
    page.goto(f"{base}/konto/logga-in/")
    page.fill("#id_username", "samordnare")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]:not(.link-button)")
    page.wait_for_url(re.compile(r"/arbete/"))
    page.goto(f"{base}/arbete/avtal/{version.agreement_id}/version/{version.number}/")

    item = f"#c{commitment.pk}"
    page.locator(f"{item} > details > summary").first.click()
    page.locator(f"{item} textarea").first.fill("Polisen ska göra riktade kontroller varje vecka.")
    page.locator(f"{item} button[name=action][value=save]").first.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    top_before = page.evaluate(f"document.querySelector('{item}').getBoundingClientRect().top")
    assert before > 1000
    page.locator(f"{item} button[name=action][value=save]").first.click()
    page.wait_for_selector(".message-success")
    page.wait_for_function(
        "(sel) => document.querySelector(sel).textContent.includes('varje vecka')", arg=item
    )
    commitment.refresh_from_db()
    assert commitment.text == "Polisen ska göra riktade kontroller varje vecka."
    # the editor was swapped in place: no jump to the top or the bottom
    after = page.evaluate("window.scrollY")
    top_after = page.evaluate(f"document.querySelector('{item}').getBoundingClientRect().top")
    bottom = page.evaluate("document.documentElement.scrollHeight - window.innerHeight")
    assert 0 < after < bottom - 100 and abs(after - before) < 800
    assert 0 <= top_after < 100 and top_before < 0  # the edited commitment, at the top
    assert _in_view(page, item)

    titles = list(commitment.indicators.values_list("title", flat=True))
    assert len(titles) >= 2
    page.locator(f"{item} .indicators details.confirm-delete summary").first.click()
    page.locator(f"{item} .indicators details.confirm-delete button").first.click()
    page.wait_for_selector(".undo-bar")
    assert list(commitment.indicators.values_list("title", flat=True)) == titles[1:]
    assert _in_view(page, ".undo-bar")  # sticky: in view wherever the delete was
    assert_no_serious_axe_violations(page)
    page.locator(".undo-bar button").click()
    page.wait_for_selector(".message-success")
    page.wait_for_function("() => !document.querySelector('.undo-bar')")
    assert list(commitment.indicators.values_list("title", flat=True)) == titles
    assert page.locator(f"{item} .indicators li").count() == len(titles)
