"""Demo data for incidents: a year of EST reports for Mullsjö (Exempeldata), the
police events of the real sample response, a reporter login and a few weekly meetings.

The incidents are invented ("Example data" on every page, is_example=True in the
database). The places are Mullsjö's: the centre, the station area and Sandhem are real
places; the others are marked "exempelplats" and their coordinates are approximate.
Loading twice changes nothing but the password.
"""

import datetime
import random
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from medborgarlofte.accounts import audit
from medborgarlofte.accounts.models import Membership, User
from medborgarlofte.kommuner.models import Municipality, Place

from .models import Incident, MeetingAction, Report, TimeBand, WeeklyMeeting
from .police_events import import_events
from .services import ensure_categories
from .weekly import current_week, week_start

SAMPLE = Path(__file__).resolve().parent / "data" / "polisen_events_sample.json"
REPORTER = (
    "rapportor",
    "EST-rapportör, Mullsjö kommun (rapporterar händelser, ser bara sina egna)",
)

# name, kind, latitude, longitude, aliases, weight
PLACES = [
    ("Mullsjö centrum", "centre", 57.9163, 13.8786, ["Centrum", "Torget"], 5),
    ("Stationsområdet", "station", 57.9176, 13.8770, ["Mullsjö station", "Resecentrum"], 4),
    ("Sandhem", "area", 57.9880, 13.7710, [], 1),
    ("Skolområdet (exempelplats)", "school", 57.9135, 13.8845, [], 3),
    ("Idrottsplatsen (exempelplats)", "other", 57.9105, 13.8725, [], 2),
    ("Badplatsen (exempelplats)", "park", 57.9225, 13.8690, [], 2),
]

ORGANISATIONS = [
    "Mullsjö kommun, fritid",
    "Mullsjö kommun, teknisk förvaltning",
    "Bostadsbolaget (exempel)",
    "Vaktbolaget (exempel)",
]

# category key: (weight, summer factor, descriptions)
PATTERN = {
    "skadegorelse": (5, 1.2, ["Krossad ruta i väntkuren.", "Sönderslagen belysningsstolpe."]),
    "klotter": (5, 1.0, ["Klotter på fasaden mot parkeringen.", "Nytt klotter i gångtunneln."]),
    "nedskrapning": (4, 1.6, ["Mycket skräp och glas efter helgen.", "Nedskräpat vid bänkarna."]),
    "brand": (1, 0.8, ["Brand i papperskorg.", "Eldat i containern bakom butiken."]),
    "otrygg-plats": (3, 0.6, ["Trasig belysning längs gångvägen.", "Skymd sikt av buskage."]),
    "storande-samling": (
        3,
        1.5,
        ["Större grupp som stör kvällstid.", "Högljudd samling vid entrén."],
    ),
    "narkotika": (
        1,
        1.0,
        ["Misstänkt narkotikahantering kvällstid.", "Fynd av sprutor i buskage."],
    ),
    "buskorning": (
        2,
        2.0,
        ["Mopeder kör på gångvägen.", "A-traktorer kör i hög fart runt torget."],
    ),
    "hot-vald-personal": (1, 1.0, ["Personal hotad vid stängning."]),
    "inbrott": (1, 0.8, ["Inbrott i förråd.", "Uppbrutet cykelförråd."]),
    "ovrigt": (1, 1.0, ["Övergivna kundvagnar."]),
}


def _ensure_reporter(password: str) -> User:
    user, _created = User.objects.get_or_create(
        username=REPORTER[0], defaults={"email": "rapportor@demo.medborgarlofte.invalid"}
    )
    user.set_password(password)
    user.save()
    Membership.objects.get_or_create(
        user=user, municipality=Municipality.objects.get(code="0642"), role="reporter"
    )
    return user


def _places(kommun) -> list[Place]:
    out = []
    for name, kind, lat, lon, aliases, _weight in PLACES:
        place, _created = Place.objects.get_or_create(
            municipality=kommun,
            name=name,
            defaults={"kind": kind, "latitude": lat, "longitude": lon, "aliases": aliases},
        )
        out.append(place)
    return out


def _events_for_week(rng, day0, categories, places, weights, hot: bool):
    summer = day0.month in (5, 6, 7, 8)
    events = []
    for _i in range(rng.randint(2, 8)):
        keys = list(PATTERN)
        cat_weights = [PATTERN[k][0] * (PATTERN[k][1] if summer else 1) for k in keys]
        key = rng.choices(keys, cat_weights)[0]
        events.append((key, rng.choices(places, weights)[0]))
    if hot:  # a cluster at the station this week: the hotspot of the demo
        events += [("skadegorelse", places[1])] * 4 + [("klotter", places[1])] * 2
    out = []
    for key, place in events:
        date = day0 + datetime.timedelta(days=rng.randint(0, 6))
        out.append((categories[key], place, date, rng.choice(PATTERN[key][2])))
    return out


def _incidents(kommun, reporter, categories, places, today) -> int:
    rng = random.Random(642)
    weights = [p[5] for p in PLACES]
    year, week = current_week(today)
    this_monday = week_start(year, week)
    reports, rows = [], []
    for back in range(52, -1, -1):
        monday = this_monday - datetime.timedelta(weeks=back)
        for category, place, date, text in _events_for_week(
            rng, monday, categories, places, weights, hot=back == 0
        ):
            if date > today:
                date = today
            report = Report(
                municipality=kommun,
                reporter=reporter,
                organisation=rng.choice(ORGANISATIONS),
                is_example=True,
            )
            reports.append(report)
            old = (today - date).days > 14
            rows.append(
                (
                    report,
                    Incident(
                        municipality=kommun,
                        reporter=reporter,
                        category=category,
                        place=place,
                        date=date,
                        time_band=rng.choice(TimeBand.values),
                        description=text,
                        is_example=True,
                        status=Incident.Status.HANDLED if old else Incident.Status.NEW,
                        action_taken="Åtgärdat (exempel)." if old else "",
                    ),
                )
            )
    Report.objects.bulk_create(reports, batch_size=500)
    for report, incident in rows:
        incident.report = report
    Incident.objects.bulk_create([i for _r, i in rows], batch_size=500)
    return len(rows)


def _meetings(kommun, coordinator, places, today, commitment_ref=""):
    year, week = current_week(today)
    for back in (3, 2, 1):
        monday = week_start(year, week) - datetime.timedelta(weeks=back)
        y, w, _d = monday.isocalendar()
        meeting = WeeklyMeeting.objects.create(
            municipality=kommun,
            iso_year=y,
            iso_week=w,
            date=monday,
            created_by=coordinator,
            participants=["samordnare", "kommunpolis", "bostadsbolag"],
            decisions="Genomgång av veckans rapporter. Fokus på stationsområdet kvällstid.",
            is_example=True,
        )
        MeetingAction.objects.create(
            meeting=meeting,
            municipality=kommun,
            place=places[1],
            commitment_ref=commitment_ref,
            text="Extra närvaro vid stationsområdet fredag och lördag kväll.",
            responsible_role="kommunpolis",
            due=monday + datetime.timedelta(days=6),
            status=MeetingAction.Status.OPEN if back == 1 else MeetingAction.Status.DONE,
            is_example=True,
        )


@transaction.atomic
def hold_example_meetings(kommun, days, commitment_refs, user=None) -> int:
    """Demo: the weekly EST meetings held on `days` (example data), each serving the
    commitments `commitment_refs` of the citizen promise, so that follow-up counts them
    for those commitments (EST entered once). The caller names the commitments: the
    incidents app knows nothing of agreements. A week that already has a meeting is
    skipped, so loading twice changes nothing. Returns the number of meetings created."""
    taken = set(
        WeeklyMeeting.objects.filter(municipality=kommun).values_list("iso_year", "iso_week")
    )
    created = []
    for day in days:
        iso = day.isocalendar()
        if (iso.year, iso.week) in taken:
            continue
        taken.add((iso.year, iso.week))
        created.append(
            WeeklyMeeting(
                municipality=kommun,
                iso_year=iso.year,
                iso_week=iso.week,
                date=day,
                created_by=user,
                participants=["samordnare", "kommunpolis"],
                decisions="Gemensam lägesbild: veckans EST-rapporter och polisens händelser.",
                commitment_refs=list(commitment_refs),
                is_example=True,
            )
        )
    WeeklyMeeting.objects.bulk_create(created)
    if created:
        audit.record(
            user=user,
            action="hold_example_meetings",
            municipality=kommun,
            object_type="weeklymeeting",
            summary=f"Exempeldata: {len(created)} veckomöten ({', '.join(commitment_refs)})",
        )
    return len(created)


@transaction.atomic
def load_incidents_demo(
    password: str, users: dict | None = None, today=None, commitment_ref: str = ""
) -> list[tuple[str, str]]:
    """Returns the extra demo logins (username, description). commitment_ref: the
    commitment of Mullsjö's promise the example meeting actions name (given by the demo,
    medborgarlofte/demo/loader.py: the incidents app knows nothing of agreements)."""
    today = today or timezone.localdate()
    kommun = Municipality.objects.get(code="0642")
    reporter = _ensure_reporter(password)
    coordinator = (users or {}).get("samordnare")
    categories = {c.key: c for c in ensure_categories(kommun)}
    places = _places(kommun)
    if not Incident.objects.filter(municipality=kommun, is_example=True).exists():
        count = _incidents(kommun, reporter, categories, places, today)
        _meetings(kommun, coordinator, places, today, commitment_ref)
        audit.record(
            user=coordinator,
            action="load_incidents_demo",
            municipality=kommun,
            object_type="incident",
            summary=f"Exempeldata: {count} händelser",
        )
    if SAMPLE.exists():
        import_events(SAMPLE.read_bytes(), source=SAMPLE.name, user=coordinator)
    return [REPORTER]
