"""The turn of the year in a real browser (issue 14, "How we will know it works"):
`samordnare` makes next year's promise from Mullsjö 2024, keeps, changes and drops
commitments (a drop needs a reason), edits a signatory, a focus area and the follow-up
plan; `kommunpolis` sees the approval waiting on Att göra, approves and publishes; the
to-do is gone. Weekly EST meetings recorded on the week page then satisfy the weekly
commitment of 2025. No YAML, no command line.

The editor swaps itself in place with htmx (hx-boost), so after a save the test waits
for the swapped content to show the new value, never for `networkidle` (which an XHR
does not reliably hold back). The copy lands on `/avtal/<new>/version/1/`; the 2024
page is `/version/1/` too, so the wait names a different agreement (waiting for
`/version/1/` alone returned at once and left the test on the frozen 2024 page, where
the signatory form it then waited for does not exist).
"""

import re

import pytest

from medborgarlofte.accounts.models import AuditEntry
from medborgarlofte.agreements import services as agreement_services
from medborgarlofte.agreements.demo import EXAMPLES_DIR
from medborgarlofte.agreements.exchange import (
    dump_document,
    export_version_document,
    load_document,
)
from medborgarlofte.agreements.importing import import_agreement_document
from medborgarlofte.agreements.models import Agreement, AgreementVersion, Commitment, Status
from medborgarlofte.demo.loader import DEMO_USERS, ensure_user
from medborgarlofte.followup import periods
from medborgarlofte.followup.demo import load_followup_demo

from .conftest import assert_no_serious_axe_violations, browser_db, new_page

pytestmark = [pytest.mark.browser, pytest.mark.slow, browser_db]

PASSWORD = "demo-lösenord-för-test"
CHANGED = "Polisen och Mullsjö kommun ska dela lägesbild varje måndag, även under sommaren"
REASON = "Kameraövervakningen är på plats sedan december 2024."
SIGNATORY_ROLE = "Lokalpolisområdeschef, LPO Södra Vätterbygden"
FOCUS_AREA = "Trygga barn och unga"
EST_WEEKS = (2, 3, 4)


def _mullsjo_2024_with_its_follow_up():
    users = {name: ensure_user(name, m, PASSWORD) for name, m, _d in DEMO_USERS}
    path = EXAMPLES_DIR / "mullsjo-2024.yaml"
    document = load_document(path.read_bytes(), name=path.name)
    version = import_agreement_document(document, user=users["samordnare"]).version
    agreement_services.approve_agreement(version, users["samordnare"], "municipality")
    agreement_services.approve_agreement(version, users["kommunpolis"], "police")
    version.refresh_from_db()
    agreement_services.publish_agreement(version, users["samordnare"])
    load_followup_demo(users["samordnare"], users["kommunpolis"])
    version.refresh_from_db()
    return version


def _login(page, base, username):
    page.goto(f"{base}/konto/logga-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]:not(.link-button)")
    page.wait_for_url(re.compile(r"/arbete/"))


def _open(page, form):
    """Open the <details> that holds the form (the editor keeps its forms folded)."""
    summary = page.locator(f"details:has(> {form}) > summary").first
    if not summary.count():
        summary = page.locator(f"details:has({form}) > summary").first
    summary.click()


def test_the_turn_of_the_year_in_the_browser(browser, live_server):
    old = _mullsjo_2024_with_its_follow_up()
    before = dump_document(export_version_document(old), "yaml")
    old_commitments = {c.ref: c for c in old.commitments.all()}
    base = live_server.url
    coordinator = new_page(browser, live_server)
    _login(coordinator, base, "samordnare")

    # Skapa nästa års medborgarlöfte, from the published 2024 page.
    coordinator.goto(f"{base}/arbete/avtal/{old.agreement_id}/")
    coordinator.click("details#copy > summary")
    coordinator.fill("input[name='copy-start_year']", "2025")
    coordinator.click("form[action$='/nasta-period/'] button[type=submit]")
    coordinator.wait_for_url(re.compile(rf"/avtal/(?!{old.agreement_id}/)\d+/version/1/"))
    draft = AgreementVersion.objects.get(
        municipality__code="0642", agreement__period_start__year=2025
    )
    assert draft.status == Status.DRAFT and draft.approvals.count() == 0
    # Last year's follow-up beside each commitment, with keep / change / drop.
    first = coordinator.locator("ol.commitments > li").first
    assert "Fortsätter m24-01 (2024)" in first.inner_text()
    assert coordinator.locator(".card.earlier").count() == 19

    commitments = {c.continues.ref: c for c in draft.commitments.select_related("continues")}
    weekly, dropped = commitments["m24-02"], commitments["m24-14"]

    # Change one commitment.
    item = coordinator.locator(f"li#c{weekly.pk}")
    item.locator("details:has(button[value=save]) > summary").click()
    item.locator(f"textarea[name='c{weekly.pk}-text']").fill(CHANGED)
    item.locator("button[value=save]").click()
    coordinator.wait_for_selector(f"li#c{weekly.pk} .commitment-text:has-text('{CHANGED}')")

    # Drop one: first without a reason (refused), then with one.
    drop = f"form[action$='/loften/{dropped.pk}/slopa/']"
    _open(coordinator, drop)
    coordinator.click(f"{drop} button[type=submit]")
    coordinator.wait_for_selector(f"{drop} textarea:invalid")  # the browser asks first
    assert Commitment.objects.filter(pk=dropped.pk).exists()
    coordinator.fill(f"{drop} textarea[name='d{dropped.pk}-reason']", REASON)
    coordinator.click(f"{drop} button[type=submit]")
    coordinator.wait_for_selector(f"li#c{dropped.pk}", state="detached")
    assert not Commitment.objects.filter(pk=dropped.pk).exists()

    # A signatory.
    signatory = draft.signatories.order_by("position", "pk").first()
    form = f"form[action$='/undertecknare/{signatory.pk}/']"
    _open(coordinator, form)
    coordinator.fill(f"{form} input[name='sg{signatory.pk}-role']", SIGNATORY_ROLE)
    coordinator.click(f"{form} button[value=save]")
    coordinator.wait_for_selector(f"#signatories + dd:has-text('{SIGNATORY_ROLE}')")

    # A focus area.
    area = draft.focus_areas.order_by("position", "pk").first()
    form = f"form[action$='/fokusomraden/{area.pk}/']"
    _open(coordinator, form)
    coordinator.fill(f"{form} input[name='fa{area.pk}-title']", FOCUS_AREA)
    coordinator.click(f"{form} button[value=save]")
    coordinator.wait_for_selector(f"#focus-areas > ul > li:has-text('{FOCUS_AREA}')")

    # The follow-up plan: per quarter from 2025.
    form = "form[action$='/uppgifter/']"
    _open(coordinator, form)
    coordinator.select_option(f"{form} select[name='details-follow_up_rhythm']", "quarter")
    coordinator.click(f"{form} button[type=submit]")
    coordinator.wait_for_selector(".follow-up-rhythm:has-text('Per kvartal')")
    assert_no_serious_axe_violations(coordinator)

    coordinator.click("form[action$='/godkannande/'] button[value=approve]")
    coordinator.wait_for_selector("form[action$='/godkannande/'] button[value=withdraw]")

    # The police see the approval waiting for them, approve and publish.
    police = new_page(browser, live_server)
    _login(police, base, "kommunpolis")
    editor = f"/arbete/avtal/{draft.agreement_id}/version/1/"
    police.goto(f"{base}/arbete/uppfoljning/att-gora/")
    assert police.locator(f"li.todo-approve a[href='{editor}']").count() == 1
    police.click(f"li.todo-approve a[href='{editor}']")
    police.click("form[action$='/godkannande/'] button[value=approve]")
    police.wait_for_selector("form[action$='/publicera/'] button")
    police.click("form[action$='/publicera/'] button")
    police.wait_for_selector(".badge-published")
    police.goto(f"{base}/arbete/uppfoljning/att-gora/")
    assert police.locator(f"a[href='{editor}']").count() == 0  # the to-do is cleared

    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    new = list(draft.commitments.select_related("continues").order_by("ref"))
    assert [c.ref for c in new] == [f"m25-{n:02d}" for n in range(1, 20) if n != 14]
    assert all(c.continues.ref == c.ref.replace("m25", "m24") for c in new)
    assert all(c.continues_id == old_commitments[c.continues.ref].pk for c in new)
    assert next(c for c in new if c.ref == "m25-02").text == CHANGED
    assert AuditEntry.objects.get(action="drop_commitment").after["reason"] == REASON
    assert draft.signatories.get(pk=signatory.pk).role == SIGNATORY_ROLE
    assert draft.focus_areas.get(pk=area.pk).title == FOCUS_AREA
    agreement = Agreement.objects.get(pk=draft.agreement_id)
    assert periods.rhythm_for(agreement).keys() == ["q1", "q2", "q3", "q4", "year"]
    # 2024 is unchanged, byte for byte.
    old.refresh_from_db()
    assert old.status == Status.PUBLISHED
    assert dump_document(export_version_document(old), "yaml") == before

    # EST entered once: weekly meetings recorded on the week page serve m25-02.
    for week in EST_WEEKS:
        coordinator.goto(f"{base}/arbete/handelser/kommun/0642/vecka/2025/{week}/")
        meeting = "form[action$='/mote/']"
        coordinator.fill(f"{meeting} input[name='meeting-date']", f"2025-01-{7 * week - 6:02d}")
        coordinator.check(f"{meeting} input[name='meeting-participants'][value=samordnare]")
        coordinator.check(f"{meeting} input[name='meeting-participants'][value=kommunpolis]")
        coordinator.check(f"{meeting} input[name='meeting-commitment_refs'][value='m25-02']")
        coordinator.click(f"{meeting} button[type=submit]")
        coordinator.wait_for_selector(".message-success")
    coordinator.goto(f"{base}/arbete/uppfoljning/kommun/0642/2025/")
    regularity = coordinator.locator("#c-m25-02 .fu-compliance").inner_text()
    assert re.search(rf"\b{len(EST_WEEKS)}\D+52\b", regularity), regularity
    # The quarterly plan decides the periods of the year page.
    assert coordinator.locator("a[href$='/2025/q1/']").count() >= 1
    assert coordinator.locator("a[href$='/2025/t1/']").count() == 0
