"""Police-only material stays police-only, everywhere (issue 7, item 4).

The demo is loaded with intelligence summaries that carry a marker (Mullsjö: the frozen
lägesbild 2023 and a draft for 2024; Jönköping, the other coordinator's own kommun: 2023).
Then, for every non-police actor (anonymous, reporter, reader, coordinator, the
coordinator of another kommun, and a Django superuser who holds no police role), every
URL pattern of the project (tests/police_only_pages.py) is requested: GET; each search
box (text input of a GET form, e.g. the admin's search) with the marker and with a word
of it; and an empty POST, as htmx, to every non-admin URL. Every response (HTML, PDF
text by pdftotext, CSV/XLSX/JSON exports, feeds, the API, the admin, headers and
cookies), every mail and every log record is searched for the marker and its words.
POLICE_ONLY_FULL=1 also requests every HTML page as an htmx fragment and renders every
PDF for every actor (docs/development.md).

Counts: the same GETs are made in the same world with the police-only material removed
(summaries deleted, frozen police sections emptied, the police logged in but reading
nothing). Each actor's pages must be identical, tokens and times aside: the intelligence
changes no number, badge, list or search result a non-police actor sees.

A URL pattern without a row in ARGS fails the suite. The police (positive control) see
the marker on the intelligence pages, the documents, the frozen version and the PDFs
exported with a purpose, so the search cannot pass vacuously.

Backups are exempt: a backup is a copy of the whole database (intelligence included) made
by the operator with `medborgarlofte backup`; it is served by no URL and is protected by
the host's file permissions.
"""

import logging
import os
import re
import time
from contextlib import nullcontext
from datetime import date

import pytest
from django.contrib import admin
from django.core import mail
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from conftest import make_user

from .police_only_pages import (
    ADMIN_VIEWS,
    ARGS,
    GUARD_LOGS,
    UNNAMED,
    normalise,
    patterns,
    text_of,
    urls,
)

MARKER = "QX7-POLISHEMLIG-4417"
WORDS = ["Blåsippegänget", "Zinkgruvevägen", "Ugglemosseleden"]
TEXT = (
    f"Underrättelser {MARKER}: Blåsippegänget säljer narkotika vid busskuren på "
    "Zinkgruvevägen onsdagar efter 22. Ny rutt via Ugglemosseleden."
)
NEEDLES = [MARKER, *WORDS]
ACTORS = ["anonymous", "reporter", "reader", "coordinator", "other_coordinator", "superuser"]
# The crawl runs as three tests of two actors each, so that pytest-xdist spreads it over
# both cores. Mullsjö's reader and coordinator share one test: they open the same PDFs,
# rendered once (PDF_SEEN, below).
GROUPS = {
    "anonymous-reporter": ("anonymous", "reporter"),
    "mullsjo-staff": ("reader", "coordinator"),
    "outsiders": ("other_coordinator", "superuser"),
}


# --- The world --------------------------------------------------------------------------


@pytest.fixture
def world(db, settings, tmp_path, monkeypatch, coordinator, police, reader, other_coordinator):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from medborgarlofte.accounts.models import User
    from medborgarlofte.actionplans import services as actionplan_services
    from medborgarlofte.agreements import services as agreement_services
    from medborgarlofte.agreements.models import Agreement
    from medborgarlofte.demo.loader import load_demo
    from medborgarlofte.dialogues import uploads
    from medborgarlofte.dialogues.models import DialogueEntry
    from medborgarlofte.followup import services as followup_services
    from medborgarlofte.followup.models import Activity
    from medborgarlofte.incidents.models import Incident, MeetingAction, WeeklyMeeting
    from medborgarlofte.kommuner.models import Municipality
    from medborgarlofte.lagesbild import demo as lagesbild_demo
    from medborgarlofte.lagesbild import services as lagesbild_services
    from medborgarlofte.lagesbild.models import Lagesbild
    from medborgarlofte.surveys.models import SurveyWave

    settings.MEDBORGARLOFTE_PRIVATE_FILES = tmp_path / "private"
    monkeypatch.setattr(lagesbild_demo, "INTELLIGENCE_TEXT", TEXT)
    load_demo("lösenord-för-demo-4417")
    mullsjo = Municipality.objects.get(code="0642")
    jonkoping = Municipality.objects.get(code="0680")
    frozen = Lagesbild.objects.get(municipality=mullsjo, period_start=date(2023, 1, 1))
    assert MARKER in frozen.versions.get().police_sections[0]["text"]
    # A draft lägesbild for 2024 with its own summary and an intelligence evidence item.
    draft = lagesbild_services.create_lagesbild(
        mullsjo,
        coordinator,
        title="Lägesbild Mullsjö 2024",
        period_start=date(2024, 1, 1),
        period_end=date(2024, 12, 31),
        promise_year=2025,
    )
    problem = lagesbild_services.add_problem(
        draft,
        coordinator,
        title="Skadegörelse vid stationen",
        behaviour="Krossade rutor",
        place="Stationen",
        time="Helger",
        chosen=True,
    )
    intel_evidence = lagesbild_services.add_evidence(
        problem, police, kind="intelligence", label="", snapshot={}, strength=0.67
    )
    consequence = lagesbild_services.add_consequence(
        draft, coordinator, title="Kostnad för skadegörelse", figure=120000, unit="kr"
    )
    # An åtgärdsplan from the frozen lägesbild, its measure addressing a problem of it.
    plan = actionplan_services.create_plan(
        mullsjo,
        coordinator,
        lagesbild=frozen,
        title="Åtgärdsplan 2024–2026",
        first_year=2024,
        last_year=2026,
    )
    measure = actionplan_services.add_measure(
        plan,
        coordinator,
        problems=list(frozen.problems.all()[:1]),
        title="Trygghetsvandringar",
        responsible="Kommunledningskontoret",
        with_police=True,
        starts=date(2024, 1, 1),
        ends=date(2026, 12, 31),
        expected_effect="Ökad trygghet",
        indicator="Andel trygga",
    )
    for kommun, start, end in [
        (mullsjo, date(2024, 1, 1), date(2024, 12, 31)),
        (jonkoping, date(2023, 1, 1), date(2023, 12, 31)),
    ]:
        lagesbild_services.save_intelligence(
            kommun, police, period_start=start, period_end=end, text=TEXT
        )
    agreement = Agreement.objects.get(municipality=mullsjo)
    published = agreement.versions.get(number=1)
    draft_version = agreement_services.start_new_version(agreement, coordinator)
    commitment = draft_version.commitments.filter(indicators__isnull=False).first()
    activity = Activity.objects.filter(municipality=mullsjo).first()
    evidence = followup_services.add_evidence(
        activity, coordinator, SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%minimal\n")
    )
    ref_commitment = published.commitments.filter(indicators__isnull=False).first()
    incident = Incident.objects.filter(municipality=mullsjo).order_by("-date").first()
    year, week, _d = incident.date.isocalendar()
    users = {
        "coordinator": coordinator,
        "police": police,
        "reader": reader,
        "other_coordinator": other_coordinator,
        "reporter": User.objects.get(username="rapportor"),
        "superuser": make_user("driftansvarig", is_staff=True, is_superuser=True),
    }
    # load_demo set new passwords: fresh objects, or force_login's session hash is stale
    users = {key: User.objects.get(pk=user.pk) for key, user in users.items()}
    # a login and a failed one, for the admin's pages of the login logs (django-axes)
    Client().force_login(users["superuser"])
    Client().post(reverse("accounts:login"), {"username": "ingen", "password": "fel"})
    world = {
        "users": users,
        "frozen": frozen,
        "draft": draft,
        "problem": problem,
        "intel_evidence": intel_evidence,
        "consequence": consequence,
        "plan": plan,
        "measure": measure,
        "cooperation": mullsjo.cooperation_agreements.get(),  # the demo's, signed
        "agreement": agreement,
        "published": published,
        "draft_version": draft_version,
        "commitment": commitment,
        "activity": activity,
        "evidence": evidence,
        "indicator": (ref_commitment.ref, 0),
        "incident": incident,
        "place": incident.place,
        "category": incident.category,
        "week": (year, week),
        "meeting": WeeklyMeeting.objects.filter(municipality=mullsjo).first(),
        "action": MeetingAction.objects.filter(municipality=mullsjo).first(),
        "wave": SurveyWave.objects.filter(municipality=mullsjo).first(),
        "entry": DialogueEntry.objects.filter(municipality=mullsjo).first(),
        "token": uploads.save_upload(coordinator, mullsjo, "a.csv", b"text\nKlotter\n"),
        "programme": mullsjo.safety_programmes.first(),
        "summary": mullsjo.intelligence_summaries.first(),
        "device": TOTPDevice.objects.create(user=police, name="authenticator", confirmed=True),
    }
    # Every address, once: the same in both worlds (sequences are not rolled back on PG).
    world["urls"] = urls(world)
    return world


def test_every_url_pattern_has_a_row():
    """A new URL pattern without a row here fails: decide how to fill its arguments."""
    admin_generated = {
        f"admin:{m._meta.app_label}_{m._meta.model_name}_{v}"
        for m in admin.site._registry
        for v in ADMIN_VIEWS
    }
    names = set()
    for name, route in patterns():
        if name is None:
            assert route in UNNAMED, f"an unnamed URL pattern is not covered: {route}"
        else:
            names.add(name)
    missing = sorted(names - ARGS.keys() - admin_generated)
    assert missing == [], "URL patterns not requested by the police-only test"
    assert sorted(ARGS.keys() - names) == [], "rows for URL patterns that no longer exist"


# --- The crawl ---------------------------------------------------------------------------

TEXTUAL = ("text/html", "application/json")
# POLICE_ONLY_FULL=1 (nightly): every HTML page is also requested as an htmx fragment.
# (No view answers htmx differently today; the POSTs below carry HX-Request always.)
FULL = bool(os.environ.get("POLICE_ONLY_FULL"))
# PDFs are slow (WeasyPrint) and one template serves every role's PDF (the page's own
# template, which is crawled for every actor): without FULL, each PDF address is rendered
# for the first non-police actor who may open it, not again for the next.
PDF_SEEN: set = set()
# Text inputs of a GET form (a search box): requested with the marker and a word of it.
GET_FORM = re.compile(r"<form\b[^>]*method=\"get\"[^>]*>(.*?)</form>", re.S | re.I)
TEXT_INPUT = re.compile(
    r"<input\b(?![^>]*type=\"(?!text|search)[a-z]+\")[^>]*name=\"([^\"]+)\"", re.I
)


def _search_params(html: str) -> list[str]:
    return sorted({name for form in GET_FORM.findall(html) for name in TEXT_INPUT.findall(form)})


def _client(world, actor) -> Client:
    client = Client()
    if actor != "anonymous":
        client.force_login(world["users"][actor])
    return client


SLOW: list = []


def _get(client, seen, key, url, **headers):
    started = time.perf_counter()
    response = client.get(url, **headers)
    SLOW.append((time.perf_counter() - started, key))
    seen[key] = (response.status_code, text_of(response), response.get("Content-Type", ""))
    return response


def _crawl(world, actor, *, plan=None) -> dict:
    """{(method, variant, url): (status, text)} for every URL, as `actor`.

    Without `plan` (the world with police-only material): GET; for HTML pages, for each
    text input of a GET form (search boxes), GET with the marker and with a word of it as
    the value (and, when FULL, GET as an htmx fragment); then an empty POST, as htmx, to
    every non-admin URL (the admin's POSTs would delete), rolled back afterwards.
    With `plan` (keys of that crawl): only those GETs, for the comparison of counts."""
    client = _client(world, actor)
    seen, posts = {}, []
    for name, url in world["urls"]:
        with override_settings(TENANT_GUARD="log") if name in GUARD_LOGS else nullcontext():
            _requests(client, seen, posts, name, url, plan)
    with transaction.atomic():  # the next actor meets the world as it was
        for url in posts:
            started = time.perf_counter()
            response = client.post(url, HTTP_HX_REQUEST="true")
            SLOW.append((time.perf_counter() - started, ("post", actor, url)))
            seen[("post", "", url)] = (response.status_code, text_of(response), "")
        transaction.set_rollback(True)
    return seen


def _requests(client, seen, posts, name, url, plan):
    if plan is not None:
        for key in plan:
            if key[2] == url:
                _get(client, seen, key, key[1] or url)
        return
    if url in PDF_SEEN and not FULL:
        return
    response = _get(client, seen, ("get", "", url), url)
    content_type = response.get("Content-Type", "")
    if content_type == "application/pdf" and response.status_code == 200:
        PDF_SEEN.add(url)
    if content_type.startswith("text/html"):
        if FULL:
            _get(client, seen, ("get", "htmx", url), url, HTTP_HX_REQUEST="true")
        page = seen[("get", "", url)][1]
        for param in _search_params(page):
            for needle in (MARKER, WORDS[0]):
                target = f"{url}{'&' if '?' in url else '?'}{param}={needle}"
                _get(client, seen, ("get", target, url), target)
    if not name.startswith("admin:") and (not content_type or content_type.startswith(TEXTUAL)):
        posts.append(url)  # (a POST to a PDF or CSV address gives the same file)


def _remove_police_only_material():
    from medborgarlofte.lagesbild.models import IntelligenceSummary, LagesbildVersion

    IntelligenceSummary.objects.all().delete()
    LagesbildVersion.objects.update(police_sections=[])


def _police_reads(world):
    """The positive control: the police see the marker (and every read is logged)."""
    from medborgarlofte.accounts.models import AuditEntry

    client = _client(world, "police")
    frozen, draft = world["frozen"], world["draft"]
    before = AuditEntry.objects.filter(action="read_intelligence").count()
    pages = [
        reverse("lagesbild:intelligence", args=["0642"]),
        reverse("lagesbild:intelligence", args=["0680"]),
        reverse("lagesbild:document", args=[frozen.pk]),
        reverse("lagesbild:document", args=[draft.pk]),
        reverse("lagesbild:version", args=[frozen.pk, 1]),
        reverse("lagesbild:document-pdf", args=[draft.pk]) + "?syfte=meeting",
        reverse("lagesbild:version-pdf", args=[frozen.pk, 1]) + "?syfte=agreement",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert MARKER in text_of(response), url
    assert AuditEntry.objects.filter(action="read_intelligence").count() == before + 8
    for entry in AuditEntry.objects.all():  # the audit entries' text, whoever may read them
        assert _leaks(f"{entry.summary} {entry.before} {entry.after}") == [], entry


def _debug_dump(actor, key, old, new):
    directory = os.environ.get("POLICE_ONLY_DIFF_DIR")
    if directory:
        from pathlib import Path

        stem = re.sub(r"[^A-Za-z0-9]+", "_", f"{actor}_{key[0]}_{key[1]}_{key[2]}")[:150]
        Path(directory).mkdir(parents=True, exist_ok=True)
        Path(directory, stem + ".a").write_text(normalise(old))
        Path(directory, stem + ".b").write_text(normalise(new))


def _leaks(text: str) -> list[str]:
    return [needle for needle in NEEDLES if needle in text]


def _counts(text: str) -> list[int]:
    return [text.count(needle) for needle in NEEDLES]


def _compare(actor, with_intelligence, without, leaks, changed):
    for key, (status, text, _type) in with_intelligence.items():
        searched = key[1] not in {"", "htmx"}
        if searched and key in without:  # the query may be echoed: compare the counts
            if _counts(text) != _counts(without[key][1]):
                leaks.append((actor, key))
        elif _leaks(text):
            leaks.append((actor, key, _leaks(text)))
        if key in without and (
            status != without[key][0] or normalise(text) != normalise(without[key][1])
        ):
            changed.append((actor, key))
            _debug_dump(actor, key, without[key][1], text)


def _report_time(world, actor, started, seen):
    if os.environ.get("POLICE_ONLY_TIMING"):
        print(f"CRAWL {world} {actor}: {len(seen)} requests, {time.perf_counter() - started:.1f} s")


def _new_world():
    """Caches cleared: cached public pages must not outlive their world."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


def test_the_groups_hold_every_actor_once():
    assert sorted(a for actors in GROUPS.values() for a in actors) == sorted(ACTORS)


@pytest.mark.slow
@pytest.mark.parametrize("group", list(GROUPS))
def test_no_non_police_actor_ever_sees_police_only_material(world, caplog, group):
    actors = GROUPS[group]
    caplog.set_level(logging.INFO)
    PDF_SEEN.clear()
    with transaction.atomic():
        _new_world()
        _police_reads(world)
        with_intelligence = {}
        for actor in actors:
            started = time.perf_counter()
            with_intelligence[actor] = _crawl(world, actor)
            _report_time("with", actor, started, with_intelligence[actor])
        transaction.set_rollback(True)
    records, messages = list(caplog.records), list(mail.outbox)
    with transaction.atomic():
        _new_world()
        _remove_police_only_material()
        _client(world, "police")  # the same logins as above, without a read
        without, plans = {}, {}
        for actor in actors:
            plan = [
                key
                for key, (_status, _body, content_type) in with_intelligence[actor].items()
                if key[0] == "get" and key[1] != "htmx" and content_type.startswith(TEXTUAL)
            ]
            plans[actor] = plan
            started = time.perf_counter()
            without[actor] = _crawl(world, actor, plan=plan)
            _report_time("without", actor, started, without[actor])
        transaction.set_rollback(True)
    if os.environ.get("POLICE_ONLY_TIMING"):
        for duration, key in sorted(SLOW, key=lambda x: x[0], reverse=True)[:60]:
            print(f"SLOW {duration:.2f} {key}")
        print(f"SLOW total {sum(d for d, _k in SLOW):.1f} s in {len(SLOW)} requests")
    searched = {a for a in actors for key in with_intelligence[a] if key[1].startswith("/")}
    if not os.environ.get("POLICE_ONLY_URLS"):
        expected = {"anonymous", "superuser"} & set(actors)  # the kommun search, the admin's
        assert expected <= searched, "no search box was searched"
    leaks, changed = [], []
    for actor in actors:
        assert without[actor].keys() == set(plans[actor]), "the second crawl missed pages"
        _compare(actor, with_intelligence[actor], without[actor], leaks, changed)
    for message in messages:
        if _leaks(f"{message.subject}\n{message.body}\n{message.alternatives}"):
            leaks.append(("mail", message.subject))
    for record in records:
        if _leaks(logging.Formatter().format(record)):
            leaks.append(("log", record.name, record.getMessage()[:200]))
    requests = sum(len(c) for crawl in (with_intelligence, without) for c in crawl.values())
    names = {name for name, _route in patterns() if name}
    print(  # the figure in docs/security.md (pytest -s)
        f"police-only crawl ({group}): {len(actors)} actors, {len(names)} named URL patterns, "
        f"{requests} requests, {len(leaks)} leaks, {len(changed)} changed pages"
    )
    assert leaks == [], "police-only text shown to a non-police actor"
    assert changed == [], "the intelligence changed what a non-police actor sees"
