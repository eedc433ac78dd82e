"""Fuzzing every importer and the agreement format parser (issue 7, item 9).

Two properties for every importer:

1. the parse layer (tests/fuzz_targets.py, the same targets as scripts/fuzz_importers.py)
   refuses random bytes, random text and damaged seed files only with the importer's own
   error type;
2. the full import, with a small database, refuses structured near-valid input (valid
   header, mutated cells; valid JSON/YAML documents with mutated values) only with the
   importer's own error type and, when it refuses, writes nothing: the row count of every
   table and every row of the importer's own tables are unchanged.

The number of examples comes from the Hypothesis profile (conftest.py): `default` in the
normal suite, `HYPOTHESIS_PROFILE=nightly` for ≥ 10 000 per property (docs/development.md).
"""

import contextlib
import datetime
import hashlib

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import make_user
from tests import fuzz_strategies as fs
from tests import fuzz_targets as ft

# The database fixtures are set up once per test, not per example: each example runs in a
# savepoint that is rolled back (run_and_compare), so examples never see each other's rows.
DB = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _tables():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def snapshot(own_models) -> tuple:
    """(row count of every table, digest of every row of the importer's own tables)."""
    quote = connection.ops.quote_name
    tables = sorted({model._meta.db_table for model in _tables()})
    sql = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM {quote(t)}" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        counts = dict(cursor.fetchall())
    digest = hashlib.sha256()
    for model in own_models:
        for row in model.objects.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return counts, digest.hexdigest()


def run_and_compare(call, errors, own_models):
    """Call the import; it may only raise `errors`, and then must have written nothing."""
    with transaction.atomic():
        before = snapshot(own_models)
        try:
            call()
        except errors:
            assert snapshot(own_models) == before, "a refused import changed the database"
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("write", ["insert", "update"])
def test_run_and_compare_sees_a_write_before_a_refusal(mullsjo, write):
    """The property can fail: an import that writes (or changes a row) and then refuses."""
    from medborgarlofte.crimestats.importers import ImportFileError
    from medborgarlofte.kommuner.models import Population

    Population.objects.create(municipality=mullsjo, year=2001, population=5, source="x")

    def import_that_writes_then_refuses():
        if write == "insert":
            Population.objects.create(municipality=mullsjo, year=2002, population=5, source="x")
        else:
            Population.objects.update(population=6)
        raise ImportFileError.single("fuzz.csv", 1, None, "refused")

    with pytest.raises(AssertionError, match="changed the database"):
        run_and_compare(import_that_writes_then_refuses, ImportFileError, [Population])


# --- 1. the parse layer -------------------------------------------------------------------

TARGETS = ft.targets()


@st.composite
def damaged_seed(draw, target):
    return draw(fs.damaged(draw(st.sampled_from(target.seeds())), probability=0))


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(TARGETS))
def test_the_parse_layer_refuses_random_input_only_with_its_own_errors(name):
    target = TARGETS[name]

    @DB
    @given(data=fs.random_input() | damaged_seed(target))
    def parse(data):
        with contextlib.suppress(target.errors):
            target.parse(data)

    parse()


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(TARGETS))
def test_a_seed_of_every_target_parses(name):
    """The seeds reach the importer's deep code: at least one parses without error (the
    agreement seeds include the fixtures of broken documents on purpose)."""
    target = TARGETS[name]
    parsed = 0
    for seed in target.seeds():
        try:
            target.parse(seed)
        except target.errors:
            continue
        parsed += 1
    assert parsed >= 1


# --- 2. full imports with a database --------------------------------------------------------


def _crime_models():
    from medborgarlofte.crimestats.models import AreaTotal, CrimeStatistic, ImportRun, KpiValue
    from medborgarlofte.kommuner.models import Population

    return [CrimeStatistic, AreaTotal, ImportRun, KpiValue, Population]


def _command(tmp_path, command, data, suffix, *args):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    call_command(command, str(path), *args, stdout=_Null(), stderr=_Null())


class _Null:
    def write(self, text):
        pass

    def flush(self):
        pass


BRA_PREAMBLE = st.lists(
    st.sampled_from(
        ["Brottskategori: Skadegörelsebrott", "Period: 2024", "Brott: Misshandel", "År: 2023"]
    )
    | fs.nasty_text.map(lambda t: f"Period: {t}")
    | fs.nasty_text.map(lambda t: f"Brottskategori: {t}"),
    max_size=3,
)
BRA_HEADER = ["Kommun", "Antal (prel.)", "Per 100 000 inv. (prel.)"]
BRA_ROWS = [
    ["Mullsjö", "1\u00a0234", "16\u00a0273,4"],
    ["upplands bro", "12", "40,1"],
    ["Habo", "..", ".."],
    ["Riket", "5", ""],
    ["Malung Sälen", "-", "0"],
]


@st.composite
def bra_files(draw):
    preamble = draw(BRA_PREAMBLE)
    return draw(fs.delimited(BRA_HEADER, BRA_ROWS, delimiters=(";",), preamble=preamble))


@pytest.mark.django_db
@DB
@given(data=bra_files() | fs.random_input())
def test_crime_statistics_bra_import(tmp_path, data):
    run_and_compare(
        lambda: _command(tmp_path, "import_crime_statistics", data, ".csv", "--format", "bra"),
        CommandError,
        _crime_models(),
    )


@pytest.mark.django_db
@DB
@given(
    data=fs.delimited(ft.TIDY_HEADER, ft.TIDY_ROWS),
    xlsx=fs.workbook(ft.TIDY_HEADER, ft.TIDY_ROWS),
    which=st.sampled_from([".csv", ".xlsx"]),
)
def test_crime_statistics_tidy_import(tmp_path, data, xlsx, which):
    run_and_compare(
        lambda: _command(
            tmp_path,
            "import_crime_statistics",
            data if which == ".csv" else xlsx,
            which,
            "--format",
            "tidy",
        ),
        CommandError,
        _crime_models(),
    )


POPULATION_HEADER = ["kommunkod", "år", "folkmängd"]
POPULATION_ROWS = [
    ["0642", "2021", "7\u00a0469"],
    ["00", "2021", "10000000"],
    ["0643", "2021", "1"],
]


@pytest.mark.django_db
@DB
@given(
    data=fs.json_document([ft.PXWEB_V1, ft.JSONSTAT2])
    | fs.delimited(POPULATION_HEADER, POPULATION_ROWS)
)
def test_population_import(tmp_path, data):
    run_and_compare(
        lambda: _command(tmp_path, "import_population", data, ".json"),
        CommandError,
        _crime_models(),
    )


@pytest.mark.django_db
@DB
@given(data=fs.json_document([ft.KOLADA, [ft.KOLADA]]))
def test_kolada_import(tmp_path, data):
    run_and_compare(
        lambda: _command(tmp_path, "import_kolada", data, ".json"), CommandError, _crime_models()
    )


@pytest.mark.django_db
@DB
@given(
    data=fs.delimited(ft.SURVEY_INDEX_HEADER, ft.SURVEY_INDEX_ROWS)
    | fs.delimited(ft.SURVEY_PERCENT_HEADER, ft.SURVEY_PERCENT_ROWS, delimiters=(",", ";"))
    | fs.workbook(ft.SURVEY_INDEX_HEADER, ft.SURVEY_INDEX_ROWS),
    name=st.sampled_from(["fuzz.csv", "fuzz.xlsx"]),
)
def test_survey_import(mullsjo, coordinator, data, name):
    from medborgarlofte.surveys import models
    from medborgarlofte.surveys.importing import parse_survey
    from medborgarlofte.surveys.services import import_survey
    from medborgarlofte.surveys.tables import TableError

    run_and_compare(
        lambda: import_survey(mullsjo, coordinator, parse_survey(data, name)),
        TableError,
        [models.SurveyImportRun, models.SurveyWave, models.SurveyValue],
    )


def _dialogue_rows():
    return ft._dialogue_rows(6)


@pytest.mark.django_db
@DB
@given(
    data=fs.delimited(ft.DIALOGUE_HEADER, _dialogue_rows(), delimiters=(",", ";"))
    | fs.workbook(ft.DIALOGUE_HEADER, _dialogue_rows()),
    name=st.sampled_from(["fuzz.csv", "fuzz.xlsx"]),
    columns=st.lists(st.integers(0, 5) | st.none(), min_size=4, max_size=4),
    personal_data=st.sampled_from(["redact", "confirm"]),
)
def test_dialogue_import(mullsjo, coordinator, data, name, columns, personal_data):
    from medborgarlofte.dialogues import models
    from medborgarlofte.dialogues.importing import Mapping, build_rows, import_rows
    from medborgarlofte.importing import ImportProblems
    from medborgarlofte.importing.files import sha256_of
    from medborgarlofte.importing.tables import read_table

    def run():
        table = read_table(data, name)
        width = len(table.header)
        text, date, area, channel = [c if c is not None and c < width else None for c in columns]
        mapping = Mapping(
            text=text if text is not None else 0,
            source="citizen",
            date=date,
            area=area,
            channel=channel,
            default_date=datetime.date(2024, 1, 1),
        )  # what the mapping form can produce: columns of the header only
        rows = build_rows(table, mapping)
        import_rows(
            mullsjo,
            coordinator,
            name=name,
            sha256=sha256_of(data),
            rows=rows,
            mapping=mapping,
            personal_data=personal_data,
        )

    run_and_compare(
        run, ImportProblems, [models.DialogueEntry, models.DialogueImportRun, models.EntryTheme]
    )


@pytest.fixture
def published_agreement(db, coordinator, mullsjo_document):
    from medborgarlofte.agreements import services
    from medborgarlofte.agreements.importing import import_agreement_document

    police = make_user("polis-fuzz", [("0642", "police")])
    version = import_agreement_document(mullsjo_document, user=coordinator).version
    services.approve_agreement(version, coordinator, "municipality")
    services.approve_agreement(version, police, "police")
    version.refresh_from_db()
    services.publish_agreement(version, coordinator)
    return version.agreement


ACTIVITY_ROWS = [*ft.ACTIVITY_ROWS, ["2024-05-01", "m24-01", "annan", "Möte", "", "", "SSPF"]]


@pytest.mark.django_db
@DB
@given(
    data=fs.delimited(ft.ACTIVITY_HEADER, ACTIVITY_ROWS)
    | fs.workbook(ft.ACTIVITY_HEADER, ACTIVITY_ROWS)
    | fs.random_input(),
    name=st.sampled_from(["fuzz.csv", "fuzz.xlsx"]),
)
def test_activity_import(published_agreement, coordinator, data, name):
    from medborgarlofte.followup import models
    from medborgarlofte.followup.importing import ImportFailed, import_activities

    run_and_compare(
        lambda: import_activities(published_agreement, coordinator, data, name),
        ImportFailed,
        [models.Activity, models.ImportRun],
    )


def _police_templates():
    import json

    path = ft.PACKAGE / "incidents" / "data" / "polisen_events_sample.json"
    return [json.loads(path.read_text(encoding="utf-8"))[:4]]


@pytest.mark.django_db
@DB
@given(data=fs.json_document(_police_templates()))
def test_police_events_import(data):
    from medborgarlofte.incidents import models
    from medborgarlofte.incidents.police_events import PoliceEventsError, import_events

    run_and_compare(
        lambda: import_events(data, source="fuzz.json"),
        PoliceEventsError,
        [models.PoliceEvent, models.PoliceImportRun],
    )


def _agreement_templates():
    from medborgarlofte.agreements.tests.fixtures.documents import FULL, MINIMAL

    return [MINIMAL, FULL]


@pytest.mark.django_db
@DB
@given(
    data=fs.yaml_document(_agreement_templates()) | fs.json_document(_agreement_templates()),
    dry_run=st.booleans(),
)
def test_agreement_import(coordinator, data, dry_run):
    from medborgarlofte.agreements.exchange import DocumentError, load_document
    from medborgarlofte.agreements.importing import import_agreement_document
    from medborgarlofte.agreements.tests.fixtures.documents import MODELS

    name = "fuzz.json" if data.lstrip()[:1] in (b"{", b"[") else "fuzz.yaml"
    run_and_compare(
        lambda: import_agreement_document(
            load_document(data, name=name), user=coordinator, dry_run=dry_run, name=name
        ),
        DocumentError,
        MODELS,
    )
