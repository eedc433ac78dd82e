"""A reporter on a phone reports two events at gazetteer places; the coordinator reviews
them and sees them in the week's lägesbild. Works without JavaScript; axe-core clean.
Selectors use names and form actions, not translated labels."""

import re

import pytest
from django.utils import timezone

from conftest import PASSWORD, make_user
from medborgarlofte.incidents.models import Incident

from .conftest import assert_no_serious_axe_violations, browser_db, new_page

pytestmark = [pytest.mark.browser, browser_db]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _login(page, base, username):
    page.goto(f"{base}/konto/logga-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]:not(.link-button)")
    page.wait_for_url(re.compile(r"/arbete/"))


def _setup():
    from medborgarlofte.incidents import services
    from medborgarlofte.kommuner.models import Municipality, Place

    mullsjo = Municipality.objects.get(code="0642")
    services.ensure_categories(mullsjo)
    for name, lat, lon in (
        ("Mullsjö centrum", 57.9163, 13.8786),
        ("Stationsområdet", 57.9176, 13.877),
    ):
        Place.objects.create(municipality=mullsjo, name=name, latitude=lat, longitude=lon)
    make_user("rapportor", [("0642", "reporter")])
    make_user("samordnare", [("0642", "coordinator")])


def test_a_reporter_on_a_phone_reports_two_events_that_reach_the_weekly_picture(
    browser, live_server
):
    _setup()
    base = live_server.url
    phone = new_page(browser, live_server, java_script_enabled=False, **PHONE)
    _login(phone, base, "rapportor")
    phone.goto(f"{base}/arbete/handelser/rapportera/0642/")
    _axe_as(browser, live_server, phone)
    phone.fill("input[name=organisation]", "Mullsjö kommun, fritid")
    phone.select_option("select[name=form-0-category]", label="Klotter")
    phone.select_option("select[name=form-0-place]", label="Mullsjö centrum")
    phone.fill("textarea[name=form-0-description]", "Klotter på väntkuren vid torget.")
    phone.click("button[name=add_event]")
    phone.wait_for_selector("select[name=form-1-category]")
    phone.select_option("select[name=form-1-category]", label="Skadegörelse")
    phone.select_option("select[name=form-1-place]", label="Stationsområdet")
    phone.select_option("select[name=form-1-time_band]", value="night")
    phone.click("button[name=send]")
    phone.wait_for_url(re.compile(r"/arbete/handelser/mina/"))
    assert Incident.objects.count() == 2
    _axe_as(browser, live_server, phone)

    desk = new_page(browser, live_server)
    _login(desk, base, "samordnare")
    desk.goto(f"{base}/arbete/handelser/kommun/0642/")
    assert desk.locator("table.incident-table tbody tr").count() == 2
    assert_no_serious_axe_violations(desk)
    first = Incident.objects.order_by("pk").first()
    desk.click(f"a[href$='/handelse/{first.pk}/']")
    desk.fill("textarea[name=action_taken]", "Klottret sanerat.")
    desk.click("form[action$='/hanterad/'] button")
    desk.wait_for_selector(".message-success")
    first.refresh_from_db()
    assert first.status == "handled"

    year, week, _day = timezone.localdate().isocalendar()
    desk.goto(f"{base}/arbete/handelser/kommun/0642/vecka/{year}/{week}/")
    body = desk.locator("main").inner_text()
    assert "Mullsjö centrum" in body and "Stationsområdet" in body
    assert desk.locator("svg.kommun-map").count() == 2
    assert_no_serious_axe_violations(desk)
    assert desk.external_requests == []


def _axe_as(browser, live_server, phone):
    """axe-core needs JavaScript: check the phone's page in a JS-enabled phone context
    with the same cookies."""
    page = new_page(browser, live_server, **PHONE)
    page.context.add_cookies(phone.context.cookies())
    page.goto(phone.url)
    assert_no_serious_axe_violations(page)


NARROW_PHONE = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}


def test_a_reporter_at_320_px_taps_the_kommun_map_to_give_the_place(browser, live_server):
    from medborgarlofte.incidents.models import generalise_point

    _setup()
    base = live_server.url
    phone = new_page(browser, live_server, **NARROW_PHONE)
    _login(phone, base, "rapportor")
    phone.goto(f"{base}/arbete/handelser/rapportera/0642/")
    # One event to start with; its map is shown by place-map.js (CSP allows only 'self').
    assert phone.locator("select[name=form-1-category]").count() == 0
    picker = phone.locator(".place-map svg.place-picker").first
    picker.wait_for(state="visible")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_no_serious_axe_violations(phone)
    phone.fill("input[name=organisation]", "Mullsjö kommun, fritid")
    phone.select_option("select[name=form-0-category]", label="Klotter")
    box = picker.bounding_box()
    assert box["width"] <= 320
    picker.tap(position={"x": box["width"] / 2, "y": box["height"] / 2})
    latitude = phone.input_value("input[name=form-0-latitude]")
    longitude = phone.input_value("input[name=form-0-longitude]")
    assert 57.7 < float(latitude) < 58.1 and 13.6 < float(longitude) < 14.2
    assert phone.locator(".place-map circle.picker-marker").count() == 1
    assert "latitud" in phone.locator(".place-map .picker-status").first.inner_text()
    phone.click("button[name=send]")
    phone.wait_for_url(re.compile(r"/arbete/handelser/mina/"))
    stored = Incident.objects.get()
    assert stored.place is None
    assert (stored.latitude, stored.longitude) == generalise_point(
        float(latitude), float(longitude)
    )
    assert phone.external_requests == []
