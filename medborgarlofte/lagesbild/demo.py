"""Demo: Mullsjö's joint lägesbild for 2023, the basis of the 2024 promise.

Everything here is Exempeldata (invented for the demonstration), labelled as such: the
intelligence summary, the survey and dialogue figures, the problems' wording, the
consequences and kommunstyrelsen's decision on the frozen version. The
four problems lead to the seed's three focus areas and seven crime categories.
load_lagesbild_demo() returns which commitment (by ref) answers which problem; the
agreements demo links them (agreements/demo.py). Loading twice changes nothing.
"""

from datetime import date

from django.db import transaction

from medborgarlofte.accounts.models import User
from medborgarlofte.crimestats.models import CrimeCategory
from medborgarlofte.kommuner.models import Municipality

from . import ranking, services
from .composition import find_candidate
from .models import Lagesbild

EXAMPLE = "Exempeldata"
START, END = date(2023, 1, 1), date(2023, 12, 31)

INTELLIGENCE_TEXT = (
    "Exempeldata – påhittad text för demonstrationen.\n\n"
    "Underrättelsebilden 2023 (sammanfattning): narkotikaförsäljning sker i mindre skala "
    "kring resecentrum och centrum kvällstid, med köpare från grannkommunerna. En grupp "
    "unga i åldern 15–17 år rör sig i centrum och vid skolan på kvällar och helger. "
    "Telefonbedrägerier mot äldre ökar i hela länet."
)

PROBLEMS = [
    {
        "title": "Narkotikahantering och otrygghet i centrum kvällstid",
        "behaviour": "Försäljning och bruk av narkotika, samlingar som upplevs hotfulla, skadegörelse",
        "place": "Mullsjö centrum och resecentrum",
        "time": "Kvällar och helger, särskilt fredag–lördag",
        "affected": "Boende, pendlare och unga i centrum",
        "causes": "Lättillgänglig plats med kollektivtrafik, få vuxna i rörelse kvällstid",
        "focus_area": "Säkerhet och trygghet i centrum",
        "categories": ["narkotikabrott", "skadegorelsebrott"],
        "commitments": ["m24-04", "m24-13", "m24-14", "m24-15", "m24-16"],
        "evidence": [
            ("survey", "Mullsjö centrum", "Öppen narkotikahandel"),
            ("survey", "Mullsjö centrum", "Otrygghet vid stationen och busshållplatser"),
            ("dialogue", "narkotika"),
        ],
    },
    {
        "title": "Normbrytande beteende bland unga",
        "behaviour": "Snatteri, buskörning med moped och A-traktor, tidig droganvändning",
        "place": "Skolområdet, centrum och landsvägarna runt tätorten",
        "time": "Eftermiddag och kväll, vår och sensommar",
        "affected": "Barn och unga 12–17 år, trafikanter",
        "causes": "Brist på meningsfull fritid, kamratgrupper med normbrytande beteende",
        "focus_area": "Normbrytande barn och ungdomar",
        "categories": ["tillgreppsbrott", "narkotikabrott", "trafikbrott"],
        "commitments": [
            "m24-05",
            "m24-06",
            "m24-07",
            "m24-08",
            "m24-09",
            "m24-10",
            "m24-11",
            "m24-12",
        ],
        "evidence": [
            ("dialogue", "trafik"),
            ("dialogue", "ungdomar"),
            ("survey", "Mullsjö kommun", "Buskörning med moped eller A-traktor"),
        ],
    },
    {
        "title": "Bedrägerier mot äldre och inbrott",
        "behaviour": "Telefonbedrägerier (bluffsamtal) mot äldre, inbrott i bostäder och förråd",
        "place": "Hela kommunen, villaområden och landsbygd",
        "time": "Dagtid (bedrägerier), semesterperioder (inbrott)",
        "affected": "Äldre, hushåll i villaområden och på landsbygden",
        "causes": "Organiserade bedrägerier via telefon, få hushåll i Grannsamverkan",
        "focus_area": "Brottsförebyggande samverkan",
        "categories": ["bedrageri-och-annan-oredlighet", "stold-genom-inbrott"],
        "commitments": ["m24-17", "m24-18", "m24-19"],
        "evidence": [("dialogue", "bedrageri"), ("dialogue", "inbrott")],
    },
    {
        "title": "Våld i nära relation som inte anmäls",
        "behaviour": "Våld och hot i nära relationer som sällan polisanmäls",
        "place": "I hemmet, hela kommunen",
        "time": "Hela året, oftare kring helger",
        "affected": "Framför allt kvinnor och barn",
        "causes": "Mörkertal, låg kunskap om var man får stöd",
        "focus_area": "Brottsförebyggande samverkan",
        "categories": ["valdsbrott-i-nara-relation"],
        "commitments": ["m24-01", "m24-02", "m24-03"],
        "evidence": [("dialogue", "nara_relation")],
    },
]

# Lag (2023:196) 4 § 1 p.: the consequences of crime; 2 p.: other information.
CONSEQUENCES = (
    f"{EXAMPLE}. Brottsligheten i centrum kvällstid gör att många boende och pendlare "
    "undviker resecentrum och centrum efter mörkrets inbrott. Skadegörelse och klotter kostar "
    "kommunen pengar som annars hade gått till verksamheten. Bedrägerierna drabbar äldre "
    "både ekonomiskt och genom oro och minskad tillit."
)
CONSEQUENCE_ITEMS = [
    {
        "title": "Kommunens kostnad för skadegörelse och klotter",
        "figure": 412000,
        "unit": "kr",
        "year": 2023,
        "text": "Sanering av klotter, glas och reparationer av kommunens fastigheter och lekplatser.",
        "source": f"{EXAMPLE}, Mullsjö kommun, tekniska förvaltningen",
    },
    {
        "title": "Andel som avstår från att gå ut ensam kvällstid",
        "figure": 23,
        "unit": "%",
        "year": 2023,
        "text": "Andel av de svarande som ofta eller ibland avstår från aktiviteter av oro för brott.",
        "source": f"{EXAMPLE}, polisens trygghetsundersökning 2023 (n = 412)",
    },
    {
        "title": "Anmälda bedrägerier mot personer över 65 år",
        "figure": 14,
        "unit": "anmälningar",
        "year": 2023,
        "text": "Telefonbedrägerier där äldre förlorat pengar; mörkertalet bedöms som stort.",
        "source": f"{EXAMPLE}, lokalpolisområde Södra Vätterbygden",
    },
]
OTHER_INFORMATION = (
    f"{EXAMPLE}. Kommunens handlingsprogram för trygghet och säkerhet 2023–2026, "
    "elevhälsans enkät i årskurs 8 och socialtjänstens statistik över orosanmälningar. "
    "Medborgardialogerna i november 2023 och medarbetardialogen i skola och fritid."
)
# The kommun's decision on the joint lägesbild (lag 2023:196): invented, shown as such.
DECISION = {
    "body": "kommunstyrelsen",
    "decided_on": date(2023, 11, 27),
    "paragraph": "§ 152",
    "reference": "KS 2023/214",
}

# "tillgreppsbrott" (BrB 8 kap.) is "Stöld, rån m.m." in the taxonomy.
CATEGORY_ALIASES = {"tillgreppsbrott": "stold-ran-mm"}


def _categories(slugs) -> list:
    slugs = [CATEGORY_ALIASES.get(s, s) for s in slugs]
    return list(CrimeCategory.objects.filter(slug__in=slugs))


def _candidate_key(spec: tuple) -> str:
    """A problem's evidence names a row of the demo's own data: the survey question of an
    area in the lägesbild's year, or a dialogue theme. Its figures and strength are then
    computed from the imported survey and dialogues (lagesbild/sources.py), never typed."""
    if spec[0] == "survey":
        from medborgarlofte.surveys.demo import PROVIDER

        _kind, area, question = spec
        return f"survey|{PROVIDER}:{END.year}:{area}:{question}"
    return f"dialogue|{spec[1]}"


def _add_evidence(lagesbild, problem, spec, coordinator, police) -> None:
    for category in problem.crime_categories.all():
        candidate = find_candidate(lagesbild, f"crime|{category.slug}:{END.year}")
        if candidate is not None:
            services.add_candidate_evidence(problem, coordinator, candidate)
    for item in spec["evidence"]:
        candidate = find_candidate(lagesbild, _candidate_key(item))
        if candidate is None:  # the survey or dialogue demo was not loaded first
            raise LookupError(f"demo evidence not in the demo data: {item}")
        services.add_candidate_evidence(problem, coordinator, candidate)
    services.add_evidence(
        problem,
        police,
        kind="intelligence",
        label="",
        strength=ranking.MANUAL_STRENGTHS["medium"],
        snapshot={"strength_basis": EXAMPLE},
    )


@transaction.atomic
def load_lagesbild_demo() -> dict[str, list]:
    """Create, fill and approve the Mullsjö 2023 lägesbild. Returns {commitment ref: [problems]}."""
    mullsjo = Municipality.objects.get(code="0642")
    coordinator = User.objects.get(username="samordnare")
    police = User.objects.get(username="kommunpolis")
    if not mullsjo.intelligence_summaries.filter(period_start=START, period_end=END).exists():
        services.save_intelligence(
            mullsjo,
            police,
            period_start=START,
            period_end=END,
            text=INTELLIGENCE_TEXT,
            example_data=True,
        )
    if not mullsjo.safety_programmes.exists():
        services.add_programme(
            mullsjo,
            coordinator,
            title="Handlingsprogram för trygghet och säkerhet 2023–2026",
            url="https://www.mullsjo.se/",
            first_year=2023,
            last_year=2026,
        )
    lagesbild = Lagesbild.objects.filter(
        municipality=mullsjo, period_start=START, period_end=END
    ).first()
    if lagesbild is None:
        lagesbild = _build(mullsjo, coordinator, police)
    _decide(lagesbild, coordinator)
    by_title = {p.title: p for p in lagesbild.problems.all()}
    links: dict[str, list] = {}
    for spec in PROBLEMS:
        problem = by_title.get(spec["title"])
        for ref in spec["commitments"]:
            if problem is not None:
                links.setdefault(ref, []).append(problem)
    return links


def _build(mullsjo, coordinator, police) -> Lagesbild:
    lagesbild = services.create_lagesbild(
        mullsjo,
        coordinator,
        title=f"Gemensam lägesbild Mullsjö 2023 ({EXAMPLE})",
        period_start=START,
        period_end=END,
        promise_year=2024,
    )
    services.update_lagesbild(
        lagesbild,
        coordinator,
        analysis=(
            f"{EXAMPLE}. Lägesbilden bygger på anmälda brott 2021–2023, polisens "
            "trygghetsundersökning 2023, medborgar- och medarbetardialoger hösten 2023, "
            "polisens underrättelserapport och kommunens handlingsprogram."
        ),
    )
    Lagesbild.objects.filter(pk=lagesbild.pk).update(example_data=True)
    lagesbild.refresh_from_db()
    services.update_lagesbild(
        lagesbild, coordinator, consequences=CONSEQUENCES, other_information=OTHER_INFORMATION
    )
    for item in CONSEQUENCE_ITEMS:
        services.add_consequence(lagesbild, coordinator, example_data=True, **item)
    for spec in PROBLEMS:
        fields = {
            k: spec[k]
            for k in ("title", "behaviour", "place", "time", "affected", "causes", "focus_area")
        }
        problem = services.add_problem(
            lagesbild,
            coordinator,
            crime_categories=_categories(spec["categories"]),
            chosen=True,
            **fields,
        )
        _add_evidence(lagesbild, problem, spec, coordinator, police)
    services.approve_lagesbild(lagesbild, coordinator, "municipality")
    services.approve_lagesbild(lagesbild, police, "police")
    lagesbild.refresh_from_db()
    return lagesbild


def _decide(lagesbild, coordinator) -> None:
    """Kommunstyrelsen decides the frozen version (Exempeldata): once; a version frozen by
    an older demo, without the consequences 4 § asks for, is left undecided."""
    from medborgarlofte.accounts import decisions

    version = lagesbild.versions.order_by("-number").first()
    if version is None or decisions.existing(version) is not None:
        return
    if services.statutory_gaps(version.content):
        return
    services.decide_version(version, coordinator, **DECISION)
