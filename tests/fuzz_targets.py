"""The parse layer of every importer, as fuzz targets (tests/test_fuzz_importers.py and
scripts/fuzz_importers.py).

Each target takes the bytes of a file and runs the importer's parse and validation steps,
which write nothing (they read the kommuner and the crime taxonomy). The importer may
refuse the input only with its own error types (`errors`); any other exception is a bug.
`seeds()` gives valid files to start from: the repository's examples and test fixtures.
"""

import contextlib
import datetime
import functools
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "medborgarlofte"

# The kommunkoder, categories and commitment refs the seeds use (all exist after migrate
# and in the Mullsjö 2024 example agreement).
ACTIVITY_REFS = frozenset({"m24-01", "m24-09", "m24-17"})


@dataclass(frozen=True)
class Target:
    name: str
    parse: Callable[[bytes], object]
    errors: tuple[type[BaseException], ...]
    seeds: Callable[[], list[bytes]]


# --- the parse functions ------------------------------------------------------------------


def parse_bra(data: bytes):
    from medborgarlofte.crimestats.importers.bra import parse_bra

    return parse_bra(data, "fuzz.csv")


def parse_tidy_csv(data: bytes):
    from medborgarlofte.crimestats.importers.tidy import parse_tidy

    return parse_tidy(data, "fuzz.csv")


def parse_tidy_xlsx(data: bytes):
    from medborgarlofte.crimestats.importers.tidy import parse_tidy

    return parse_tidy(data, "fuzz.xlsx")


def parse_population(data: bytes):
    from medborgarlofte.crimestats.importers.scb import parse_population

    return parse_population(data, "fuzz.json")


def parse_kolada(data: bytes):
    from medborgarlofte.crimestats.importers.kolada import parse_kolada

    return parse_kolada(data, "fuzz.json")


def parse_numbers(data: bytes):
    from medborgarlofte.crimestats.importers.numbers import parse_count, parse_number

    text = data.decode("utf-8", "replace")
    with contextlib.suppress(ValueError):  # parse_count must then refuse it too
        parse_number(text)
    return parse_count(text)


def parse_survey_csv(data: bytes):
    from medborgarlofte.surveys.importing import parse_survey

    return parse_survey(data, "fuzz.csv")


def parse_survey_xlsx(data: bytes):
    from medborgarlofte.surveys.importing import parse_survey

    return parse_survey(data, "fuzz.xlsx")


def parse_dialogues(data: bytes, name: str = "fuzz.csv"):
    """read_table, then build_rows with every column the mapping form could offer."""
    from medborgarlofte.dialogues.importing import Mapping, build_rows
    from medborgarlofte.importing.tables import read_table

    table = read_table(data, name)
    width = len(table.header)
    column = lambda i: i if i < width else None  # noqa: E731
    mapping = Mapping(
        text=width - 1,
        source="citizen",
        date=column(0) if width > 1 else None,
        area=column(3),
        channel=column(2),
        default_date=datetime.date(2024, 1, 1),
    )
    return build_rows(table, mapping)


def parse_dialogues_xlsx(data: bytes):
    return parse_dialogues(data, "fuzz.xlsx")


def parse_activities(data: bytes, name: str = "fuzz.csv"):
    from medborgarlofte.followup.importing import parse_file

    return parse_file(data, name, set(ACTIVITY_REFS))


def parse_activities_xlsx(data: bytes):
    return parse_activities(data, "fuzz.xlsx")


def parse_police_events(data: bytes):
    from medborgarlofte.incidents.police_events import parse_events

    return parse_events(data, "fuzz.json")


def parse_agreement(data: bytes, name: str = "fuzz.yaml"):
    """load_document, validate_document and, for a valid document, its canonical form
    written as YAML and JSON (what an import stores and an export answers)."""
    from medborgarlofte.agreements.exchange import (
        DocumentError,
        canonical_document,
        dump_document,
        load_document,
        validate_document,
    )

    document = load_document(data, name=name)
    issues = validate_document(document)
    if issues:
        raise DocumentError(issues, name)
    canonical = canonical_document(document)
    dump_document(canonical, "yaml")
    dump_document(canonical, "json")
    return canonical


def parse_agreement_json(data: bytes):
    return parse_agreement(data, "fuzz.json")


# --- seeds --------------------------------------------------------------------------------

BRA = (
    "\ufeffBrottskategori: Skadegörelsebrott\nPeriod: 2024\n\n"
    "Kommun;Antal (prel.);Per 100 000 inv. (prel.)\n"
    "Mullsjö;1\u00a0234;16\u00a0273,4\n"
    "upplands bro;12;40,1\n"
    "Habo;..;..\n"
    "Okänd kommun;5;\n"
    "Källa: Brå\n"
)
BRA_COLUMNS = (
    "Kommun;Brottskategori;År;Antal\nMullsjö;Skadegörelsebrott;2023;7\nHabo;Misshandel;2023;-\n"
)
TIDY_HEADER = ["kommunkod", "brottskategori", "period", "antal", "status"]
TIDY_ROWS = [
    ["0642", "Skadegörelsebrott", "2024-03", "12", "prel"],
    ["0643", "Misshandel", "2024", "1 234", "slutlig"],
    ["0680", "Skadegörelsebrott", "2023-12", "..", ""],
]
PXWEB_V1 = {
    "columns": [
        {"code": "Region", "text": "region", "type": "d"},
        {"code": "Kon", "text": "kön", "type": "d"},
        {"code": "Tid", "text": "år", "type": "t"},
        {"code": "BE0101N1", "text": "Folkmängd", "type": "c"},
    ],
    "data": [
        {"key": ["0642", "1", "2023"], "values": ["3800"]},
        {"key": ["0642", "2", "2023"], "values": ["3745"]},
        {"key": ["00", "1", "2023"], "values": ["5000000"]},
    ],
}
JSONSTAT2 = {
    "version": "2.0",
    "class": "dataset",
    "id": ["Region", "Alder", "Tid"],
    "size": [2, 2, 1],
    "dimension": {
        "Region": {"category": {"index": {"0642": 0, "00": 1}}},
        "Alder": {"category": {"index": {"tot": 0, "0": 1}}},
        "Tid": {"category": {"index": {"2022": 0}}},
    },
    "value": [7507, 80, 10500000, 100000],
}
POPULATION_CSV = "kommunkod;år;folkmängd\n0642;2021;7\u00a0469\n00;2021;10000000\n"
KOLADA = {
    "values": [
        {
            "kpi": "N07403",
            "municipality": "0642",
            "period": 2023,
            "values": [
                {"gender": "T", "value": 823.4, "status": "", "count": 1},
                {"gender": "K", "value": 800, "status": "", "count": 1},
            ],
        },
        {"kpi": "N07403", "municipality": "0000", "period": 2023, "values": []},
        {
            "kpi": "N07403",
            "municipality": "0643",
            "period": "2023",
            "values": [{"gender": "T", "value": None, "status": "Saknas"}],
        },
    ],
    "next_url": None,
}
SURVEY_INDEX_HEADER = [
    "provider",
    "year",
    "area",
    "respondents",
    "response_rate",
    "question",
    "index",
    "n",
]
SURVEY_INDEX_ROWS = [
    ["Polisen", "2023", "Mullsjö centrum", "250", "48,5", "Klotter", "1,8", "241"],
    ["Polisen", "2023", "Mullsjö centrum", "250", "48,5", "Nedskräpning", "2,1", ""],
    ["Polisen", "2023", "Sandhem", "120", "51", "Klotter", "0,9", "118"],
]
SURVEY_PERCENT_HEADER = ["leverantör", "år", "område", "svarande", "fråga", "svar", "procent", "n"]
SURVEY_PERCENT_ROWS = [
    ["SCB", "2024", "Mullsjö kommun", "386", "Trygg ute sent", "Mycket trygg", "41.5", "380"],
    ["SCB", "2024", "Mullsjö kommun", "386", "Trygg ute sent", "Ganska trygg", "33.0", "380"],
]
DIALOGUE_HEADER = ["date", "source", "channel", "area", "text"]
ACTIVITY_HEADER = ["datum", "löfte", "part", "aktivitet", "antal", "enhet", "mötestyp"]
ACTIVITY_ROWS = [
    ["2024-03-07", "m24-09", "polisen", "Hundsök i skolan", "1", "hundsök", ""],
    ["2024-02-28", "m24-17", "kommunen", "Informationsmöte", "25", "hushåll nådda", "information"],
]


def csv_bytes(header, rows, delimiter=";") -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(header, rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return stable_xlsx(out.getvalue())


def stable_xlsx(data: bytes) -> bytes:
    """The same workbook with fixed timestamps: the same table always gives the same bytes
    (Hypothesis replays examples and needs the same data for the same choices)."""
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "docProps/core.xml":
                content = re.sub(
                    rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2024-01-01T00:00:00Z", content
                )
            target.writestr(
                zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), content, zipfile.ZIP_DEFLATED
            )
    return out.getvalue()


def _dialogue_rows(limit=12) -> list[list[str]]:
    import csv

    path = PACKAGE / "dialogues" / "data" / "demo_entries.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    return rows[1 : limit + 1]


def _files(*patterns) -> list[bytes]:
    found = []
    for pattern in patterns:
        found += [p.read_bytes() for p in sorted(ROOT.glob(pattern))]
    return found


def _police_events() -> list[bytes]:
    path = PACKAGE / "incidents" / "data" / "polisen_events_sample.json"
    events = json.loads(path.read_text(encoding="utf-8"))
    return [
        json.dumps(events[:3], ensure_ascii=False).encode(),
        json.dumps(events[3:40], ensure_ascii=False, indent=2).encode(),
    ]


def _agreements_yaml() -> list[bytes]:
    return _files(
        "examples/agreements/*.yaml",
        "medborgarlofte/agreements/tests/fixtures/*.yaml",
    )


def _agreements_json() -> list[bytes]:
    import yaml

    documents = [yaml.safe_load(data) for data in _files("examples/agreements/*.yaml")]
    return [
        json.dumps(doc, ensure_ascii=False, default=str).encode() for doc in documents
    ] + _files("medborgarlofte/agreements/tests/fixtures/*.json")


TARGET_NAMES = (
    "crime-bra",
    "crime-tidy-csv",
    "crime-tidy-xlsx",
    "population",
    "kolada",
    "numbers",
    "survey-csv",
    "survey-xlsx",
    "dialogues-csv",
    "dialogues-xlsx",
    "activities-csv",
    "activities-xlsx",
    "police-events",
    "agreement-yaml",
    "agreement-json",
)
TARGETS = {}


def _register(name, parse, errors, seeds):
    TARGETS[name] = Target(name, parse, errors, functools.cache(seeds))


def _errors():
    """Import the error types lazily (Django must be set up first)."""
    from medborgarlofte.agreements.exchange import DocumentError
    from medborgarlofte.crimestats.importers import ImportFileError
    from medborgarlofte.followup.importing import ImportFailed
    from medborgarlofte.importing import ImportProblems
    from medborgarlofte.incidents.police_events import PoliceEventsError

    return {
        "crime": (ImportFileError,),
        "number": (ValueError,),
        "table": (ImportProblems,),  # surveys' TableError and the dialogues' problems
        "activities": (ImportFailed,),
        "police": (PoliceEventsError,),
        "agreement": (DocumentError,),
    }


def targets() -> dict[str, Target]:
    if TARGETS:
        return TARGETS
    e = _errors()
    _register("crime-bra", parse_bra, e["crime"], lambda: [BRA.encode(), BRA_COLUMNS.encode()])
    _register(
        "crime-tidy-csv",
        parse_tidy_csv,
        e["crime"],
        lambda: [csv_bytes(TIDY_HEADER, TIDY_ROWS), csv_bytes(TIDY_HEADER, TIDY_ROWS, ",")],
    )
    _register(
        "crime-tidy-xlsx",
        parse_tidy_xlsx,
        e["crime"],
        lambda: [xlsx_bytes(TIDY_HEADER, TIDY_ROWS)],
    )
    _register(
        "population",
        parse_population,
        e["crime"],
        lambda: [
            json.dumps(PXWEB_V1).encode(),
            json.dumps(JSONSTAT2).encode(),
            POPULATION_CSV.encode(),
            (PACKAGE / "kommuner" / "data" / "population_2024.csv").read_bytes()[:600],
        ],
    )
    _register(
        "kolada",
        parse_kolada,
        e["crime"],
        lambda: [json.dumps(KOLADA).encode(), json.dumps([KOLADA, KOLADA]).encode()],
    )
    _register(
        "numbers",
        parse_numbers,
        e["number"],
        lambda: [b"1 234,5", b"\xc2\xa012\xe2\x80\xaf345", b"..", b"-", b"2974.0"],
    )
    _register(
        "survey-csv",
        parse_survey_csv,
        e["table"],
        lambda: [
            csv_bytes(SURVEY_INDEX_HEADER, SURVEY_INDEX_ROWS),
            csv_bytes(SURVEY_PERCENT_HEADER, SURVEY_PERCENT_ROWS, ","),
        ],
    )
    _register(
        "survey-xlsx",
        parse_survey_xlsx,
        e["table"],
        lambda: [xlsx_bytes(SURVEY_INDEX_HEADER, SURVEY_INDEX_ROWS)],
    )
    _register(
        "dialogues-csv",
        parse_dialogues,
        e["table"],
        lambda: [csv_bytes(DIALOGUE_HEADER, _dialogue_rows(), ",")],
    )
    _register(
        "dialogues-xlsx",
        parse_dialogues_xlsx,
        e["table"],
        lambda: [xlsx_bytes(DIALOGUE_HEADER, _dialogue_rows(4))],
    )
    _register(
        "activities-csv",
        parse_activities,
        e["activities"],
        lambda: [csv_bytes(ACTIVITY_HEADER, ACTIVITY_ROWS)],
    )
    _register(
        "activities-xlsx",
        parse_activities_xlsx,
        e["activities"],
        lambda: [xlsx_bytes(ACTIVITY_HEADER, ACTIVITY_ROWS)],
    )
    _register("police-events", parse_police_events, e["police"], _police_events)
    _register("agreement-yaml", parse_agreement, e["agreement"], _agreements_yaml)
    _register("agreement-json", parse_agreement_json, e["agreement"], _agreements_json)
    assert tuple(TARGETS) == TARGET_NAMES
    return TARGETS
