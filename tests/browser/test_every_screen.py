"""Every page of the demo at 1 280 and 320 CSS px, public and as each role (issue 16).

On every page that answers 200 with HTML: the page itself does not scroll sideways
(document.documentElement.scrollWidth <= window.innerWidth, WCAG 1.4.10 Reflow: wide
tables scroll inside their own labelled region) and axe-core finds no serious or
critical violation of a WCAG 2.0/2.1 level A or AA rule (the bar of the law: EN 301 549
is WCAG 2.1 AA; axe's best-practice rules are not run). One browser context per role
and width, one page reused.

A page whose markup, apart from the signed-in user's name, the to-do badge and the CSRF
token, is the same as one already checked at the same width (the police and the
coordinator often read the same page) is checked for reflow but not run through axe
again: axe's result depends on nothing else.

Four tests, width × group of roles, so that pytest-xdist spreads them over both cores.

SCREENSHOT_DIR=docs/screenshots saves the agreement, follow-up and statistics pages at
320 px (docs/screenshots/*-320.png).
"""

import hashlib
import os
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.screen_pages import demo_world, readable_pages

from .conftest import SERIOUS, browser_db, new_page

pytestmark = [pytest.mark.browser, pytest.mark.slow, browser_db]

WIDTHS = {"desktop": (1280, 900), "phone": (320, 640)}
# The police and the coordinator share a group: their pages are often the same markup.
GROUPS = {"staff": ("coordinator", "police"), "others": ("anonymous", "reader", "reporter")}
EXPECTED = {
    "staff": (
        "dialogues:municipality",
        "agreements:version",
        "lagesbild:document",
        "incidents:week",
        "followup:year",
        "actionplans:plan",
        "council:report",
    ),
    "others": (
        "publicsite:agreement",
        "followup_public:citizen-page",
        "crimestats_public:statistics",
        "dialogues:municipality",
    ),
}
WCAG_AA = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
}
_PERSONAL = [
    (re.compile(r'(csrfmiddlewaretoken" value="|csrf-token" content=")[^"]+'), r"\1"),
    (re.compile(r'(<button type="submit" class="link-button">[^<(]*\()[^)<]*(\))'), r"\1\2"),
    (re.compile(r'<span class="badge">\d+</span>'), ""),
]


def markup_key(html: str) -> str:
    """The page's markup without what differs per signed-in person (name, badge, token)."""
    for pattern, replacement in _PERSONAL:
        html = pattern.sub(replacement, html)
    return hashlib.sha256(html.encode()).hexdigest()


SCREENSHOTS = {
    "publicsite:agreement": "agreement",
    "followup_public:citizen-page": "followup",
    "crimestats_public:statistics": "statistics",
}


def _login(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": cookie.value,
                "url": live_server.url,
            }
        ]
    )


def _axe_problems(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG_AA)
    return [
        f"{v['id']} ({v['impact']}): {[n.get('target') for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in SERIOUS
    ]


def test_the_groups_hold_every_role_once():
    from tests.screen_pages import ROLES

    assert sorted(r for roles in GROUPS.values() for r in roles) == sorted(ROLES)


@pytest.mark.parametrize("group", list(GROUPS))
@pytest.mark.parametrize("width_name", list(WIDTHS))
def test_every_page_reflows_and_passes_axe(
    browser, live_server, settings, tmp_path, width_name, group
):
    if os.environ.get("SCREEN_WIDTHS", width_name) != width_name:
        pytest.skip(f"SCREEN_WIDTHS={os.environ['SCREEN_WIDTHS']}")
    settings.MEDBORGARLOFTE_PRIVATE_FILES = tmp_path / "private"
    world = demo_world()
    roles = [r for r in os.environ.get("SCREEN_ROLES", "").split(",") if r]
    roles = [r for r in (roles or GROUPS[group]) if r in GROUPS[group]]
    if not roles:
        pytest.skip(f"SCREEN_ROLES={os.environ['SCREEN_ROLES']}: none in {group}")
    by_role = readable_pages(world, roles)
    shots = Path(os.environ["SCREENSHOT_DIR"]) if os.environ.get("SCREENSHOT_DIR") else None
    problems, checked, shot, axed = [], set(), set(), set()
    seen_names = set()
    width, height = WIDTHS[width_name]
    for role in by_role:
        page = new_page(browser, live_server, viewport={"width": width, "height": height})
        if role != "anonymous":
            _login(page, live_server, world["users"][role])
        for name, url, html in by_role[role]:
            response = page.goto(url, wait_until="load")
            if response is None or response.status != 200:
                problems.append(f"{role} {width}px {url}: answered {response and response.status}")
                continue
            seen_names.add(name)
            checked.add((role, width_name, name))
            scroll, inner = page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            if scroll > inner:
                problems.append(f"{role} {width}px {url}: page is {scroll}px wide")
            key = markup_key(html)
            if key not in axed:
                axed.add(key)
                problems += [f"{role} {width}px {url}: {p}" for p in _axe_problems(page)]
            if shots and width_name == "phone" and name in SCREENSHOTS and name not in shot:
                shot.add(name)
                shots.mkdir(parents=True, exist_ok=True)
                suffix = os.environ.get("SCREENSHOT_SUFFIX", "after")
                page.screenshot(
                    path=str(shots / f"{SCREENSHOTS[name]}-320-{suffix}.png"), full_page=True
                )
        page.context.close()
    # The crawl reached the pages it is about (not a login page 80 times).
    expected_names = () if os.environ.get("SCREEN_ROLES") else EXPECTED[group]
    if os.environ.get("SCREEN_REPORT"):
        Path(f"{os.environ['SCREEN_REPORT']}.{width_name}.{group}").write_text(
            "\n".join(problems) + "\n"
        )
    for expected in expected_names:
        assert expected in seen_names, expected
    assert not problems, f"{len(problems)} problem(s) on {len(checked)} pages:\n" + "\n".join(
        problems
    )
