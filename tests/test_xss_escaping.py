"""XSS payloads in every free-text and name field, every page checked on the server side
(issue 7, item 5; the browser half is tests/browser/test_xss.py).

One kommun is filled with the corpus (tests/xss_world.py); every GET page of the product
is fetched with the Django test client as the personas that may see it (internal pages as
coordinator and police, the reporter's own pages, public pages anonymously, the admin as
a superuser). For every HTML page: no markup a payload could have injected
(tests/xss_checks.py), no payload containing "<" present raw, and every stored value
found whole as text somewhere. Non-HTML answers must not be served as HTML. One
follow-up PDF is read back with pdftotext.
"""

import shutil
import subprocess
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models, transaction
from django.test import Client, override_settings
from django.urls import reverse

from tests.xss_checks import answer_texts, feed_html, injected_markup, parse, texts
from tests.xss_checks import strings as all_strings
from tests.xss_pages import SKIPPED, Page, pages
from tests.xss_world import YEAR, build_world, load_corpus

pytestmark = pytest.mark.django_db

# String fields that hold no free text, by rule or by name, with the reason.
NOT_FREE_TEXT = {
    "accounts.AuditEntry.action": "action key written by code",
    "accounts.Comment.document_kind": "document kind key written by code",
    "accounts.Comment.anchor_ref": "commitment reference or primary key",
    "accounts.AuditEntry.object_type": "model name written by code",
    "accounts.AuditEntry.object_id": "primary key",
    "accounts.User.password": "password hash",
    "actionplans.Measure.ref": "reference written by code (Å1, Å2 …)",
    "actionplans.Measure.commitment_ref": "commitment reference key",
    "actionplans.Goal.ref": "reference written by code (M1, M2 …)",
    "actionplans.GoalCommitment.commitment_ref": "commitment reference key",
    "accounts.RecoveryCode.code_hash": "keyed hash of a recovery code",
    "accounts.RecoveryCodeDevice.name": "device name written by code",
    "accounts.ProviderMfaDevice.name": "the provider's slug, written by code",
    "accounts.ExternalIdentity.deactivation_reason": "reason key written by code",
    "agreements.AgreementVersion.extensions": "extension data of the exchange format, never rendered",
    "agreements.AgreementVersion.follow_up_schedule": "list of period keys",
    "agreements.BasisItem.years": "list of years",
    "followup.FollowUp.period": "period key (followup/periods.py), from a URL converter",
    "crimestats.AreaTotal.area": "kommun or county code",
    "crimestats.CrimeCategory.aliases": "import aliases, never rendered",
    "crimestats.CrimeCategory.code": "code from the taxonomy file",
    "crimestats.CrimeCategory.legal_reference": "from the taxonomy file (reference data)",
    "crimestats.KpiValue.kpi": "Kolada KPI id",
    "crimestats.KpiValue.status": "status flag of the Kolada API",
    "dialogues.EntryTheme.theme": "theme key from themes.py",
    "dialogues.EntryTheme.area": "copy of DialogueEntry.area (the entry's field is tested)",
    "followup.Activity.commitment_ref": "commitment reference key",
    "followup.Activity.late_period": "period key of the closed follow-up, written by code",
    "followup.CommitmentStatus.commitment_ref": "commitment reference key",
    "followup.FollowUp.snapshot": "published copy of the other fields (rendered on the citizen page)",
    "followup.IndicatorSourceMapping.commitment_ref": "commitment reference key",
    "followup.IndicatorSourceMapping.indicator_title": "copy of Indicator.title (a key)",
    "followup.IndicatorValue.commitment_ref": "commitment reference key",
    "followup.IndicatorValue.indicator_title": "copy of Indicator.title (a key)",
    "followup.Narrative.focus_area_key": "focus area key",
    "followup.ReminderSent.key": "key written by code",
    "followup.ReminderSent.kind": "kind written by code",
    "incidents.MeetingAction.commitment_ref": "commitment reference key, chosen from a list",
    "incidents.PoliceEvent.gps": "coordinates",
    "incidents.PoliceImportRun.source": "file name or API address, shown on no page",
    "incidents.WeeklyMeeting.participants": "role keys chosen from a list",
    "incidents.WeeklyMeeting.commitment_refs": "commitment reference keys chosen from a list",
    "kommuner.Municipality.code": "kommun code",
    "kommuner.County.code": "county code",
    "kommuner.Place.polygon": "coordinates",
    "lagesbild.Evidence.source_app": "app label written by code",
    "lagesbild.Evidence.source_key": "key written by code",
    "lagesbild.LagesbildVersion.content": "frozen copy of the other fields (rendered on the version page)",
    "lagesbild.LagesbildVersion.police_sections": "frozen copy of the intelligence section",
    "lagesbild.LagesbildVersion.approved_by": "party keys and user ids",
    "lagesbild.Programme.url": "an address: http(s) only (add_programme refuses other schemes)",
    "privacy.PersonalDataDismissal.field": "a model field name from privacy.gate.DISMISSABLE",
    "privacy.PersonalDataDismissal.kind": "a scanner kind key",
    "privacy.PersonalDataDismissal.text_hash": "hash",
    "privacy.PersonalDataDismissal.hit_hash": "hash",
}
# Free-text fields that no page or download shows (stored, audited, or used for matching).
NOT_RENDERED = {
    "accounts.AuditEntry.before": "JSON kept for the audit trail; the log page shows the summary",
    "accounts.AuditEntry.after": "JSON kept for the audit trail; the log page shows the summary",
    "dialogues.DialogueImportRun.file_name": "kept with the import run, shown nowhere",
    "dialogues.DialogueImportRun.user_label": "kept with the import run, shown nowhere",
    "crimestats.ImportRun.user_label": "kept with the import run, shown nowhere",
    "followup.Activity.decisions": "stored with a logged meeting, shown on no page",
    "followup.Activity.participants": "stored with a logged meeting, shown on no page",
    "followup.ImportRun.file_name": "kept with the import run, shown nowhere",
    "incidents.PoliceEvent.name": "Polisen's title, used to find the time and place only",
    "incidents.PoliceEvent.location_name": "used to match the kommun only",
    "privacy.PersonalDataDismissal.reason": "kept for the audit trail (with the audit entry); "
    "shown on no page",
}
NOT_FREE_TEXT_NAMES = {
    "sha256": "hash",
    "fingerprint": "hash",
    "stored_name": "random file name",
    "content_type": "detected file type",
    "import_key": "hash",
    "key": "key written by code",
    "slug": "key",
    "kind": "kind written by code",
}


def _model_label(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def string_fields():
    """(label, model, field) of every string or JSON field of the project's models."""
    for model in apps.get_models():
        if not model.__module__.startswith("medborgarlofte."):
            continue
        for f in model._meta.get_fields():
            if not isinstance(f, models.CharField | models.TextField | models.JSONField):
                continue
            yield f"{_model_label(model)}.{f.name}", model, f


def _exempt(label: str, f) -> str:
    if label in NOT_FREE_TEXT:
        return NOT_FREE_TEXT[label]
    if getattr(f, "choices", None):
        return "choices"
    return NOT_FREE_TEXT_NAMES.get(f.name, "")


def _stored(model, f) -> list[str]:
    values = model._default_manager.values_list(f.name, flat=True).distinct()
    if isinstance(f, models.JSONField):
        return [s for v in values for s in all_strings(v) if s]
    return [v for v in values if v]


def _fields_holding(value: str) -> list[str]:
    return [
        label for label, model, f in string_fields() if any(value in v for v in _stored(model, f))
    ]


# --- The world and the sweep (built once for the module) --------------------------------


def _test_settings(private):
    """What conftest's function-scoped _fast_and_quiet sets, for the module's fixtures."""
    from django.conf import settings

    return override_settings(
        MEDBORGARLOFTE_PRIVATE_FILES=private,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        TWO_FACTOR_REQUIRED=False,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    private = tmp_path_factory.mktemp("private")
    with django_db_blocker.unblock(), _test_settings(private), transaction.atomic():
        built = build_world()
        built.private = private
        yield built
        transaction.set_rollback(True)


@dataclass
class Answer:
    page: Page
    status: int
    content_type: str
    body: str
    findings: list = field(default_factory=list)  # injected markup (HTML pages)
    strings: list = field(default_factory=list)  # texts and attribute values, decoded

    @property
    def is_html(self) -> bool:
        return self.status == 200 and self.content_type.startswith("text/html")


@pytest.fixture(scope="module")
def sweep(world, django_db_blocker):
    """{(persona, url): Answer} for every page and persona (each page parsed once)."""
    found = {}
    with django_db_blocker.unblock(), _test_settings(world.private):
        clients = {"anonymous": Client(raise_request_exception=False)}
        for persona, user in world.users.items():
            clients[persona] = Client(raise_request_exception=False)
            clients[persona].force_login(user)
        for page in pages(world):
            for persona in page.personas:
                response = clients[persona].get(page.url)
                body = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                ).decode("utf-8", "replace")
                answer = Answer(page, response.status_code, response.get("Content-Type", ""), body)
                if answer.is_html:
                    soup = parse(body)
                    answer.strings, answer.findings = texts(soup), injected_markup(soup)
                elif answer.status == 200:
                    answer.strings = answer_texts(answer.content_type, body)
                if answer.status == 200 and "atom" in answer.content_type:
                    # type="html" elements are rendered as HTML by feed readers
                    for html in feed_html(body):
                        answer.findings += injected_markup(parse(html))
                found[(persona, page.url)] = answer
    return found


def _html(sweep):
    for (persona, url), answer in sweep.items():
        if answer.is_html:
            yield persona, url, answer.body


# --- The corpus ------------------------------------------------------------------------------


def test_the_corpus_has_at_least_50_payloads_that_flag_themselves():
    corpus = load_corpus()
    assert len(corpus) >= 50
    assert len(set(corpus)) == len(corpus), "a payload is listed twice"
    scripted = [p for p in corpus if "alert(" in p]
    assert all("__x" in p or "alert()" in p for p in scripted)


def test_every_payload_is_stored_and_every_free_text_field_holds_payloads(world):
    assert world.payloads.unused() == []
    corpus = load_corpus()
    missing = []
    for label, model, f in string_fields():
        if _exempt(label, f):
            continue
        held = [v for v in _stored(model, f) if any(p in v for p in corpus)]
        if not held:
            missing.append(label)
    assert missing == [], (
        "free-text fields with no payload: store some in tests/xss_world.py, or say in "
        "NOT_FREE_TEXT why the field holds no free text"
    )


def test_every_field_gets_several_payloads(world):
    corpus = load_corpus()
    few = {}
    for label, model, f in string_fields():
        if _exempt(label, f):
            continue
        held = {p for v in _stored(model, f) for p in corpus if p in v}
        if len(held) < 2:
            few[label] = len(held)
    assert few == {}


# --- The pages -------------------------------------------------------------------------------


def test_every_url_name_is_visited_or_skipped_with_a_reason(world):
    from medborgarlofte.accounts.tests.access_matrix import url_names as _names
    from tests.xss_pages import access_rows

    visited = {page.name for page in pages(world)}
    rows = access_rows()
    forgotten = sorted(
        name
        for name in set(_names())
        if not name.startswith("admin:")
        and name not in visited
        and name not in SKIPPED
        and not (name in rows and rows[name][0] != "get")
    )
    assert forgotten == []


def test_every_page_answers_to_a_persona_that_may_see_it(sweep):
    by_url = defaultdict(set)
    for (_persona, url), answer in sweep.items():
        by_url[url].add(answer.status)
    errors = {key: a.status for key, a in sweep.items() if a.status >= 500}
    assert errors == {}
    broken = {url: sorted(s) for url, s in by_url.items() if not s & {200, 302}}
    assert broken == {}


def test_no_page_carries_markup_from_a_payload(sweep):
    found = {f"{p} {url}": a.findings[:5] for (p, url), a in sweep.items() if a.findings}
    assert found == {}


def test_no_payload_with_markup_appears_unescaped(sweep, world):
    raw = [v for v in world.payloads.values if "<" in v]
    found = defaultdict(list)
    for persona, url, body in _html(sweep):
        for value in raw:
            if value in body:
                found[f"{persona} {url}"].append(value[:80])
    assert dict(found) == {}


def test_every_stored_value_is_shown_as_text_on_some_page(sweep, world):
    """Proves the sweep sees every field, and that each shows escaped (as text) in a page,
    or as a string in a download (JSON, CSV, YAML, Atom)."""
    shown = set()
    values = set(world.payloads.values)
    for answer in sweep.values():
        for value in values - shown:
            if any(value in text for text in answer.strings):
                shown.add(value)
    not_shown = {v[:80]: _fields_holding(v) for v in values - shown}
    not_shown = {v: f for v, f in not_shown.items() if not set(f) <= NOT_RENDERED.keys()}
    assert not_shown == {}


def test_escaped_forms_are_in_the_html(sweep):
    """The plainest form of the property: &lt;script is there, <script>alert is not."""
    bodies = [body for _persona, _url, body in _html(sweep)]
    assert any("&lt;script&gt;window.__xss=1;alert(1)&lt;/script&gt;" in b for b in bodies)
    assert not any("<script>window.__xss" in b for b in bodies)


def test_other_answers_are_not_served_as_html(sweep):
    """Downloads and API answers carry payloads as data: never a type a browser renders
    as HTML (the Atom feed is parsed as XML in the sweep, so it is well-formed)."""
    wrong = {}
    for (persona, url), answer in sweep.items():
        if answer.status != 200:
            continue
        if answer.page.html != answer.content_type.startswith("text/html"):
            wrong[f"{persona} {url}"] = answer.content_type
    assert wrong == {}


@pytest.mark.parametrize(
    "path",
    [
        "/kommun/%3Cscript%3Ewindow.__xss=1;alert(1)%3C/script%3E/",
        '/arbete/"><img src=x onerror=window.__xss=1;alert(1)>/',
        "/api/v1/%3Csvg%20onload=alert(1)%3E",
    ],
)
def test_error_pages_do_not_echo_the_address_as_markup(client, path):
    response = client.get(path)
    assert response.status_code == 404
    body = response.content.decode()
    if response["Content-Type"].startswith("text/html"):
        assert injected_markup(parse(body)) == []
    assert "<script>window" not in body and "<img src=x" not in body and "<svg" not in body


def test_a_commitment_ref_with_a_slash_is_refused(mullsjo_document):
    """A ref is a segment of the follow-up addresses: "/" in it made the year page a 500."""
    from medborgarlofte.agreements.exchange import validate_document

    mullsjo_document["sections"][0]["commitments"][0]["ref"] = "a/b"
    issues = validate_document(mullsjo_document)
    assert [issue for issue in issues if "ref" in str(issue)]


# --- Links made from stored addresses ------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "link"),
    [
        (
            "/aktuellt/handelser/2025/juni/7/x/",
            "https://polisen.se/aktuellt/handelser/2025/juni/7/x/",
        ),
        ("https://polisen.se/x", "https://polisen.se/x"),
        ("javascript:window.__xss=1;alert(1)", ""),
        (" JaVaScRiPt:alert(1)", ""),
        ("data:text/html,<script>alert(1)</script>", ""),
        ("//evil.example/x", ""),
    ],
)
def test_a_police_event_links_only_to_http_addresses(url, link):
    from medborgarlofte.incidents.models import PoliceEvent

    assert PoliceEvent(url=url).absolute_url == link


@pytest.mark.parametrize("url", ["javascript:window.__xss=1;alert(1)", "data:text/html,x"])
def test_a_programme_address_must_be_http(coordinator, mullsjo, url):
    from django.core.exceptions import ValidationError

    from medborgarlofte.lagesbild import services
    from medborgarlofte.lagesbild.models import Programme

    with pytest.raises(ValidationError):
        services.add_programme(
            mullsjo, coordinator, title="Program", url=url, first_year=2024, last_year=2025
        )
    assert not Programme.objects.filter(url=url).exists()


# --- Charts ---------------------------------------------------------------------------------


def test_chart_labels_are_drawn_as_written():
    """Matplotlib reads $…$ as mathtext: an unknown command in a label was a 500."""
    from medborgarlofte.reports.charts import line_chart

    name = "$\\x$ <script>window.__xss=1;alert(1)</script>"
    chart = line_chart(
        {name: [("2023", 1.0), ("2024", 2.0)], "_dold": [("2023", 2.0), ("2024", 1.0)]},
        title=name,
        description=name,
        y_label="$x^2$ <b>",
    )
    soup = parse(chart.svg)
    assert injected_markup(soup) == []
    drawn = texts(soup)
    assert name in drawn  # the legend, as written
    assert "\u200b_dold" in drawn  # a label starting with _ is not dropped from the legend
    assert "$x^2$ <b>" in drawn


# --- A PDF -----------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_a_follow_up_pdf_shows_payloads_as_literal_text(world):
    client = Client()
    client.force_login(world.users["coordinator"])
    response = client.get(reverse("followup:report-pdf", args=[world.kommun.code, YEAR]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "report.pdf"
        path.write_bytes(body)
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
        ).stdout
    flat = " ".join(text.split())
    assert "<img src=x onerror=" in flat  # the payload as literal text
    assert "&lt;img" not in flat and "&amp;" not in flat  # escaped once, not twice
