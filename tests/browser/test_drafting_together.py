"""Drafting together in a real browser (issue 18, "How we will know it works").

The police comment on a commitment of a draft, the coordinator answers and changes the
commitment's text, the police mark the thread resolved and approve; the version page
shows the changed words marked inside the sentence; after publication the comment is in
no export (YAML, JSON, PDF, DOCX), on no public page and in no public PDF.
Selectors use form actions, names and values, not translated labels.
"""

import io
import re
import zipfile

import pytest

from medborgarlofte.accounts.models import Comment
from medborgarlofte.agreements.models import AgreementVersion, Status
from medborgarlofte.demo.loader import load_demo

from .conftest import assert_no_serious_axe_violations, browser_db, new_page

pytestmark = [pytest.mark.browser, pytest.mark.slow, browser_db]

PASSWORD = "demo-lösenord-för-test"
QUESTION = "Kan vi skriva ut veckodagen Zebrafinkmåndag så att alla vet när lägesbilden delas?"
ANSWER = "Ja, jag ändrar texten så att Zebrafinkmåndag står med."
NEW_TEXT = (
    "Polisen och Mullsjö kommun ska dela lägesbild varje måndag genom samordnare och kommunpolis"
)
MARKER = "Zebrafinkmåndag"


def _login(page, base, username):
    page.goto(f"{base}/konto/logga-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]:not(.link-button)")
    page.wait_for_url(re.compile(r"/arbete/"))


def _pdf_text(body: bytes) -> str:
    import subprocess

    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=body, capture_output=True, check=True
    ).stdout.decode()


def _docx_text(body: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return archive.read("word/document.xml").decode()


def test_the_parties_draft_together_and_the_comments_stay_internal(browser, live_server):
    load_demo(PASSWORD)
    base = live_server.url
    coordinator = new_page(browser, live_server)
    police = new_page(browser, live_server)

    _login(coordinator, base, "samordnare")
    v1 = AgreementVersion.objects.get(municipality__code="0642", number=1)
    coordinator.goto(f"{base}/arbete/avtal/{v1.agreement_id}/")
    coordinator.click("form[action$='/ny-version/'] button")
    coordinator.wait_for_url(re.compile(r"/version/2/"))
    v2 = AgreementVersion.objects.get(municipality__code="0642", number=2)
    version_url = f"{base}/arbete/avtal/{v2.agreement_id}/version/2/"

    # The police comment on the second commitment of the first section.
    item = coordinator.locator("ol.commitments > li").nth(1)
    ref = next(
        c.ref
        for c in v2.commitments.all()
        if c.ref and re.search(rf"\b{re.escape(c.ref)}\b", item.inner_text())
    )
    _login(police, base, "kommunpolis")
    police.goto(version_url)
    comments = police.locator("#comments")
    comments.locator("details > summary").last.click()
    police.select_option("#comments select[name=anchor]", f"commitment:{ref}")
    comments.locator("form textarea[name=text]").last.fill(QUESTION)
    comments.locator("button[name=action][value=add]").last.click()
    police.wait_for_selector(f"#comments >> text={MARKER}")
    thread = Comment.objects.get(parent=None)
    assert (thread.anchor_kind, thread.anchor_ref) == ("commitment", ref)
    assert_no_serious_axe_violations(police)

    # The coordinator sees one open comment before approving, answers, changes the text.
    coordinator.goto(version_url)
    assert "1 olöst kommentar" in coordinator.content()
    answer = coordinator.locator(f"#comment-{thread.pk}")
    answer.locator("details > summary").click()
    answer.locator("textarea[name=text]").fill(ANSWER)
    answer.locator("button[name=action][value=add]").click()
    coordinator.wait_for_selector(f"#comment-{thread.pk} .reply")
    assert thread.replies.get().text == ANSWER
    item = coordinator.locator("ol.commitments > li").nth(1)
    item.locator("details:has(button[value=save]) > summary").click()
    item.locator("textarea").fill(NEW_TEXT)
    item.locator("button[value=save]").click()
    coordinator.wait_for_selector(f"text={NEW_TEXT}")

    # The police resolve the thread and approve; the diff marks the changed words.
    police.goto(version_url)
    police.locator(f"#comment-{thread.pk} button[name=action][value=resolve]").click()
    police.wait_for_selector(f"#comment-{thread.pk}.resolved")
    assert "olöst" not in police.content()
    police.click("form[action$='/godkannande/'] button[value=approve]")
    police.wait_for_selector("form[action$='/godkannande/'] button[value=withdraw]")
    changes = police.locator("#changes-since-published")
    added = " ".join(changes.locator("ins.diff-added").all_text_contents())
    assert "måndag" in added, added
    assert changes.locator("del.diff-removed").count() >= 1
    assert_no_serious_axe_violations(police)

    # Both parties approve, the police publish.
    coordinator.goto(version_url)
    coordinator.click("form[action$='/godkannande/'] button[value=approve]")
    coordinator.wait_for_selector("form[action$='/godkannande/'] button[value=withdraw]")
    police.goto(version_url)
    police.click("form[action$='/publicera/'] button")
    police.wait_for_selector(".badge-published")
    v2.refresh_from_db()
    assert v2.status == Status.PUBLISHED

    # The comments are in no export, public page or PDF; the changed text is.
    texts = {}
    for fmt in ("yaml", "json", "pdf", "docx"):
        response = coordinator.request.get(f"{version_url}dokument.{fmt}")
        assert response.status == 200, fmt
        body = response.body()
        texts[fmt] = {"pdf": _pdf_text, "docx": _docx_text}.get(fmt, bytes.decode)(body)
    public = new_page(browser, live_server)
    public.goto(f"{base}/kommun/0642/medborgarlofte/2024/")
    texts["public page"] = public.content()
    assert "måndag" in texts["public page"]
    for link in public.locator("a[href$='.pdf']").all()[:2]:
        href = link.get_attribute("href")
        response = public.request.get(href if href.startswith("http") else base + href)
        if response.status == 200:
            texts[href] = _pdf_text(response.body())
    for where, text in texts.items():
        assert MARKER not in text, where
        assert ANSWER not in text, where
    assert "varje måndag" in texts["yaml"]
