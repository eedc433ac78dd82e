"""The statutory flow of lag (2023:196) in a real browser (issue 15), as the coordinator.

Mullsjö starts with nothing statutory decided: a frozen, approved joint lägesbild 2023
(with every part of 4 §) and a draft of the medborgarlöfte 2024. The coordinator checks
the council report (nothing decided), records the kommun's decision on the lägesbild,
drafts an åtgärdsplan from its problems with three measures, turns the two done with the
police into commitments of the draft, follows one up, approves; the kommunpolis approves;
the coordinator records the decision on the plan. The council report then gives both
decisions with their dates, and its PDF (read with pdftotext) and DOCX (python-docx),
downloaded through the page's links, hold every measure with its status. Selectors use
form actions, field ids and names, not translated labels.
"""

import io
import re
import subprocess
from datetime import date

import pytest

from conftest import PASSWORD, make_user
from medborgarlofte.actionplans.models import ActionPlan, Measure
from medborgarlofte.agreements.importing import import_agreement_document
from medborgarlofte.agreements.models import Commitment
from medborgarlofte.crimestats.demo import load_crimestats_demo
from medborgarlofte.lagesbild import services as lagesbild_services
from medborgarlofte.lagesbild.models import LagesbildDecision

from .conftest import assert_no_serious_axe_violations, browser_db, new_page

pytestmark = [pytest.mark.browser, pytest.mark.slow, browser_db]

PROBLEMS = ("Langning vid resecentrum kvällstid", "Skadegörelse på skolgårdar")
# (title, problem, with the police, hours, cost)
MEASURES = [
    ("Trygghetsvandringar vid resecentrum", PROBLEMS[0], True, "120", "15000"),
    ("Föräldravandringar fredagskvällar", PROBLEMS[0], True, "80", "5000"),
    ("Bättre belysning på skolgårdarna", PROBLEMS[1], False, "40", "250000"),
]
FOLLOWED_UP = 0  # the measure followed up (Pågår); the others: Ingen uppföljning ännu


def _login(page, base, username):
    page.goto(f"{base}/konto/logga-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]:not(.link-button)")
    page.wait_for_url(re.compile(r"/arbete/|/konto/tvastegs"))
    # With TWO_FACTOR_REQUIRED (off in tests) an unenrolled user would be sent to the
    # second step here; this test runs with the password step only.
    assert "/arbete/" in page.url, page.url


def _undecided_mullsjo(coordinator, police, mullsjo_document):
    """A frozen joint lägesbild 2023 holding every part of 4 §, and a draft medborgarlöfte."""
    load_crimestats_demo("0642", years=range(2021, 2024))
    kommun = coordinator.memberships.get().municipality
    lagesbild = lagesbild_services.create_lagesbild(
        kommun,
        coordinator,
        title="Gemensam lägesbild Mullsjö 2023",
        period_start=date(2023, 1, 1),
        period_end=date(2023, 12, 31),
        promise_year=2024,
    )
    for title in PROBLEMS:
        lagesbild_services.add_problem(
            lagesbild, coordinator, title=title, behaviour="", place="", time="", chosen=True
        )
    lagesbild_services.update_lagesbild(
        lagesbild,
        coordinator,
        consequences="Skadegörelsen kostar kommunen omkring en miljon kronor om året.",
        analysis="Narkotikahandeln vid resecentrum driver otryggheten på kvällarna.",
    )
    lagesbild.refresh_from_db()
    lagesbild_services.approve_lagesbild(lagesbild, coordinator, "municipality")
    version = lagesbild_services.approve_lagesbild(lagesbild, police, "police")
    import_agreement_document(mullsjo_document, user=coordinator)
    return lagesbild, version


def _statutory_answers(page) -> str:
    return page.locator("section[aria-labelledby=council-status]").inner_text()


def _decide(page, body, day, paragraph, reference):
    page.select_option("#id_decision-body", body)
    page.fill("#id_decision-decided_on", day)
    page.fill("#id_decision-paragraph", paragraph)
    page.fill("#id_decision-reference", reference)
    page.click("#decision form button[type=submit]")
    page.wait_for_selector("#decision dl.facts")


def _add_measure(page, title, problem, with_police, hours, cost):
    page.click("details:has(form[action$='/atgard/']) > summary")
    form = page.locator("form[action$='/atgard/']")
    form.locator("#id_new-measure-title").fill(title)
    form.locator("label", has_text=problem).locator("input").check()
    form.locator("#id_new-measure-responsible").fill("Kommunledningsförvaltningen")
    form.locator("#id_new-measure-partners").fill("Fastighetsägare")
    if with_police:
        form.locator("#id_new-measure-with_police").check()
    form.locator("#id_new-measure-starts").fill("2024-01-01")
    form.locator("#id_new-measure-ends").fill("2025-12-31")
    form.locator("#id_new-measure-hours").fill(hours)
    form.locator("#id_new-measure-cost").fill(cost)
    form.locator("#id_new-measure-expected_effect").fill("Färre platser som upplevs otrygga")
    form.locator("#id_new-measure-indicator").fill("Andel som känner sig trygga")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"#measures h3:has-text('{title}')")


STATUSES = ["Pågår (T1 (januari–april) 2024)", "Ingen uppföljning ännu", "Ingen uppföljning ännu"]


def _assert_every_measure_with_its_status(text: str) -> None:
    """Each measure's heading (Å1 …) is followed, before the next one, by its status."""
    starts = [text.find(f"Å{n} {title}") for n, (title, *_r) in enumerate(MEASURES, start=1)]
    assert -1 not in starts, (starts, text)
    ends = [*starts[1:], len(text)]
    for start, end, status in zip(starts, ends, STATUSES, strict=True):
        assert status in text[start:end], (status, text[start:end])


def _download(page, link_selector) -> bytes:
    with page.expect_download() as info:
        page.click(link_selector)
    path = info.value.path()
    with open(path, "rb") as handle:
        return handle.read()


def test_the_coordinator_takes_the_statutory_flow_to_the_council_report(
    browser, live_server, mullsjo_document
):
    coordinator_user = make_user("samordnare", [("0642", "coordinator")])
    police_user = make_user("kommunpolis", [("0642", "police")])
    lagesbild, version = _undecided_mullsjo(coordinator_user, police_user, mullsjo_document)
    base = live_server.url
    page = new_page(browser, live_server, accept_downloads=True)
    _login(page, base, "samordnare")

    # Before: nothing statutory is decided
    page.goto(f"{base}/arbete/radsrapport/kommun/0642/")
    before = _statutory_answers(page)
    assert "Ingen beslutad lägesbild." in before
    assert "Ingen beslutad åtgärdsplan." in before

    # 1. the kommun's decision on the frozen lägesbild
    page.goto(f"{base}/arbete/lagesbild/{lagesbild.pk}/version/{version.number}/")
    _decide(page, "kommunstyrelsen", "2024-01-23", "§ 7", "KS 2024/12")
    assert LagesbildDecision.objects.get(document=version).paragraph == "§ 7"

    # 2. an åtgärdsplan drafted from the lägesbild's problems
    page.goto(f"{base}/arbete/atgardsplan/kommun/0642/")
    page.click("details:has(form[action$='/ny/']) > summary")
    page.fill("#id_new-title", "Brottsförebyggande åtgärder i Mullsjö")
    page.select_option("#id_new-lagesbild", str(lagesbild.pk))
    page.fill("#id_new-first_year", "2024")
    page.fill("#id_new-last_year", "2025")
    page.click("form[action$='/ny/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/arbete/atgardsplan/\d+/$"))
    plan = ActionPlan.objects.get(municipality__code="0642")
    for measure in MEASURES:
        _add_measure(page, *measure)
    measures = list(Measure.objects.filter(plan=plan).order_by("position"))
    assert [m.title for m in measures] == [m[0] for m in MEASURES]
    assert [p.title for p in measures[2].problems.all()] == [PROBLEMS[1]]
    assert_no_serious_axe_violations(page)

    # 3. the two measures done with the police become commitments of the draft
    for measure in measures[:2]:
        item = page.locator(f"#m{measure.pk}")
        item.locator("details:has(form[action$='/lofte/']) > summary").click()
        item.locator("select[name$='-section']").select_option(index=1)
        item.locator("form[action$='/lofte/'] button[type=submit]").click()
        page.wait_for_selector(f"#m{measure.pk} a[href*='/arbete/avtal/']")
    linked = {m.pk: m.commitment_ref for m in Measure.objects.filter(plan=plan)}
    for measure in measures[:2]:
        assert Commitment.objects.filter(
            municipality__code="0642", ref=linked[measure.pk], text__contains=measure.title
        ).exists()
    assert not linked[measures[2].pk]

    # a follow-up of the first measure
    first = page.locator(f"#m{measures[FOLLOWED_UP].pk}")
    first.locator("details:has(form[action$='/uppfoljning/']) > summary").click()
    form = first.locator("form[action$='/uppfoljning/']")
    form.locator("input[name$='-year']").fill("2024")
    form.locator("select[name$='-term']").select_option("t1")
    form.locator("select[name$='-status']").select_option("ongoing")
    form.locator("textarea[name$='-explanation']").fill("Fyra vandringar under våren.")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".message-success")

    # 4. approved by the kommun and the police, then decided by the kommun
    page.click("form[action$='/godkannande/'] button[value=approve]")
    page.wait_for_selector("form[action$='/godkannande/'] button[value=withdraw]")
    police = new_page(browser, live_server)
    _login(police, base, "kommunpolis")
    police.goto(f"{base}/arbete/atgardsplan/{plan.pk}/")
    police.click("form[action$='/godkannande/'] button[value=approve]")
    police.wait_for_selector(".message-success")
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.AGREED
    page.goto(f"{base}/arbete/atgardsplan/{plan.pk}/")
    _decide(page, "kommunfullmaktige", "2024-02-26", "§ 12", "KS 2024/15")
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.DECIDED

    # 5. the council report: both decisions with their dates, PDF and DOCX
    page.goto(f"{base}/arbete/atgardsplan/kommun/0642/")
    page.click("a[href$='/arbete/radsrapport/kommun/0642/']")
    page.wait_for_url(re.compile(r"/radsrapport/kommun/0642/$"))
    after = _statutory_answers(page)
    assert "Ingen beslutad" not in after
    assert re.search(r"kommunstyrelsen den 23 januari 2024, § 7 \(diarienummer KS 2024/12\)", after)
    assert re.search(
        r"kommunfullmäktige den 26 februari 2024, § 12 \(diarienummer KS 2024/15\)", after
    ), after
    assert_no_serious_axe_violations(page)

    pdf = _download(page, "a[href$='/radsrapport/kommun/0642/pdf/']")
    assert pdf.startswith(b"%PDF-")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    _assert_every_measure_with_its_status(" ".join(text.split()))
    assert "23 januari 2024" in text and "26 februari 2024" in text

    from docx import Document

    docx = Document(io.BytesIO(_download(page, "a[href$='/radsrapport/kommun/0642/docx/']")))
    _assert_every_measure_with_its_status(" ".join(p.text for p in docx.paragraphs))
