"""Demo: Mullsjö's åtgärdsplan 2024–2026, decided from the joint lägesbild 2023.

Everything here is Exempeldata (invented for the demonstration) and labelled as such:
the plan (example_data, shown on its page and on its decision), the measures, their
resources and follow-up, and kommunfullmäktige's decision. Five of the seven measures
are done together with the police and linked to commitments of the medborgarlöfte
Mullsjö 2024 (by reference, as a measure turned into a commitment would be); the
agreement editor shows the link back. Also the samverkansöverenskommelse 2024–2027
(Exempeldata): four measurable goals, one per lägesbild problem, signed by both demo
users; each of the 19 commitments of Mullsjö 2024 serves the goal of the problem it
answers. Loading twice changes nothing.
"""

from datetime import date

from django.db import transaction

from medborgarlofte.accounts.models import User
from medborgarlofte.agreements.models import Agreement
from medborgarlofte.kommuner.models import Municipality, Place
from medborgarlofte.lagesbild.demo import END, PROBLEMS, START
from medborgarlofte.lagesbild.models import Lagesbild

from . import services
from .models import ActionPlan, CooperationAgreement

EXAMPLE = "Exempeldata"
FIRST_YEAR, LAST_YEAR = 2024, 2026
TITLE = f"Åtgärdsplan för det brottsförebyggande arbetet 2024–2026 ({EXAMPLE})"
SUMMARY = (
    f"{EXAMPLE}. Planen bygger på den gemensamma lägesbilden 2023 och möter dess fyra "
    "problem. Åtgärder som genomförs tillsammans med polisen är löften i medborgarlöftet."
)
DECISION = {
    "body": "kommunfullmaktige",
    "decided_on": date(2024, 2, 26),
    "paragraph": "§ 12",
    "reference": "KS 2023/215",
}
CENTRUM, UNGA, BEDRAGERI, VALD = (spec["title"] for spec in PROBLEMS)

# title, description, problems, responsible, partners, with the police, years, hours,
# cost (kr), expected effect, indicator, the commitment of Mullsjö 2024 it is
MEASURES = [
    {
        "title": "Samverkansgrupp 10–18 år varannan vecka",
        "description": "Socialtjänst, skola, fritid och polis går igenom oro kring unga och "
        "fördelar insatser.",
        "problems": [UNGA],
        "responsible": "Socialtjänsten, individ- och familjeomsorgen",
        "partners": "Polisen, grundskolan, fritidsgården",
        "with_police": True,
        "years": (2024, 2026),
        "hours": 240,
        "cost": 0,
        "expected_effect": "Tidigare insatser för unga som visar tecken på normbrytande beteende.",
        "indicator": "Andel unga som fått en insats inom fyra veckor efter en orosanmälan",
        "commitment": "m24-06",
    },
    {
        "title": "Gemensamma orsaksanalyser av brotten i centrum",
        "description": "Kommunen och polisen analyserar gärningsmönster i centrum två gånger "
        "per år.",
        "problems": [CENTRUM],
        "responsible": "Brottsförebyggande samordnaren",
        "partners": "Polisen",
        "with_police": True,
        "years": (2024, 2026),
        "hours": 80,
        "cost": 0,
        "expected_effect": "Åtgärder riktade mot de platser och tider där brotten sker.",
        "indicator": "Antal genomförda orsaksanalyser med beslutade åtgärder",
        "commitment": "m24-13",
    },
    {
        "title": "Kamerabevakning och bättre belysning vid resecentrum",
        "description": "Kamerabevakning enligt kamerabevakningslagen och ny belysning på "
        "gångstråken mellan resecentrum och centrum.",
        "problems": [CENTRUM],
        "responsible": "Tekniska förvaltningen",
        "partners": "Polisen, Jönköpings länstrafik",
        "with_police": True,
        "years": (2024, 2025),
        "hours": 120,
        "cost": 350000,
        "expected_effect": "Färre brott och ökad trygghet vid resecentrum kvällstid.",
        "indicator": "Anmälda brott och EST-rapporter vid resecentrum, före och efter",
        "commitment": "m24-14",
        # The gazetteer's place (incidents/demo.py): the measure page compares before/after.
        "place": "Stationsområdet",
    },
    {
        "title": "Grannsamverkan: informationsmöten och digital anslutning",
        "description": "Informationsmöten i villaområden och på landsbygden, anslutning via "
        "kommunens webbplats.",
        "problems": [BEDRAGERI],
        "responsible": "Kommunledningskontoret",
        "partners": "Polisen, Samverkan mot brott",
        "with_police": True,
        "years": (2024, 2026),
        "hours": 60,
        "cost": 25000,
        "expected_effect": "Fler hushåll i Grannsamverkan och färre inbrott.",
        "indicator": "Antal hushåll i Grannsamverkan",
        "commitment": "m24-17",
    },
    {
        "title": "Träffar om bedrägerier för äldre",
        "description": "Polisen och äldreomsorgen informerar om bluffsamtal på träffpunkter "
        "och i pensionärsföreningar.",
        "problems": [BEDRAGERI],
        "responsible": "Äldreomsorgen",
        "partners": "Polisen, pensionärsföreningarna",
        "with_police": True,
        "years": (2024, 2026),
        "hours": 40,
        "cost": 10000,
        "expected_effect": "Äldre känner igen och avbryter bedrägeriförsök.",
        "indicator": "Antal träffar och antal deltagare",
        "commitment": "m24-18",
    },
    {
        "title": "ANDTS-strategin i skolan och på fritidsgården",
        "description": "Lektioner och föräldramöten enligt kommunens ANDTS-strategiplan.",
        "problems": [UNGA, CENTRUM],
        "responsible": "Barn- och utbildningsförvaltningen",
        "partners": "Region Jönköpings län, folkhälsoplanerare",
        "with_police": False,
        "years": (2024, 2026),
        "hours": 160,
        "cost": 30000,
        "expected_effect": "Senare debut för alkohol, tobak och narkotika.",
        "indicator": "Andel elever i årskurs 9 som använt narkotika (elevhälsans enkät)",
        "commitment": "",
    },
    {
        "title": "Utbildning om våld i nära relation för personal",
        "description": "Personal i skola, socialtjänst och äldreomsorg lär sig se och fråga "
        "om våld.",
        "problems": [VALD],
        "responsible": "Socialtjänsten",
        "partners": "Region Jönköpings län",
        "with_police": False,
        "years": (2024, 2025),
        "hours": 100,
        "cost": 40000,
        "expected_effect": "Fler som utsätts för våld får stöd och gör en anmälan.",
        "indicator": "Andel av personalen som gått utbildningen",
        "commitment": "",
    },
]
# The follow-up of 2024 (Exempeldata): measure index → [(term, status, explanation)]
FOLLOWUPS = {
    0: [
        ("t1", "ongoing", "Gruppen har träffats åtta gånger; tolv ärenden har fått insats."),
        ("t2", "ongoing", "Sommaruppehåll i juli; arbetet fortsätter enligt plan."),
    ],
    1: [("year", "done", "Två orsaksanalyser gjordes, i mars och i oktober.")],
    2: [("t2", "partly", "Belysningen är klar; kamerorna sätts upp i början av 2025.")],
    3: [("year", "ongoing", "Fyra informationsmöten; 46 nya hushåll har anslutit sig.")],
    6: [("t1", "not_started", "Utbildningen är upphandlad och startar i höst.")],
}


@transaction.atomic
def load_actionplans_demo() -> ActionPlan | None:
    """Create, approve and decide Mullsjö's åtgärdsplan 2024–2026 (once)."""
    mullsjo = Municipality.objects.get(code="0642")
    existing = ActionPlan.objects.filter(municipality=mullsjo, first_year=FIRST_YEAR).first()
    if existing is not None:
        return existing
    lagesbild = Lagesbild.objects.filter(
        municipality=mullsjo, period_start=START, period_end=END
    ).first()
    if lagesbild is None:
        return None
    coordinator = User.objects.get(username="samordnare")
    police = User.objects.get(username="kommunpolis")
    plan = services.create_plan(
        mullsjo,
        coordinator,
        lagesbild=lagesbild,
        example_data=True,
        title=TITLE,
        first_year=FIRST_YEAR,
        last_year=LAST_YEAR,
        summary=SUMMARY,
        police_take_part=True,
    )
    problems = {p.title: p for p in lagesbild.problems.all()}
    measures = []
    for spec in MEASURES:
        first, last = spec["years"]
        values = {
            k: spec[k]
            for k in (
                "title",
                "description",
                "responsible",
                "partners",
                "with_police",
                "hours",
                "cost",
                "expected_effect",
                "indicator",
            )
        }
        measures.append(
            services.add_measure(
                plan,
                coordinator,
                problems=[problems[t] for t in spec["problems"] if t in problems],
                starts=date(first, 1, 1),
                ends=date(last, 12, 31),
                place=Place.objects.filter(municipality=mullsjo, name=spec.get("place")).first(),
                **values,
            )
        )
    services.approve_plan(plan, coordinator, "municipality")
    services.approve_plan(plan, police, "police")
    plan.refresh_from_db()
    services.decide_plan(plan, coordinator, **DECISION)
    agreement = Agreement.objects.filter(
        municipality=mullsjo, period_start__year=FIRST_YEAR
    ).first()
    for measure, spec in zip(measures, MEASURES, strict=True):
        if agreement is not None and spec["commitment"]:
            services.link_measure(
                measure, coordinator, agreement=agreement, commitment_ref=spec["commitment"]
            )
    for index, rows in FOLLOWUPS.items():
        for term, status, explanation in rows:
            services.record_followup(
                measures[index],
                coordinator,
                year=FIRST_YEAR,
                term=term,
                status=status,
                explanation=explanation,
            )
    plan.refresh_from_db()
    return plan


# --- Samverkansöverenskommelse 2024–2027 ----------------------------------------------------

COOPERATION = {
    "title": f"Samverkansöverenskommelse Mullsjö kommun och polisen 2024–2027 ({EXAMPLE})",
    "first_year": 2024,
    "last_year": 2027,
    "problems": (
        f"{EXAMPLE}. Utifrån den gemensamma lägesbilden 2023: narkotikahantering och "
        "otrygghet i centrum kvällstid; normbrytande beteende bland unga; bedrägerier mot "
        "äldre och inbrott; våld i nära relation som inte anmäls."
    ),
    "organisation": (
        f"{EXAMPLE}. Styrgrupp (kommundirektör och lokalpolisområdeschef) två gånger per år. "
        "Brottsförebyggande rådet fyra gånger per år. Samordnare och kommunpolis veckovis; "
        "samverkansgrupp 10–18 år varannan vecka."
    ),
    "follow_up_method": (
        f"{EXAMPLE}. Medborgarlöftet följs upp per tertial och år; målen följs upp årligen "
        "med polisens trygghetsundersökning, Brås statistik och kommunens egna uppgifter, "
        "och redovisas för kommunstyrelsen och brottsförebyggande rådet."
    ),
}
# One goal per problem of the lägesbild (in PROBLEMS order): its commitments serve it.
GOALS = [
    {
        "title": "Ökad trygghet i centrum kvällstid",
        "indicator": "Problemindex för narkotikaförsäljning i centrum (trygghetsundersökningen)",
        "baseline": "2,1 (2023)",
        "target": "högst 1,7 år 2027",
    },
    {
        "title": "Färre unga som begår brott",
        "indicator": "Antal misstänkta 15–17 år",
        "baseline": "18 (2023)",
        "target": "en tredjedel färre år 2027",
    },
    {
        "title": "Färre bedrägerier mot äldre och inbrott",
        "indicator": "Antal hushåll i Grannsamverkan",
        "baseline": "310 (2023)",
        "target": "500 år 2027",
    },
    {
        "title": "Fler som utsätts för våld i nära relation får stöd",
        "indicator": "Antal ärenden där socialtjänsten ger stöd efter våld",
        "baseline": "22 (2023)",
        "target": "minst 35 år 2027",
    },
]


@transaction.atomic
def load_cooperation_demo() -> CooperationAgreement | None:
    """Create and sign Mullsjö's samverkansöverenskommelse 2024–2027 (once) and name the
    goal each commitment of Mullsjö 2024 serves."""
    mullsjo = Municipality.objects.get(code="0642")
    found = CooperationAgreement.objects.filter(
        municipality=mullsjo, first_year=COOPERATION["first_year"]
    ).first()
    if found is not None:
        return found
    coordinator = User.objects.get(username="samordnare")
    police = User.objects.get(username="kommunpolis")
    cooperation = services.create_cooperation(
        mullsjo, coordinator, example_data=True, **COOPERATION
    )
    goals = [services.add_goal(cooperation, coordinator, **goal) for goal in GOALS]
    services.sign_cooperation(cooperation, coordinator, "municipality")
    services.sign_cooperation(cooperation, police, "police")
    agreement = Agreement.objects.filter(
        municipality=mullsjo, period_start__year=FIRST_YEAR
    ).first()
    if agreement is not None:
        for goal, spec in zip(goals, PROBLEMS, strict=True):
            for ref in spec["commitments"]:
                services.set_commitment_goals(
                    cooperation, coordinator, agreement=agreement, commitment_ref=ref, goals=[goal]
                )
    cooperation.refresh_from_db()
    return cooperation
