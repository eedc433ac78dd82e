import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from medborgarlofte.crimestats.importers import ImportFileError
from medborgarlofte.crimestats.importers.bra import parse_bra
from medborgarlofte.crimestats.importers.kolada import parse_kolada
from medborgarlofte.crimestats.importers.scb import parse_population
from medborgarlofte.crimestats.importers.tidy import parse_tidy
from medborgarlofte.crimestats.importers.writing import write_statistics
from medborgarlofte.crimestats.models import (
    AreaTotal,
    CrimeCategory,
    CrimeStatistic,
    ImportRun,
    KpiValue,
)
from medborgarlofte.kommuner.models import Population

pytestmark = pytest.mark.django_db

BOM = "\ufeff"
BRA = (
    BOM + "Brottskategori: Skadegörelsebrott\nPeriod: 2024\n\n"
    "Kommun;Antal (prel.);Per 100 000 inv. (prel.)\n"
    "Mullsjö;1\u00a0234;16\u00a0273,4\n"
    "upplands bro;12;40,1\n"
    "Malung Sälen;-;0\n"
    "Habo;..;..\n"
    "Okänd kommun;5;\n"
    "Källa: Brå\n"
).encode("utf-8")


def _state():
    return (CrimeStatistic.objects.count(), ImportRun.objects.count(), AreaTotal.objects.count())


def _import(data, name="fil.csv", fmt="bra", **options):
    path = f"/tmp/crimestats-test-{name}"
    with open(path, "wb") as fh:
        fh.write(data)
    out = io.StringIO()
    call_command("import_crime_statistics", path, "--format", fmt, stdout=out, **options)
    return out.getvalue()


def test_it_reads_a_bra_export_with_names_numbers_and_skipped_rows():
    rows = parse_bra(BRA, "bra.csv")
    category = CrimeCategory.objects.get(slug="skadegorelsebrott").pk
    assert sorted(rows) == sorted(
        [
            ("0642", category, 2024, None, 1234, "prel"),
            ("0139", category, 2024, None, 12, "prel"),
            ("2023", category, 2024, None, 0, "prel"),
        ]
    )


def test_it_takes_category_and_period_from_the_command_line():
    data = "Kommun;Antal\nMullsjö;7\n".encode()
    rows = parse_bra(data, "x.csv", category="Narkotikabrott", period="2023-05")
    assert rows == [
        ("0642", CrimeCategory.objects.get(slug="narkotikabrott").pk, 2023, 5, 7, "final")
    ]


@pytest.mark.parametrize(
    "data,line,column",
    [
        ("Kommun,Antal\nMullsjö,7\n".encode(), 1, None),  # wrong delimiter
        (b"Kommun;Antal\nNarnia;7\n", 2, "Kommun"),  # unknown kommun
        ("Kommun;Antal\nMullsjö;1 2,3,4\n".encode(), 2, "Antal"),
        ("Kommun;Antal\nMullsjö;-4\n".encode(), 2, "Antal"),
        ("Kommun;Antal\nHabo;3\nMullsj\xf6;7\n".encode("latin-1"), 3, 7),  # Latin-1 byte
        (b"", 1, None),
        (b"\xef\xbb\xbf  \n", 1, None),
    ],
)
def test_it_reports_broken_bra_files_with_line_and_column(data, line, column):
    with pytest.raises(ImportFileError) as info:
        parse_bra(data, "trasig.csv", category="Narkotikabrott", period="2024")
    problem = info.value.problems[0]
    assert (problem.file, problem.line, problem.column) == ("trasig.csv", line, column)
    with translation.override("en"):
        assert "trasig.csv" in str(info.value)


def test_it_collects_every_problem_in_100000_rows_of_garbage_and_writes_nothing():
    garbage = "Kommun;Antal\n" + "".join(f"Plats {i};x{i}\n" for i in range(100_000))
    before = _state()
    with pytest.raises(CommandError) as info:
        _import(garbage.encode(), "garbage.csv", category="Narkotikabrott", period="2024")
    assert info.value.args[0].count("\n") > 10
    assert _state() == before


def test_it_imports_once_and_the_second_import_changes_nothing():
    out = _import(BRA, "bra.csv")
    assert "3" in out
    assert CrimeStatistic.objects.count() == 3
    assert ImportRun.objects.get().sha256
    national = AreaTotal.objects.get(area="SE")
    assert national.count == 1234 + 12
    before = _state()
    _import(BRA, "bra.csv")
    assert _state() == before


def test_it_recognises_the_same_content_in_a_different_file():
    _import(BRA, "bra.csv")
    _import(BRA + b"\n", "bra2.csv")  # other bytes, same figures
    assert CrimeStatistic.objects.count() == 3
    run = ImportRun.objects.order_by("-at").first()
    assert (run.created, run.updated, run.unchanged) == (0, 0, 3)


def test_it_updates_preliminary_figures_to_final():
    _import(BRA, "bra.csv")
    final = BRA.replace(b"(prel.)", b"").replace(b"1\xc2\xa0234", b"1\xc2\xa0240")
    _import(final, "final.csv")
    row = CrimeStatistic.objects.get(municipality__code="0642")
    assert (row.count, row.status) == (1240, "final")
    assert CrimeStatistic.objects.count() == 3


def test_it_saves_nothing_on_a_dry_run():
    out = _import(BRA, "bra.csv", dry_run=True)
    assert _state() == (0, 0, 0)
    assert "3" in out


TIDY = "kommunkod,brottskategori,period,antal,status\n0642,Skadegörelsebrott,2024-03,12,prel\n0642,Narkotikabrott,2024,7,slutlig\n"


def test_it_reads_tidy_csv_with_commas_or_semicolons():
    rows = parse_tidy(TIDY.encode(), "t.csv")
    assert rows == parse_tidy(TIDY.replace(",", ";").encode(), "t.csv")
    assert rows[0][2:] == (2024, 3, 12, "prel")
    assert rows[1][2:] == (2024, None, 7, "final")


def test_it_reads_tidy_xlsx():
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["kommunkod", "brottskategori", "period", "antal"])
    sheet.append([642, "Trafikbrott", 2023, 38])
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = parse_tidy(buffer.getvalue(), "t.xlsx")
    assert rows == [
        ("0642", CrimeCategory.objects.get(slug="trafikbrott").pk, 2023, None, 38, "final")
    ]


def test_it_reports_every_bad_tidy_row():
    data = TIDY + "9999,Påhittat,2024-13,-1,kanske\n"
    with pytest.raises(ImportFileError) as info:
        parse_tidy(data.encode(), "t.csv")
    assert {(p.line, p.column) for p in info.value.problems} == {
        (4, "kommunkod"),
        (4, "brottskategori"),
        (4, "period"),
        (4, "antal"),
        (4, "status"),
    }


def test_a_bad_cell_among_cells_already_read_is_still_found():
    """Rows of cells seen on valid rows are built from those readings (issue 17); a row
    with one new, bad cell still gets the full check, and the same text in another
    column is not taken for that column's reading."""
    data = _tidy(
        "0642,Skadegörelsebrott,2024-03,12,prel",
        "0642,Skadegörelsebrott,2024-04,12,Prel",  # another spelling of a known status
        "0642,Skadegörelsebrott,2024-05,1 2",  # a count never seen
        "0642,Skadegörelsebrott,2024-06,12,slutlig",
        "0642,Skadegörelsebrott,0642,12",  # a kommun code is no period
        "0642,Skadegörelsebrott,2024-04,12,prel",  # the second line again
    )
    with pytest.raises(ImportFileError) as info:
        parse_tidy(data, "t.csv")
    assert {(p.line, p.column) for p in info.value.problems} == {
        (4, "antal"),
        (6, "period"),
        (7, None),
    }
    rows = parse_tidy(_tidy(*data.decode().splitlines()[1:3]), "t.csv")
    assert [row[3:] for row in rows] == [(3, 12, "prel"), (4, 12, "prel")]


def test_it_writes_nothing_when_one_row_is_bad():
    data = (TIDY + "0642,Trafikbrott,2024,1 2,3,4\n").encode()
    with pytest.raises(CommandError):
        _import(data, "t.csv", fmt="tidy")
    assert _state() == (0, 0, 0)


def test_it_keeps_the_total_row_of_kolada_and_skips_non_kommuner():
    page = {
        "values": [
            {
                "kpi": "N07403",
                "municipality": "0642",
                "period": 2023,
                "values": [
                    {"gender": "K", "value": 1.0, "status": ""},
                    {"gender": "T", "value": 823.4, "status": ""},
                ],
            },
            {
                "kpi": "N07403",
                "municipality": "0000",
                "period": 2023,
                "values": [{"gender": "T", "value": 900}],
            },
            {
                "kpi": "N07403",
                "municipality": "G37449",
                "period": 2023,
                "values": [{"gender": "T", "value": 1}],
            },
            {
                "kpi": "N07403",
                "municipality": "0643",
                "period": "2023",
                "values": [{"gender": "T", "value": None, "status": "Saknas"}],
            },
        ],
        "next_url": None,
    }
    rows = parse_kolada(json.dumps([page]).encode(), "k.json")
    assert rows == [
        ("0642", "N07403", 2023, 823.4, "", "T"),
        ("0642", "N07403", 2023, 1.0, "", "K"),
        ("0643", "N07403", 2023, None, "Saknas", "T"),
    ]
    path = "/tmp/crimestats-kolada.json"
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(page, fh)
    call_command("import_kolada", path, stdout=io.StringIO())
    call_command("import_kolada", path, stdout=io.StringIO())
    assert KpiValue.objects.count() == 3
    assert KpiValue.objects.get(municipality__code="0643").value is None
    assert KpiValue.objects.get(municipality__code="0642", gender="K").value == 1.0


def test_it_fetches_kolada_pages_through_next_url():
    from medborgarlofte.crimestats.importers import kolada

    pages = {
        "https://api.kolada.se/v3/data/kpi/N07403/municipality/0642/year/2023": {
            "values": [1],
            "next_url": "https://api.kolada.se/v3/p2",
        },
        "https://api.kolada.se/v3/p2": {"values": [2]},
    }

    class Response(io.BytesIO):
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def opener(request, timeout):
        return Response(json.dumps(pages[request.full_url]).encode())

    assert [p["values"] for p in kolada.fetch(["N07403"], ["0642"], [2023], opener=opener)] == [
        [1],
        [2],
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
        {"key": ["06", "1", "2023"], "values": ["200000"]},
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


@pytest.mark.parametrize(
    "data,expected",
    [
        (json.dumps(PXWEB_V1).encode(), [("0642", 2023, 7545)]),
        (json.dumps(JSONSTAT2).encode(), [("0642", 2022, 7507)]),
        (
            "kommunkod;år;folkmängd\n0642;2021;7\u00a0469\n00;2021;10000000\n".encode(),
            [("0642", 2021, 7469)],
        ),
    ],
)
def test_it_reads_scb_population_formats(data, expected):
    assert parse_population(data, "scb") == expected


def test_it_writes_population_through_the_command_idempotently():
    path = "/tmp/crimestats-pop.json"
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(PXWEB_V1, fh)
    call_command("import_population", path, stdout=io.StringIO())
    call_command("import_population", path, stdout=io.StringIO())
    assert Population.objects.get(municipality__code="0642", year=2023).population == 7545


def test_it_refuses_unknown_category_without_writing():
    with pytest.raises(ImportFileError):
        parse_bra("Kommun;Antal\nMullsjö;7\n".encode(), "x.csv", category="Påhitt", period="2024")


def test_write_statistics_is_all_or_nothing(monkeypatch):
    from medborgarlofte.crimestats.importers import writing

    rows = parse_bra(BRA, "bra.csv")

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(writing, "refresh_area_totals", boom)
    monkeypatch.setattr(writing, "_refresh_area_totals_postgres", boom)  # the COPY path
    with pytest.raises(RuntimeError):
        write_statistics(rows, data=BRA, file_name="bra.csv", source="bra")
    assert _state() == (0, 0, 0)


def _tidy(*lines: str) -> bytes:
    return ("kommunkod,brottskategori,period,antal,status\n" + "\n".join(lines) + "\n").encode()


def _write(data: bytes, name: str, dry_run=False):
    result = write_statistics(
        parse_tidy(data, name), data=data, file_name=name, source="tidy", dry_run=dry_run
    )
    return result.created, result.updated, result.unchanged


@pytest.mark.parametrize("dry_run_first", [True, False])
def test_new_periods_and_overlapping_ones_are_counted_alike(dry_run_first):
    """A file sharing no kommun × category × year with the stored rows is inserted as it
    is (PostgreSQL skips the matching); one that shares any goes through the matching. A
    dry run counts the same as the import, either way."""
    steps = [
        (
            _tidy("0642,Skadegörelsebrott,2023-03,12,slutlig", "0642,Narkotikabrott,2023,7"),
            (2, 0, 0),
        ),
        (  # a new year: nothing stored shares kommun, category and year
            _tidy("0642,Skadegörelsebrott,2022-03,5", "0643,Skadegörelsebrott,2023-03,1"),
            (2, 0, 0),
        ),
        (  # overlapping: one changed, one the same, another month and the whole year new
            _tidy(
                "0642,Skadegörelsebrott,2023-03,13,slutlig",
                "0642,Narkotikabrott,2023,7",
                "0642,Skadegörelsebrott,2023-04,2",
                "0642,Skadegörelsebrott,2023,40",
            ),
            (2, 1, 1),
        ),
    ]
    for number, (data, expected) in enumerate(steps):
        name = f"fil{number}.csv"
        if dry_run_first:
            before = _state()
            assert _write(data, name, dry_run=True) == expected
            assert _state() == before
        assert _write(data, name) == expected
    assert CrimeStatistic.objects.count() == 6
    stored = {
        (s.municipality.code, s.year, s.month): s.count
        for s in CrimeStatistic.objects.select_related("municipality")
        if s.category.slug.startswith("skadegorelse")
    }
    assert stored == {
        ("0642", 2023, 3): 13,
        ("0642", 2023, 4): 2,
        ("0642", 2023, None): 40,
        ("0642", 2022, 3): 5,
        ("0643", 2023, 3): 1,
    }
