"""From the joint lägesbild to the public "what we heard → what we promised" page.

A coordinator builds Mullsjö's lägesbild (a problem with evidence), both parties
approve it, its priorities become the agreement's focus areas and crime categories in
a new version, a commitment is linked to the problem, the version is approved and
published, and the public page shows the chain. Selectors use form actions and field
names, not translated labels.
"""

import re

import pytest

from conftest import PASSWORD, make_user
from medborgarlofte.agreements import services as agreement_services
from medborgarlofte.agreements.importing import import_agreement_document
from medborgarlofte.agreements.models import AgreementVersion, Status
from medborgarlofte.lagesbild.models import Lagesbild

from .conftest import assert_no_serious_axe_violations, browser_db, new_page

pytestmark = [pytest.mark.browser, pytest.mark.slow, browser_db]

PROBLEM = "Langning vid resecentrum kvällstid"
FOCUS = "Trygghet vid resecentrum"


def _login(page, base, username):
    page.goto(f"{base}/konto/logga-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]:not(.link-button)")
    page.wait_for_url(re.compile(r"/arbete/"))


def _published_agreement(coordinator, police, mullsjo_document):
    version = import_agreement_document(mullsjo_document, user=coordinator).version
    agreement_services.approve_agreement(version, coordinator, "municipality")
    agreement_services.approve_agreement(version, police, "police")
    version.refresh_from_db()
    return agreement_services.publish_agreement(version, coordinator)


def _build_lagesbild(page, base):
    page.goto(f"{base}/arbete/lagesbild/kommun/0642/")
    assert_no_serious_axe_violations(page)
    page.click("details:has(form[action$='/ny/']) summary")
    page.fill("#id_new-title", "Gemensam lägesbild Mullsjö 2023")
    page.fill("#id_new-period_start", "2023-01-01")
    page.fill("#id_new-period_end", "2023-12-31")
    page.fill("#id_new-promise_year", "2024")
    page.click("form[action$='/ny/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/arbete/lagesbild/\d+/$"))
    page.click("details:has(form[action$='/problem/']) summary")
    page.fill("#id_new-problem-title", PROBLEM)
    page.fill("#id_new-problem-behaviour", "Försäljning av narkotika till unga")
    page.fill("#id_new-problem-place", "Resecentrum")
    page.fill("#id_new-problem-time", "Fredag och lördag kväll")
    page.fill("#id_new-problem-focus_area", FOCUS)
    page.select_option("#id_new-problem-crime_categories", label="Narkotikabrott")
    page.check("#id_new-problem-chosen")
    page.click("form[action$='/problem/'] button[type=submit]")
    # visible: the comment form's anchor list also names the problem, in an <option>
    page.wait_for_selector(f"text={PROBLEM} >> visible=true")
    problem = page.locator("li.problem").first
    problem.locator("details:has(input[value=manual]) summary").click()
    form = problem.locator("form:has(input[value=manual])")
    form.locator("select[name$='-kind']").select_option("survey")
    form.locator("input[name$='-label']").fill("Langning upplevs som problem: index 2,3 (n = 400)")
    form.locator("select[name$='-strength']").select_option("high")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("table.evidence")
    assert_no_serious_axe_violations(page)


def test_it_goes_from_lagesbild_to_the_public_chain(browser, live_server, mullsjo_document):
    coordinator_user = make_user("samordnare", [("0642", "coordinator")])
    police_user = make_user("kommunpolis", [("0642", "police")])
    published = _published_agreement(coordinator_user, police_user, mullsjo_document)
    base = live_server.url
    coordinator = new_page(browser, live_server)
    police = new_page(browser, live_server)

    _login(coordinator, base, "samordnare")
    _build_lagesbild(coordinator, base)
    coordinator.click("form[action$='/godkannande/'] button[value=approve]")
    coordinator.wait_for_selector("form[action$='/godkannande/'] button[value=withdraw]")

    lagesbild = Lagesbild.objects.get(municipality__code="0642")
    _login(police, base, "kommunpolis")
    police.goto(f"{base}/arbete/lagesbild/{lagesbild.pk}/")
    police.click("form[action$='/godkannande/'] button[value=approve]")
    police.wait_for_selector(".lagesbild-versions")
    lagesbild.refresh_from_db()
    assert lagesbild.status == Lagesbild.Status.APPROVED

    # priorities → the agreement: a new draft version gets the focus area and category
    coordinator.goto(f"{base}/arbete/avtal/{published.agreement_id}/version/1/")
    coordinator.click("details.priorities summary")
    coordinator.select_option("#id_priorities-lagesbild", str(lagesbild.pk))
    coordinator.click("form[action$='/prioriteringar/'] button[type=submit]")
    coordinator.wait_for_url(re.compile(r"/version/2/"))
    assert FOCUS in coordinator.locator("#focus-areas").inner_text()
    v2 = AgreementVersion.objects.get(agreement=published.agreement, number=2)
    assert FOCUS in v2.focus_areas.values_list("title", flat=True)
    assert "Narkotikabrott" in v2.crime_categories.values_list("name", flat=True)

    # the commitment answering the problem links it
    commitment = v2.commitments.get(ref="m24-15")
    item = coordinator.locator(f"#c{commitment.pk}")
    item.locator("details:has(form[action$='/problem/']) summary").click()
    item.locator("form[action$='/problem/'] input[type=checkbox]").first.check()
    item.locator("form[action$='/problem/'] button[type=submit]").click()
    coordinator.wait_for_selector(f"#c{commitment.pk} .why-list")
    assert_no_serious_axe_violations(coordinator)

    coordinator.click("form[action$='/godkannande/'] button[value=approve]")
    coordinator.wait_for_selector("form[action$='/godkannande/'] button[value=withdraw]")
    police.goto(f"{base}/arbete/avtal/{published.agreement_id}/version/2/")
    police.click("form[action$='/godkannande/'] button[value=approve]")
    police.wait_for_selector("form[action$='/publicera/'] button")
    police.click("form[action$='/publicera/'] button")
    police.wait_for_selector(".badge-published")
    v2.refresh_from_db()
    assert v2.status == Status.PUBLISHED

    public = new_page(browser, live_server)
    public.goto(f"{base}/kommun/0642/medborgarlofte/2024/")
    public.click("a[href$='/varfor/']")
    public.wait_for_url(re.compile(r"/varfor/$"))
    text = public.locator("main").inner_text()
    assert PROBLEM in text
    assert commitment.text in text
    assert "index 2,3" in text
    assert_no_serious_axe_violations(public)
