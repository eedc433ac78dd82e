"""A kommun whose every free-text and name field holds XSS payloads (issue 7, item 5).

build_world() stores the payloads of medborgarlofte/privacy/tests/corpus/xss.txt through
the service functions (the ORM where no service writes the field): an agreement (imported,
approved, published, then a draft version 2 for the editor), a lägesbild with problems,
evidence, a rank change, consequences, programmes, the police intelligence summary and
the kommun's decision, an åtgärdsplan (decided, measures, follow-up, a revision), a signed
samverkansöverenskommelse with goals, activities,
indicator values, follow-ups (T1 published, T2 a draft), incident reports, places,
categories, meetings and actions, police events, survey waves and values, dialogue
entries (staff, public form, an uploaded file), crime statistics, users, the kommun,
its county and population. Every payload is used at least once; every field gets
several (longer fields hold two to four payloads).

tests/xss_pages.py lists the pages that show them. Used by tests/test_xss_escaping.py
(server side) and tests/browser/test_xss.py.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "medborgarlofte/privacy/tests/corpus/xss.txt"
YEAR = 2024


def load_corpus() -> list[str]:
    """The payloads, verbatim: every line that is not empty and not a "# " comment."""
    lines = CORPUS.read_text(encoding="utf-8").split("\n")
    return [line for line in lines if line and not (line == "#" or line.startswith("# "))]


class Payloads:
    """Hands out payloads, least used first, so that every payload is used and every
    field gets different ones. Every value handed out is remembered (values)."""

    def __init__(self, corpus: list[str]):
        self.corpus = corpus
        self.used = Counter(dict.fromkeys(corpus, 0))
        self.values: list[str] = []

    def take(
        self, max_length: int = 300, count: int = 2, *, first: str = "", scan=False, avoid=""
    ) -> str:
        """`count` payloads joined by a space, at most max_length characters; `first`
        starts the value (a payload chosen for that field); scan=True takes only
        payloads the personal-data scanner passes (services that refuse hits); payloads
        with a character of `avoid` are left out (a file name loses what precedes "/")."""
        chosen = [first] if first else []
        if first:
            self.used[first] += 1
        candidates = sorted(self.corpus, key=lambda p: (self.used[p], self.corpus.index(p)))
        for payload in candidates:
            if len(chosen) >= count:
                break
            value = " ".join([*chosen, payload])
            if len(value) > max_length or payload in chosen:
                continue
            if any(c in payload for c in avoid):
                continue
            if scan and _scanner_hits(value):
                continue
            chosen.append(payload)
            self.used[payload] += 1
        value = " ".join(chosen)
        assert value, f"no payload fits {max_length} characters"
        self.values.append(value)
        return value

    def unused(self) -> list[str]:
        return [p for p, n in self.used.items() if n == 0]


def _scanner_hits(text: str) -> bool:
    from medborgarlofte.privacy.scanner import scan

    return bool(scan(text))


@dataclass
class World:
    payloads: Payloads
    users: dict
    kommun: object
    agreement: object = None
    draft: object = None
    published: object = None
    objects: dict = field(default_factory=dict)
    private: object = None  # MEDBORGARLOFTE_PRIVATE_FILES while the world lives


# --- Users and the kommun ----------------------------------------------------------------


def _users(p: Payloads) -> dict:
    from conftest import make_user

    # Usernames are audit labels (actor_label) and show on the audit log and the admin.
    coordinator = make_user(p.take(150, 2), [("0642", "coordinator")])
    police = make_user(p.take(150, 2), [("0642", "police"), ("0643", "police")])
    reporter = make_user(p.take(150, 2), [("0642", "reporter")])
    admin = make_user("xss-admin", [], is_staff=True, is_superuser=True)
    for user in (coordinator, police, reporter, admin):
        user.first_name = p.take(150, 2)
        user.last_name = p.take(150, 2)
        user.save(update_fields=["first_name", "last_name"])
    coordinator.email = p.take(254, 2)
    coordinator.save(update_fields=["email"])
    return {"coordinator": coordinator, "police": police, "reporter": reporter, "admin": admin}


def _kommun(p: Payloads):
    from medborgarlofte.kommuner.models import Municipality

    kommun = Municipality.objects.select_related("county").get(code="0642")
    # Chart legends: the kommun and county names are matplotlib labels ($…$ is mathtext).
    kommun.name = p.take(100, 2, first="$\\x$ <b>fet</b>")
    kommun.police_area = p.take(150, 2)
    kommun.police_region = p.take(100, 2)
    kommun.kommungrupp = "B4"  # so that the statistics page shows the grouping's source
    kommun.kommungrupp_source = p.take(200, 2)
    kommun.save()
    kommun.county.name = p.take(100, 2, first="_dold etikett")
    kommun.county.save()
    return kommun


# --- Agreements ----------------------------------------------------------------------------


def _agreement_document(p: Payloads) -> dict:
    import yaml

    path = CORPUS.parents[4] / "examples" / "agreements" / "mullsjo-2024.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["title"] = p.take(300, 3)
    doc["police_area"] = p.take(200, 2)
    for party in doc["parties"]:
        party["name"] = p.take(200, 2)
    for signatory in doc["signed"]["signatories"]:
        signatory["role"] = p.take(200, 2)
        signatory["name"] = p.take(200, 2)
    doc["introduction"] = p.take(2000, 4) + "\n\n" + p.take(2000, 3)
    for item in doc["basis"]:
        item["description"] = p.take(2000, 3)
    for area in doc["focus_areas"]:
        area["title"] = p.take(300, 2)
    # Two names the taxonomy knows, so the statistics pages draw charts for them (their
    # names become payloads in _crimestats); the others are free text.
    doc["crime_categories"] = [
        *doc["crime_categories"][:2],
        *(p.take(200, 2) for _i in range(3)),
    ]
    for section in doc["sections"]:
        section["heading"] = p.take(300, 2)
        for commitment in section["commitments"]:
            commitment["text"] = p.take(2000, 3)
            if commitment.get("ref") in {"m24-05", "m24-13", "m24-15"}:
                # the format allows any reference (80 characters); others stay: _followup uses them
                commitment["ref"] = p.take(80, 1, avoid="/")  # "/" is refused
            for indicator in commitment.get("indicators", []):
                indicator["title"] = p.take(300, 2)
                indicator["unit"] = p.take(100, 1, first="$x^2$ och $\\alpha$")
    doc["effects"] = p.take(2000, 4)
    doc["follow_up"]["text"] = p.take(2000, 4)
    return doc


def _agreement(world: World) -> None:
    from medborgarlofte.agreements.importing import import_agreement_document

    p, users = world.payloads, world.users
    version = import_agreement_document(_agreement_document(p), user=users["coordinator"]).version
    world.objects["v1"] = version
    world.agreement = version.agreement


def _publish_agreement(world: World) -> None:
    from medborgarlofte.agreements import priorities, services

    users, version = world.users, world.objects["v1"]
    lagesbild = world.objects["lagesbild"]
    problems = list(lagesbild.problems.all())
    for commitment in version.commitments.all()[:4]:
        priorities.link_commitment_problems(commitment, users["coordinator"], problems)
    version.refresh_from_db()
    services.approve_agreement(version, users["coordinator"], "municipality")
    services.approve_agreement(version, users["police"], "police")
    version.refresh_from_db()
    world.published = services.publish_agreement(version, users["coordinator"])
    draft = services.start_new_version(world.agreement, users["coordinator"])
    p = world.payloads
    section = draft.sections.first()
    commitment = services.add_commitment(
        section, users["coordinator"], text=p.take(2000, 4), owners=list(draft.parties.all())
    )
    services.add_indicator(
        commitment,
        users["coordinator"],
        title=p.take(300, 2),
        kind="output",
        unit=p.take(100, 1),
        source=p.take(200, 2),
    )
    services.add_focus_area(draft, users["coordinator"], key="xss", title=p.take(300, 2))
    services.add_crime_category(draft, users["coordinator"], name=p.take(200, 2))
    services.add_section(draft, users["coordinator"], heading=p.take(300, 2))
    world.draft = draft


# --- Lägesbild -----------------------------------------------------------------------------


def _lagesbild(world: World) -> None:
    from medborgarlofte.lagesbild import services

    p, users, kommun = world.payloads, world.users, world.kommun
    coordinator, police = users["coordinator"], users["police"]
    start, end = datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)
    services.save_intelligence(
        kommun, police, period_start=start, period_end=end, text=p.take(5000, 4)
    )
    for _i in range(2):
        services.add_programme(
            kommun,
            coordinator,
            title=p.take(300, 2),
            url="https://www.mullsjo.se/",
            first_year=2023,
            last_year=2026,
        )
    lb = services.create_lagesbild(
        kommun,
        coordinator,
        title=p.take(300, 2),
        period_start=start,
        period_end=end,
        promise_year=YEAR,
    )
    services.update_lagesbild(
        lb,
        coordinator,
        analysis=p.take(5000, 4),
        consequences=p.take(5000, 3),
        other_information=p.take(5000, 3),
    )
    for _i in range(2):  # lag (2023:196) 4 § 1 p.: the consequences of crime
        services.add_consequence(
            lb,
            coordinator,
            title=p.take(200, 2),
            figure=12.5,
            unit=p.take(60, 2),
            text=p.take(2000, 3),
            source=p.take(300, 2),
            year=2023,
        )
    problems = []
    for _i in range(2):
        problem = services.add_problem(
            lb,
            coordinator,
            title=p.take(200, 2),
            behaviour=p.take(2000, 3),
            place=p.take(300, 2),
            time=p.take(300, 2),
            affected=p.take(300, 2),
            causes=p.take(2000, 3),
            focus_area=p.take(300, 2),
            chosen=True,
        )
        services.add_evidence(
            problem,
            coordinator,
            kind="survey",
            label=p.take(300, 2),
            snapshot={"source": p.take(300, 2), "as_of": "2023"},
            strength=1.0,
        )
        problems.append(problem)
    services.add_evidence(
        problems[0], police, kind="intelligence", label="", snapshot={}, strength=1
    )
    services.move_problem(problems[1], coordinator, direction="up", reason=p.take(2000, 3))
    services.approve_lagesbild(lb, coordinator, "municipality")
    frozen = services.approve_lagesbild(lb, police, "police")
    lb.refresh_from_db()
    world.objects.update(lagesbild=lb, lagesbild_version=frozen)


def _decision_values(p: Payloads) -> dict:
    return {
        "body": "namnd",
        "body_name": p.take(200, 2),
        "decided_on": datetime.date(2024, 2, 12),
        "paragraph": p.take(40, 2),
        "reference": p.take(80, 2),
    }


def _decide_lagesbild(world: World) -> None:
    """The kommun's decision on the frozen version (after _crimestats: 4 § asks for a
    mapping source with data). The version froze before the statistics were imported, so
    the decision row is written directly when the service finds the mapping empty."""
    from medborgarlofte.lagesbild import services
    from medborgarlofte.lagesbild.models import LagesbildDecision

    version, coordinator = world.objects["lagesbild_version"], world.users["coordinator"]
    values = _decision_values(world.payloads)
    if services.statutory_gaps(version.content):
        LagesbildDecision.objects.create(
            document=version, municipality=world.kommun, recorded_by=coordinator, **values
        )
    else:
        services.decide_version(version, coordinator, **values)


# --- Åtgärdsplan ---------------------------------------------------------------------------


def _actionplan(world: World) -> None:
    """A decided åtgärdsplan with two measures (one linked to a commitment of the draft),
    follow-up, an upload of it, and a draft revision (version 2)."""
    from medborgarlofte.actionplans import services
    from medborgarlofte.actionplans.models import ActionPlanImportRun

    p, users, kommun = world.payloads, world.users, world.kommun
    coordinator, police = users["coordinator"], users["police"]
    lb = world.objects["lagesbild"]
    plan = services.create_plan(
        kommun,
        coordinator,
        lagesbild=lb,
        title=p.take(300, 2),
        first_year=2024,
        last_year=2026,
        summary=p.take(5000, 3),
    )
    measures = []
    for _i in range(2):
        measure = services.add_measure(
            plan,
            coordinator,
            problems=list(lb.problems.all()),
            title=p.take(300, 2),
            description=p.take(5000, 3),
            responsible=p.take(200, 2),
            partners=p.take(300, 2),
            with_police=True,
            starts=datetime.date(2024, 1, 1),
            ends=datetime.date(2026, 12, 31),
            hours=120,
            cost=50000,
            expected_effect=p.take(2000, 3),
            indicator=p.take(300, 2),
        )
        measures.append(measure)
    for term in ("t1", "t2"):
        services.record_followup(
            measures[0],
            coordinator,
            year=2024,
            term=term,
            status="ongoing",
            explanation=p.take(2000, 3),
        )
    services.approve_plan(plan, coordinator, "municipality")
    services.approve_plan(plan, police, "police")
    plan.refresh_from_db()
    services.decide_plan(plan, coordinator, **_decision_values(p))
    commitment = world.draft.commitments.order_by("pk").first()
    services.link_measure(
        measures[0], coordinator, agreement=world.agreement, commitment_ref=commitment.ref
    )
    plan.refresh_from_db()
    ActionPlanImportRun.objects.create(  # listed on the upload page
        municipality=kommun, plan=plan, file_name=p.take(300, 2), sha256="1" * 64, user=coordinator
    )
    world.objects.update(actionplan=plan, actionplan_draft=services.revise_plan(plan, coordinator))
    _cooperation(world)


def _cooperation(world: World) -> None:
    """A signed samverkansöverenskommelse 2024–2027 with two goals, a commitment of the
    medborgarlöfte 2024 serving both."""
    from medborgarlofte.actionplans import services

    p, users = world.payloads, world.users
    coordinator, police = users["coordinator"], users["police"]
    cooperation = services.create_cooperation(
        world.kommun,
        coordinator,
        title=p.take(300, 2),
        first_year=2024,
        last_year=2027,
        problems=p.take(5000, 3),
        organisation=p.take(5000, 3),
        follow_up_method=p.take(5000, 3),
    )
    goals = [
        services.add_goal(
            cooperation,
            coordinator,
            title=p.take(300, 2),
            indicator=p.take(300, 2),
            baseline=p.take(200, 2),
            target=p.take(200, 2),
        )
        for _i in range(2)
    ]
    services.sign_cooperation(cooperation, coordinator, "municipality")
    services.sign_cooperation(cooperation, police, "police")
    commitment = world.draft.commitments.order_by("pk").first()
    services.set_commitment_goals(
        cooperation,
        coordinator,
        agreement=world.agreement,
        commitment_ref=commitment.ref,
        goals=goals,
    )
    world.objects["cooperation"] = cooperation


# --- Follow-up -----------------------------------------------------------------------------


def _followup(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from medborgarlofte.followup import services
    from medborgarlofte.followup.models import ImportRun

    p, users, agreement = world.payloads, world.users, world.agreement
    coordinator, police = users["coordinator"], users["police"]
    version = world.published
    indicator = next(
        i for c in version.commitments.all() for i in c.indicators.all() if c.ref == "m24-17"
    )
    activities = []
    for index, (ref, kind) in enumerate(
        [("m24-09", "police"), ("m24-17", "police"), ("m24-01", "municipality")]
    ):
        activities.append(
            services.log_activity(
                agreement,
                coordinator,
                confirmed=True,
                commitment_ref=ref,
                date=datetime.date(YEAR, 2 + index, 7),
                party_kind=kind,
                title=p.take(300, 2),
                quantity=3 + index,
                unit=p.take(100, 1),
                outcome=p.take(2000, 3),
                meeting_type="ledningsgrupp" if ref == "m24-01" else "",
                participants=p.take(300, 2),
                decisions=p.take(2000, 3) if ref == "m24-01" else "",  # meetings only
            )
        )
    name = p.take(150, 2, avoid="/\\") + ".pdf"
    world.objects["evidence"] = services.add_evidence(
        activities[0], coordinator, SimpleUploadedFile(name, b"%PDF-1.4\n%xss\n")
    )
    for month, value in [(2, 10), (4, 25), (9, 40)]:
        services.record_indicator_value(
            agreement,
            coordinator,
            commitment_ref="m24-17",
            indicator_title=indicator.title,
            date=datetime.date(YEAR, month, 1),
            value=value,
            note=p.take(300, 2),
        )
    services.set_indicator_source(
        agreement,
        coordinator,
        commitment_ref="m24-18",
        indicator_title=version.commitments.get(ref="m24-18").indicators.first().title,
        source="manual:" + p.take(190, 2),
    )
    ImportRun.objects.create(
        municipality=world.kommun,
        agreement=agreement,
        file_name=p.take(300, 2),
        sha256="0" * 64,
        user=coordinator,
    )
    keys = [a.key for a in version.focus_areas.all()]
    refs = [c.ref for c in version.commitments.all()]
    for period in ("t1", "t2"):
        statuses = {ref: ("partly_done", p.take(2000, 2)) for ref in refs[:3]}
        followup, _c = services.save_followup(
            agreement,
            coordinator,
            period,
            statuses=statuses,
            narratives={key: p.take(2000, 3) for key in keys},
            summary=p.take(5000, 4),
        )
        if period == "t1":
            services.approve_followup(followup, coordinator, "municipality")
            services.approve_followup(followup, police, "police")
            services.publish_followup(followup, coordinator)
    # a late registration into the published t1 (an addition in the t2 draft)
    services.log_activity(
        agreement,
        coordinator,
        confirmed=True,
        commitment_ref="m24-09",
        date=datetime.date(YEAR, 3, 20),
        party_kind="police",
        title=p.take(300, 2),
        unit=p.take(100, 1),
        late_reason=p.take(2000, 3),
    )
    world.objects["activity"] = activities[0]
    world.objects["indicator"] = indicator


# --- Incidents -----------------------------------------------------------------------------


def _incidents(world: World) -> None:
    from django.utils import timezone

    from medborgarlofte.incidents import services
    from medborgarlofte.incidents.models import PoliceEvent
    from medborgarlofte.kommuner.models import Place

    p, users, kommun = world.payloads, world.users, world.kommun
    coordinator, reporter = users["coordinator"], users["reporter"]
    categories = {c.key: c for c in services.ensure_categories(kommun)}
    added = services.add_category(coordinator, kommun, p.take(120, 2))
    places = [
        services.save_place(
            coordinator,
            kommun,
            {
                "name": p.take(150, 1),
                "kind": "centre",
                "latitude": 57.9163 + index * 0.002,
                "longitude": 13.8786,
                "aliases": [p.take(150, 1)],
            },
        )
        for index in range(3)
    ]
    today = timezone.localdate()
    events = [
        services.EventData(
            category,
            today - datetime.timedelta(days=offset % 3),
            "evening",
            place=places[offset % 3],
            description=p.take(2000, 3),
            confirmed=True,
        )
        for offset, category in enumerate(
            [added, categories["klotter"], *list(categories.values())[:6]]
        )
    ]
    events.append(
        services.EventData(
            categories["klotter"],
            today,
            "night",
            latitude=57.9101,
            longitude=13.8702,
            description=p.take(2000, 3),
            confirmed=True,
        )
    )
    report = services.submit_report(reporter, kommun, p.take(150, 2), events)
    incidents = list(report.incidents.order_by("pk"))
    services.handle_incident(coordinator, incidents[0], p.take(2000, 3, scan=True))
    services.merge_incident(coordinator, incidents[2], incidents[1])
    year, week, _d = today.isocalendar()
    meeting = services.record_meeting(
        coordinator,
        kommun,
        year,
        week,
        date=today,
        participants=["samordnare", p.take(120, 1)],
        decisions=p.take(2000, 3, scan=True),
    )
    action = services.add_action(
        coordinator,
        meeting,
        text=p.take(2000, 3, scan=True),
        responsible_role=p.take(120, 2),
        place=places[0],
        commitment_ref=world.published.commitments.first().ref,
        due=today + datetime.timedelta(days=7),
    )
    now = timezone.now()
    # Polisen's address of the event, linked from the weekly page: a feed or file could hold anything.
    SCHEMES = ["javascript:window.__xss=1;alert(1)", "JaVaScRiPt:window.__xss=1;alert(1)"]
    for index in range(2):
        PoliceEvent.objects.create(
            event_id=990001 + index,
            municipality=kommun,
            county=kommun.county,
            published_at=now,
            occurred_at=now - datetime.timedelta(hours=index + 1),
            name=p.take(300, 2),
            summary=p.take(2000, 3),
            url=p.take(400, 1, first=SCHEMES[index]),
            type=p.take(120, 1),
            location_name=p.take(120, 1),
        )
    world.objects.update(
        places=places,
        incidents=incidents,
        meeting=meeting,
        action=action,
        category=added,
        week=(year, week),
        tertial=(today.year, (today.month - 1) // 4 + 1),
    )
    assert Place.objects.filter(municipality=kommun).count() >= 3


# --- Surveys, dialogues, crime statistics --------------------------------------------------


def _surveys(world: World) -> None:
    from decimal import Decimal

    from medborgarlofte.surveys import services
    from medborgarlofte.surveys.models import SurveyImportRun

    p, users, kommun = world.payloads, world.users, world.kommun
    coordinator = users["coordinator"]
    services.set_thresholds(
        kommun,
        coordinator,
        normal_max=Decimal("1.4"),
        act_from=Decimal("1.9"),
        note=p.take(300, 2),
    )
    run = SurveyImportRun.objects.create(
        municipality=kommun,
        file_name=p.take(300, 2),
        sha256="1" * 64,
        value_format="index",
        user_label=p.take(150, 2),
    )
    waves = []
    for year in (2022, 2023):
        wave = services.create_wave(
            kommun,
            coordinator,
            {
                "provider": p.take(150, 1),
                "year": year,
                "area": p.take(150, 1),
                "respondents": 200,
                "value_format": "index",
                "source": p.take(300, 2),
            },
        )
        for index in range(2):
            services.save_value(
                wave,
                coordinator,
                question=p.take(300, 2),
                answer=p.take(150, 1) if index else "",
                value=Decimal("1.2") + index,
                n=90,
            )
        waves.append(wave)
    world.objects.update(wave=waves[-1], waves=waves, survey_run=run)


def _dialogues(world: World) -> None:
    from medborgarlofte.dialogues import services, uploads
    from medborgarlofte.dialogues.models import DialogueImportRun

    p, users, kommun = world.payloads, world.users, world.kommun
    coordinator = users["coordinator"]
    entries = [
        services.create_entry(
            kommun,
            coordinator,
            services.EntryData(
                "citizen",
                datetime.date(2023, 11, 7 + index),
                p.take(5000, 4),
                area=p.take(150, 1),
                channel=p.take(100, 1),
            ),
            confirm_personal_data=True,
        )
        for index in range(2)
    ]
    services.submit_public_entry(
        kommun, date=datetime.date(2023, 11, 20), area=p.take(150, 1), text=p.take(5000, 4)
    )
    DialogueImportRun.objects.create(
        municipality=kommun, file_name=p.take(300, 2), sha256="2" * 64, user_label=p.take(150, 2)
    )
    header = p.take(100, 1).replace('"', '""')
    csv = (
        f'text,"{header}"\n"Klotter vid torget","{p.take(300, 1).replace(chr(34), 2 * chr(34))}"\n'
    )
    token = uploads.save_upload(
        coordinator, kommun, p.take(150, 2, avoid="/\\") + ".csv", csv.encode("utf-8")
    )
    world.objects.update(entry=entries[0], upload_token=token)


def _crimestats(world: World) -> None:
    from medborgarlofte.crimestats.demo import load_crimestats_demo
    from medborgarlofte.crimestats.models import CrimeCategory, ImportRun

    p = world.payloads
    load_crimestats_demo("0642", years=[2022, 2023])
    linked = world.draft.crime_categories.exclude(category=None).values("category")
    for category in CrimeCategory.objects.filter(pk__in=linked):
        category.name = p.take(150, 1)
        category.description = p.take(2000, 2)
        category.save(update_fields=["name", "description"])
    ImportRun.objects.update(file_name=p.take(300, 2), user_label=p.take(150, 2))


def _dismissals(world: World) -> None:
    """Decisions "inte en personuppgift" (privacy/gate.py): the reason is free text,
    stored for the audit trail. Written directly: the world's texts have no findings."""
    from django.contrib.contenttypes.models import ContentType

    from medborgarlofte.followup.models import Activity
    from medborgarlofte.privacy.models import PersonalDataDismissal

    activity = Activity.objects.filter(agreement=world.agreement).first()
    for index in range(3):
        PersonalDataDismissal.objects.create(
            municipality=world.kommun,
            content_type=ContentType.objects.get_for_model(Activity),
            object_id=activity.pk,
            field="title",
            kind="phone",
            text_hash=f"{index:064d}",
            hit_hash=f"{index:064d}",
            reason=world.payloads.take(300, 2),
            user=world.users["coordinator"],
        )


def _comments(world: World) -> None:
    """Comments between the parties on the draft agreement (accounts/comments.py): the
    text and the anchor label are rendered on the version page. Written directly: the
    service takes only anchors that exist."""
    from medborgarlofte.accounts.models import Comment

    for index in range(3):
        first = Comment.objects.create(
            municipality=world.kommun,
            document_kind="agreement",
            document_id=world.draft.pk,
            anchor_kind="commitment",
            anchor_ref=f"ref-{index}",
            anchor_label=world.payloads.take(300, 2),
            author=world.users["police"],
            text=world.payloads.take(4000, 2),
        )
        Comment.objects.create(
            municipality=world.kommun,
            document_kind="agreement",
            document_id=world.draft.pk,
            anchor_kind="commitment",
            anchor_ref=f"ref-{index}",
            parent=first,
            author=world.users["coordinator"],
            text=world.payloads.take(4000, 2),
        )


def _population(world: World) -> None:
    from medborgarlofte.kommuner.models import Population

    Population.objects.filter(municipality=world.kommun).update(source=world.payloads.take(200, 2))


def _identity_provider(world: World) -> None:
    """An organisation's sign-in service, shown by name on the login pages, its group →
    role mapping (admin) and a person linked through it (my data, admin)."""
    from medborgarlofte.accounts.models import (
        ExternalIdentity,
        GroupRole,
        IdentityProvider,
        User,
    )

    p = world.payloads
    provider = IdentityProvider.objects.create(
        slug="mullsjo",
        name=p.take(150),
        organisation="municipality",
        protocol="oidc",
        municipality=world.kommun,
        email_domains=f"mullsjo.se, {p.take(280)}",
        police_areas=p.take(1000),
        issuer="https://idp.example/" + p.take(150, avoid="/"),
        client_id=p.take(200),
        secret_variable=p.take(100),
        scopes=p.take(200),
        saml_metadata=p.take(5000),
        groups_claim=p.take(200),
        mfa_values=p.take(1000),
    )
    GroupRole.objects.create(
        provider=provider, group=p.take(200), municipality=world.kommun, role="coordinator"
    )
    # A second one for the kommun, so that the search lists both by name (one match
    # would go straight to it).
    IdentityProvider.objects.create(
        slug="mullsjo-saml",
        name=p.take(150),
        organisation="municipality",
        protocol="saml",
        municipality=world.kommun,
        saml_metadata=p.take(5000),
    )
    person = User.objects.create_user(username="sso-person@mullsjo.se", password=None)
    ExternalIdentity.objects.create(
        provider=provider,
        subject=p.take(255),
        user=person,
        last_sign_in=datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC),
    )


def build_world() -> World:
    """Every field of Mullsjö full of payloads; see the module docstring."""
    p = Payloads(load_corpus())
    users = _users(p)
    world = World(payloads=p, users=users, kommun=_kommun(p))
    _agreement(world)
    _population(world)
    _lagesbild(world)
    _publish_agreement(world)
    _crimestats(world)  # after the draft copied the agreement: it renames taxonomy categories
    _decide_lagesbild(world)
    _actionplan(world)
    _followup(world)
    _dismissals(world)
    _comments(world)
    _incidents(world)
    _surveys(world)
    _dialogues(world)
    _identity_provider(world)
    for payload in p.unused():  # what is left goes into one more dialogue entry each
        from medborgarlofte.dialogues import services

        services.create_entry(
            world.kommun,
            users["coordinator"],
            services.EntryData(
                "citizen", datetime.date(2023, 10, 1), p.take(5000, 1, first=payload)
            ),
            confirm_personal_data=True,
        )
    return world
