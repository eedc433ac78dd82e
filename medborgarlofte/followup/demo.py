"""Demo follow-up for Mullsjö 2024 (invented example data, labelled "Exempeldata").

A year of activities and meetings (hundsök in schools, Grannsamverkan information
meetings with household counts …), the weekly EST meetings of 2024 (five weeks missed)
that serve "dela lägesbild veckovis" and count for it by themselves, manual values
of the Grannsamverkan indicator, and the follow-ups T1–T3 and the yearly one, approved
by both parties and published. Loading twice changes nothing.
"""

import datetime

from django.db import transaction

from medborgarlofte.accounts import audit
from medborgarlofte.accounts.models import User
from medborgarlofte.agreements.models import Agreement
from medborgarlofte.incidents.demo import hold_example_meetings

from . import periods, services
from .models import Activity, FollowUp, FollowUpStatus, IndicatorSourceMapping, IndicatorValue

CODE, YEAR = "0642", 2024
WEEKLY_REF = "m24-02"  # "samverka och dela lägesbild veckovis", cadence weekly
MISSED_WEEKS = {7, 28, 29, 30, 52}
D = datetime.date

# (ref, date, party, title, quantity, unit, meeting type, outcome)
EVENTS = [
    (
        "m24-01",
        D(2024, 2, 13),
        "municipality",
        "Lägesbild i kommunens ledningsgrupp",
        None,
        "",
        "ledningsgrupp",
        "Polisen deltog och presenterade lägesbilden för tertialen.",
    ),
    (
        "m24-01",
        D(2024, 3, 19),
        "municipality",
        "Lokala BRÅ: gemensam lägesbild",
        None,
        "",
        "lokalt_bra",
        "Prioriteringarna för året bekräftades.",
    ),
    (
        "m24-01",
        D(2024, 5, 21),
        "municipality",
        "Lägesbild i kommunens ledningsgrupp",
        None,
        "",
        "ledningsgrupp",
        "",
    ),
    (
        "m24-01",
        D(2024, 9, 17),
        "municipality",
        "Lägesbild i kommunens ledningsgrupp",
        None,
        "",
        "ledningsgrupp",
        "",
    ),
    (
        "m24-01",
        D(2024, 11, 12),
        "municipality",
        "Lokala BRÅ: uppföljning och nästa års löfte",
        None,
        "",
        "lokalt_bra",
        "Underlag till medborgarlöfte 2025 togs fram.",
    ),
    (
        "m24-09",
        D(2024, 3, 7),
        "police",
        "Hundsök i grundskolan",
        1,
        "hundsök",
        "",
        "Ingen narkotika anträffades.",
    ),
    (
        "m24-09",
        D(2024, 5, 16),
        "police",
        "Hundsök i grundskolan",
        1,
        "hundsök",
        "",
        "Ingen narkotika anträffades.",
    ),
    (
        "m24-09",
        D(2024, 10, 3),
        "police",
        "Hundsök i grundskolan",
        1,
        "hundsök",
        "",
        "Ingen narkotika anträffades.",
    ),
    (
        "m24-09",
        D(2024, 12, 5),
        "police",
        "Hundsök i grundskolan",
        1,
        "hundsök",
        "",
        "Ingen narkotika anträffades.",
    ),
    (
        "m24-13",
        D(2024, 4, 10),
        "police",
        "Orsaksanalys: skadegörelse vid resecentrum",
        1,
        "orsaksanalyser",
        "",
        "Analysen pekade på kvällstid och dålig belysning.",
    ),
    (
        "m24-13",
        D(2024, 10, 22),
        "police",
        "Orsaksanalys: stölder i centrum",
        1,
        "orsaksanalyser",
        "",
        "",
    ),
    (
        "m24-17",
        D(2024, 2, 28),
        "police",
        "Informationsmöte Grannsamverkan, Mullsjö centrum",
        25,
        "hushåll nådda",
        "information",
        "",
    ),
    (
        "m24-17",
        D(2024, 4, 17),
        "police",
        "Informationsmöte Grannsamverkan, Sandhem",
        18,
        "hushåll nådda",
        "information",
        "",
    ),
    (
        "m24-17",
        D(2024, 6, 5),
        "municipality",
        "Informationsmöte Grannsamverkan, Bjurbäcken",
        30,
        "hushåll nådda",
        "information",
        "",
    ),
    (
        "m24-17",
        D(2024, 9, 25),
        "police",
        "Informationsmöte Grannsamverkan, Mullsjö centrum",
        12,
        "hushåll nådda",
        "information",
        "",
    ),
    (
        "m24-17",
        D(2024, 11, 20),
        "municipality",
        "Digital utbildning för kontaktombud",
        22,
        "hushåll nådda",
        "information",
        "",
    ),
    (
        "m24-18",
        D(2024, 3, 14),
        "police",
        "Information om bedrägerier på träffpunkt för seniorer",
        1,
        "insatser",
        "information",
        "",
    ),
    (
        "m24-18",
        D(2024, 10, 9),
        "police",
        "Bedrägeriinformation under Tryggare tillsammans-veckan",
        1,
        "insatser",
        "information",
        "",
    ),
    (
        "m24-18",
        D(2024, 11, 27),
        "municipality",
        "Utbildning för hemtjänstpersonal om bedrägerier",
        1,
        "insatser",
        "",
        "",
    ),
]
CONTROLS = [
    D(2024, m, d)
    for m, d in [(1, 26), (3, 22), (5, 10), (6, 14), (8, 30), (9, 20), (11, 8), (12, 13)]
]
# Every commitment the year's follow-up calls done has at least one logged activity
# (issue 16: the demo never shows "Genomfört" with 0 activities; _status checks it).
EVENTS += [
    ("m24-03", D(2024, 6, 12), "municipality", "Extra insats i centrum inför skolavslutningen",
     None, "", "", "Fler vuxna på plats; inga allvarliga händelser."),
    ("m24-04", D(2024, 4, 24), "municipality", "ANDTS-strategin: genomgång med regionens folkhälsoplanerare",
     None, "", "", ""),
    ("m24-04", D(2024, 11, 6), "municipality", "ANDTS-strategin: uppföljning av årets insatser",
     None, "", "", ""),
    ("m24-05", D(2024, 3, 27), "police", "Orosanmälningar vid tidiga tecken på normbrytande beteende",
     6, "orosanmälningar", "", ""),
    ("m24-05", D(2024, 10, 16), "municipality", "SSPF-möten om unga i riskzonen",
     3, "möten", "", ""),
    ("m24-08", D(2024, 2, 21), "police", "Områdespolisen på föräldramöten i skolan", 2, "möten", "", ""),
    ("m24-08", D(2024, 9, 11), "police", "Områdespolisen på fritidsgården", 4, "besök", "", ""),
    ("m24-10", D(2024, 6, 17), "municipality", "Feriearbeten för unga", 42, "platser", "", ""),
    ("m24-11", D(2024, 2, 7), "municipality", "Värdegrundsarbete i årskurs 7–9", 6, "lektioner", "", ""),
    ("m24-12", D(2024, 5, 8), "municipality", "Utbildning om risk- och skyddsfaktorer för personal",
     38, "deltagare", "", ""),
    ("m24-16", D(2024, 8, 28), "municipality", "Genomgång av rutinen för polisanmälningar och tillbud",
     None, "", "", ""),
    ("m24-19", D(2024, 5, 25), "police", "Synlig polis vid Mullsjö marknad", None, "", "", ""),
    ("m24-19", D(2024, 8, 3), "police", "Trafikkontroller och närvaro i Sandhem och på landsbygden",
     3, "pass", "", ""),
]  # fmt: skip
GROUP_MEETINGS = [D(2024, m, 10) for m in (1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12)]
# The commitments with logged activities: only these are "done" in the year's follow-up.
LOGGED = {event[0] for event in EVENTS} | {"m24-02", "m24-06", "m24-15"}
GRANNSAMVERKAN = [
    (D(2024, 1, 1), 310),
    (D(2024, 4, 30), 335),
    (D(2024, 8, 31), 352),
    (D(2024, 12, 31), 380),
]
SOURCES = {
    (WEEKLY_REF, "Veckor med gemensam lägesbild"): "meetings:weekly_lagesbild",
    ("m24-09", "Genomförda hundsök i grundskolan"): "activities:",
    ("m24-13", "Genomförda orsaksanalyser"): "activities:",
    ("m24-15", "Riktade narkotikakontroller i centrum"): "activities:",
    ("m24-18", "Genomförda informations- och utbildningsinsatser"): "activities:",
}
PARTLY = {
    "m24-07": "Ungdomsteamet startade först i september eftersom två nya områdespoliser "
    "började då; insatserna under våren blev färre än planerat.",
}
NOT_DONE = {
    "m24-14": "Den utökade kameraövervakningen vid resecentrum kunde inte genomföras under "
    "året: tillståndsprövningen blev inte klar. Arbetet fortsätter 2025.",
}
NARRATIVES = {
    "": "Samverkan på strategisk nivå har skett i ledningsgruppen och lokala BRÅ. "
    "Den veckovisa lägesbilden mellan samordnare och kommunpolis har hållits nästan varje vecka.",
    "normbrytande-barn-och-ungdomar": "Samverkansgruppen 10–18 år har träffats regelbundet och "
    "hundsök har genomförts i grundskolan under året.",
    "sakerhet-och-trygghet-i-centrum": "Riktade kontroller har genomförts i centrum och två "
    "orsaksanalyser har gjorts tillsammans.",
    "brottsforebyggande-samverkan": "Fler hushåll har anslutit sig till Grannsamverkan efter "
    "informationsmöten i flera kommundelar.",
}


def _activities(agreement) -> list[Activity]:
    rows = [
        (ref, day, party, title, qty, unit, meeting, outcome)
        for ref, day, party, title, qty, unit, meeting, outcome in EVENTS
    ]
    rows += [
        (
            "m24-15",
            day,
            "police",
            "Riktad narkotikakontroll i centrum med hundförare",
            1,
            "kontroller",
            "",
            "",
        )
        for day in CONTROLS
    ]
    rows += [
        ("m24-06", day, "municipality", "Samverkansgrupp 10–18 år", None, "", "samverkansgrupp", "")
        for day in GROUP_MEETINGS
    ]
    return [
        Activity(
            municipality=agreement.municipality,
            agreement=agreement,
            commitment_ref=ref,
            date=day,
            party_kind=party,
            title=title,
            quantity=qty,
            unit=unit,
            meeting_type=meeting,
            outcome=outcome,
            participants="brottsförebyggande samordnare, kommunpolis" if meeting else "",
            is_example=True,
            import_key=f"demo-{ref}-{day.isoformat()}-{index}",
        )
        for index, (ref, day, party, title, qty, unit, meeting, outcome) in enumerate(rows)
    ]


def weekly_meeting_days() -> list[datetime.date]:
    """The Tuesdays of 2024's ISO weeks, but for the five missed ones."""
    return [
        bucket.start + datetime.timedelta(days=1)
        for bucket in periods.buckets("weekly", D(YEAR, 1, 1), D(YEAR, 12, 31))
        if int(bucket.key[-2:]) not in MISSED_WEEKS
    ]


def _status(ref: str, period: str) -> tuple[str, str]:
    late = period in {"t3", "q4", "h2", "year"}  # the last period of the year, and the year
    if ref in NOT_DONE and late:
        return "not_done", NOT_DONE[ref]
    if ref in PARTLY and late:
        return "partly_done", PARTLY[ref]
    if period == "year" and ref in LOGGED:
        return "done", ""
    return ("ongoing", "")


def _followups(agreement, version, coordinator, police) -> None:
    refs = [c.ref for c in version.commitments.all()]
    rhythm = periods.rhythm_for(agreement, version)  # the plan's rhythm (tertial for Mullsjö)
    for spec in rhythm.specs(YEAR):
        period = spec.key
        existing = FollowUp.objects.filter(agreement=agreement, period=period).first()
        if existing is not None and existing.status == FollowUpStatus.PUBLISHED:
            continue
        followup, _cleared = services.save_followup(
            agreement,
            coordinator,
            period,
            statuses={ref: _status(ref, period) for ref in refs},
            narratives=NARRATIVES,
            summary="Exempeldata: en påhittad uppföljning som visar hur uppföljningen ser ut.",
        )
        FollowUp.objects.filter(pk=followup.pk).update(is_example=True)
        services.approve_followup(followup, coordinator, "municipality")
        services.approve_followup(followup, police, "police")
        services.publish_followup(followup, coordinator, as_of=spec.end)


@transaction.atomic
def load_followup_demo(coordinator=None, police=None) -> int:
    """Returns the number of activities created (0 when the demo was already loaded)."""
    agreement = Agreement.objects.filter(municipality__code=CODE, period_start__year=YEAR).first()
    if agreement is None or agreement.published_version() is None:
        return 0
    coordinator = coordinator or User.objects.get(username="samordnare")
    police = police or User.objects.get(username="kommunpolis")
    created = 0
    if not Activity.objects.filter(agreement=agreement, is_example=True).exists():
        created = len(Activity.objects.bulk_create(_activities(agreement)))
        for day, value in GRANNSAMVERKAN:
            IndicatorValue.objects.create(
                municipality=agreement.municipality,
                agreement=agreement,
                commitment_ref="m24-17",
                indicator_title="Hushåll och näringsidkare i Grannsamverkan",
                date=day,
                value=value,
                note="Exempeldata: Polisens register över Grannsamverkan",
                is_example=True,
            )
        for (ref, title), source in SOURCES.items():
            IndicatorSourceMapping.objects.get_or_create(
                agreement=agreement,
                commitment_ref=ref,
                indicator_title=title,
                defaults={"source": source, "municipality": agreement.municipality},
            )
        audit.record(
            user=coordinator, action="load_followup_demo", obj=agreement, summary="Exempeldata"
        )
    # "Dela lägesbild veckovis" (m24-02) is met by the weekly EST meetings themselves:
    # held once, in the EST part, and counted by follow-up (meetings.py), never logged
    # again as activities.
    hold_example_meetings(agreement.municipality, weekly_meeting_days(), [WEEKLY_REF], coordinator)
    _followups(agreement, agreement.published_version(), coordinator, police)
    return created
