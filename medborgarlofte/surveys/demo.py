"""Example survey waves for Mullsjö (2022 and 2023, problem index 0–6), all "Example data".

Invented figures in the shape of Polisregion Öst's survey; loaded by medborgarlofte/demo/loader.py.
"""

import random
from decimal import Decimal

from medborgarlofte.kommuner.models import Municipality

from .importing import ParsedSurvey
from .models import ValueFormat
from .services import import_survey

PROVIDER = "Polisen (Origo Group), exempeldata"
SOURCE = "Exempeldata: påhittade värden i formen av Polisens trygghetsmätning"
QUESTIONS = [
    ("Nedskräpning", 1.6),
    ("Klotter", 1.2),
    ("Skadegörelse", 1.3),
    ("Dålig belysning och mörka områden", 1.7),
    ("Bilar som körs på ett störande sätt", 2.0),
    ("Buskörning med moped eller A-traktor", 2.2),
    ("Ungdomar som stör ordningen", 1.6),
    ("Berusade personer utomhus", 1.0),
    ("Öppen narkotikahandel", 1.1),
    ("Otrygghet vid stationen och busshållplatser", 1.5),
]
# Where the demo's story has a local problem (the lägesbild demo's first problem: open
# drug dealing in the centre), the area's answers are higher than the kommun's.
LOCAL = {("Mullsjö centrum", "Öppen narkotikahandel"): 0.9}
# area, respondents 2022, 2023, response rate, offset against the kommun level
AREAS = [
    ("Mullsjö kommun", 612, 655, "48.5", 0.0),
    ("Mullsjö centrum", 241, 259, "47.9", 0.3),
    ("Sandhem", 118, 124, "51.2", -0.2),
    ("Landsbygd", 253, 272, "47.0", -0.4),
]


def example_waves() -> ParsedSurvey:
    rng = random.Random(642)
    parsed = ParsedSurvey(
        name="exempel-trygghet-mullsjo.csv", sha256="demo", value_format=ValueFormat.INDEX
    )

    for year, change in ((2022, 0.0), (2023, 0.15)):
        for area, n22, n23, rate, offset in AREAS:
            respondents = n22 if year == 2022 else n23
            values = []
            for question, base in QUESTIONS:
                local = LOCAL.get((area, question), 0.0)
                value = base + offset + local + change + rng.uniform(-0.25, 0.25)
                value = max(0.2, min(5.5, value))
                values.append(
                    {
                        "question": question,
                        "answer": "",
                        "value": Decimal(f"{value:.2f}"),
                        "n": respondents - rng.randint(0, 25),
                    }
                )
            parsed.waves[(PROVIDER, year, area)] = {
                "respondents": respondents,
                "response_rate": Decimal(rate),
                "source": SOURCE,
                "values": values,
            }
            parsed.rows += len(values)
    return parsed


def load_surveys_demo(user=None, code: str = "0642"):
    municipality = Municipality.objects.get(code=code)
    return import_survey(municipality, user, example_waves(), is_example=True)
