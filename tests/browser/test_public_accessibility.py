"""The public pages in a real browser: axe-core (no serious or critical violations),
no external requests, keyboard basics, and the agreement page without JavaScript."""

import pytest

from medborgarlofte.publicsite.tests.builders import make_agreement, make_version

from .conftest import assert_no_serious_axe_violations, browser_db, new_page

pytestmark = [pytest.mark.browser, browser_db]

AGREEMENT = "/kommun/0642/medborgarlofte/2024/"


@pytest.fixture
def published_agreement():
    """Mullsjö 2024 in two published versions (history) plus a newer draft."""
    agreement = make_agreement("0642", 2024)
    make_version(agreement, number=1, sections=2, commitments_per_section=3)
    make_version(agreement, number=2, sections=3, commitments_per_section=4)
    make_version(agreement, number=3, status="draft", marker="UTKAST-SKA-INTE-SYNAS")
    return agreement


def heading_levels(page) -> list[int]:
    return page.eval_on_selector_all(
        "h1, h2, h3, h4, h5, h6", "els => els.map(e => Number(e.tagName[1]))"
    )


def assert_sane_structure(page):
    rules = page.evaluate("[...document.styleSheets].map(s => s.cssRules.length)")
    assert rules and all(count > 0 for count in rules), "stylesheets did not load"
    assert page.locator("h1").count() == 1
    levels = heading_levels(page)
    assert levels[0] == 1
    for previous, current in zip(levels, levels[1:], strict=False):
        assert current <= previous + 1, levels
    assert page.locator("html").get_attribute("lang") in {"sv", "en"}
    for landmark in ("header", "nav", "main", "footer"):
        assert page.locator(landmark).count() >= 1, landmark


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?q=mulls",
        "/kommun/0642/",
        "/kommun/0643/",
        AGREEMENT,
        "/kommun/0642/medborgarlofte/2024/version/1/",
        "/tillganglighet/",
    ],
)
def test_public_pages_pass_axe(page, live_server, published_agreement, path):
    response = page.goto(path)
    assert response.status == 200
    assert_sane_structure(page)
    assert_no_serious_axe_violations(page)
    assert page.external_requests == []
    assert "UTKAST-SKA-INTE-SYNAS" not in page.content()


def test_not_found_page_passes_axe(page, live_server):
    response = page.goto("/kommun/9999/")
    assert response.status == 404
    assert page.locator("h1").count() == 1
    assert_no_serious_axe_violations(page)
    assert page.external_requests == []


def test_search_without_javascript_finds_kommun(browser, live_server):
    page = new_page(browser, live_server, java_script_enabled=False)
    page.goto("/")
    page.get_by_role("searchbox").fill("åre")
    page.get_by_role("searchbox").press("Enter")
    page.wait_for_url("**/?q=*")
    page.locator(".search-results a", has_text="Åre").first.click()
    page.wait_for_url("**/kommun/2321/")
    assert page.locator("h1").inner_text().startswith("Åre")
    assert page.external_requests == []


def test_agreement_page_works_without_javascript(browser, live_server, published_agreement):
    page = new_page(browser, live_server, java_script_enabled=False)
    response = page.goto("/kommun/0642/")
    assert response.status == 200
    page.locator(".agreement-list a").first.click()
    page.wait_for_url(f"**{AGREEMENT}")
    assert page.locator("h1").count() == 1
    assert page.locator("li.commitment").count() == 12
    assert page.locator(".badge-police").count() >= 1
    # version history leads to the older version, which says a newer one exists
    page.locator(".version-history a").first.click()
    page.wait_for_url("**/version/1/")
    assert page.locator(".notice-old-version").is_visible()
    assert page.locator("li.commitment").count() == 6
    assert page.external_requests == []


def test_skip_link_and_visible_focus(page, live_server, published_agreement):
    page.goto(AGREEMENT)
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline not in {"", "none"}
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    assert page.evaluate("document.activeElement.id") == "main"


def test_agreement_prints(page, live_server, published_agreement):
    page.goto(AGREEMENT)
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".toc").is_visible()
    assert page.locator("h1").is_visible()
    assert page.locator("li.commitment").first.is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
