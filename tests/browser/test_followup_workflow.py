"""Follow-up in a real browser: the coordinator logs an activity, the indicator and the
cadence compliance update, a tertial follow-up is filled in (the form refuses "not done"
without an explanation), both parties approve, it is published, and the citizen page and
the Atom feed show it. axe-core on the follow-up editor and the citizen page."""

import re

import pytest

from medborgarlofte.agreements import services as agreement_services
from medborgarlofte.agreements.demo import EXAMPLES_DIR
from medborgarlofte.agreements.exchange import load_document
from medborgarlofte.agreements.importing import import_agreement_document
from medborgarlofte.demo.loader import DEMO_USERS, ensure_user
from medborgarlofte.followup.models import FollowUp

from .conftest import assert_no_serious_axe_violations, browser_db, new_page

pytestmark = [pytest.mark.browser, pytest.mark.slow, browser_db]

PASSWORD = "demo-lösenord-för-test"
REASON = "Hundföraren var sjukskriven under hela tertialen"
Y = "/arbete/uppfoljning/kommun/0642/2024"


def _published_mullsjo():
    users = {name: ensure_user(name, m, PASSWORD) for name, m, _d in DEMO_USERS}
    path = EXAMPLES_DIR / "mullsjo-2024.yaml"
    document = load_document(path.read_bytes(), name=path.name)
    version = import_agreement_document(document, user=users["samordnare"]).version
    agreement_services.approve_agreement(version, users["samordnare"], "municipality")
    agreement_services.approve_agreement(version, users["kommunpolis"], "police")
    version.refresh_from_db()
    agreement_services.publish_agreement(version, users["samordnare"])


def _login(page, base, username):
    page.goto(f"{base}/konto/logga-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]:not(.link-button)")
    page.wait_for_url(re.compile(r"/arbete/"))


def _log(page, base, ref, title):
    page.goto(f"{base}{Y}/aktiviteter/")
    page.select_option("#id_commitment_ref", ref)
    page.fill("#id_date", "2024-03-07")
    page.select_option("#id_party_kind", "police")
    page.fill("#id_title", title)
    page.fill("#id_quantity", "1")
    page.click("form[action$='/aktiviteter/ny/'] button[type=submit]")
    page.wait_for_selector(".message-success")


def test_it_takes_an_activity_to_the_citizen_page(browser, live_server):
    _published_mullsjo()
    base = live_server.url
    coordinator = new_page(browser, live_server)
    _login(coordinator, base, "samordnare")

    coordinator.goto(f"{base}{Y}/indikatorer/m24-09/0/")
    coordinator.select_option("#id_source_kind", "activities")
    coordinator.select_option("#id_source_detail", "activities:")
    coordinator.click("form[action$='/kalla/'] button:not([name])")
    coordinator.wait_for_selector(".message-success")
    _log(coordinator, base, "m24-09", "Hundsök i grundskolan")
    _log(coordinator, base, "m24-02", "Veckovis lägesbild")

    coordinator.goto(f"{base}{Y}/")
    hundsok = coordinator.locator("#c-m24-09 .fu-indicator").inner_text()
    assert re.search(r"\b1\b", hundsok)
    weekly = coordinator.locator("#c-m24-02 .fu-compliance").inner_text()
    assert re.search(r"\b1\D+52\b", weekly), weekly

    coordinator.goto(f"{base}{Y}/t1/")
    assert_no_serious_axe_violations(coordinator)
    coordinator.select_option("#id_status_m24-09", "not_done")
    coordinator.click("form.fu-editor button[type=submit]")
    coordinator.wait_for_selector("#id_explanation_m24-09_errors")
    assert not FollowUp.objects.exists()
    coordinator.fill("#id_explanation_m24-09", REASON)
    coordinator.select_option("#id_status_m24-02", "ongoing")
    coordinator.click("form.fu-editor button[type=submit]")
    coordinator.wait_for_selector(".message-success")
    coordinator.click("form[action$='/godkann/'] button")
    coordinator.wait_for_selector(".message-success")

    police = new_page(browser, live_server)
    _login(police, base, "kommunpolis")
    police.goto(f"{base}{Y}/t1/")
    police.click("form[action$='/godkann/'] input[value=police] + button")
    police.wait_for_selector("form[action$='/publicera/'] button")
    police.click("form[action$='/publicera/'] button")
    police.wait_for_selector(".badge-published")
    assert FollowUp.objects.get().status == "published"

    public = new_page(browser, live_server)
    public.goto(f"{base}/kommun/0642/medborgarlofte/2024/")
    public.click(".followup-link a")
    public.wait_for_url(re.compile(r"/uppfoljning/$"))
    assert REASON in public.locator("#c-m24-09").inner_text()
    assert_no_serious_axe_violations(public)
    assert public.external_requests == []
    feed = public.request.get(f"{base}/kommun/0642/uppfoljning.atom")
    assert feed.ok and feed.text().count("<entry>") == 1
