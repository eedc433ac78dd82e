"""Brå's yearly file "Anmälda brott i kommunerna" in its two layouts, all 290 kommuner."""

import io
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from medborgarlofte.crimestats.importers import ImportFileError, kommun_index
from medborgarlofte.crimestats.importers.bra_yearly import kommun_code, parse_bra_yearly
from medborgarlofte.crimestats.importers.writing import write_statistics
from medborgarlofte.crimestats.models import AreaTotal, CrimeCategory, CrimeStatistic

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages below are the English msgids (the catalogue translates them)."""
    with translation.override("en"):
        yield


DATA = Path(__file__).resolve().parent / "data"
sys.path.insert(0, str(DATA))
import make_bra_yearly  # noqa: E402


def _total():
    return CrimeCategory.objects.get(slug="samtliga-brott").pk


def test_the_fixtures_are_what_the_generator_writes():
    assert (DATA / "bra_yearly_2024.csv").read_bytes() == make_bra_yearly.layout_2023(2024)
    assert (DATA / "bra_yearly_2021.csv").read_bytes() == make_bra_yearly.layout_2021(2021)


@pytest.mark.parametrize(
    ("file_name", "year", "layout"),
    [("bra_yearly_2024.csv", 2024, "2023"), ("bra_yearly_2021.csv", 2021, "2021")],
)
def test_both_layouts_import_all_290_kommuner_with_exact_counts(file_name, year, layout):
    data = (DATA / file_name).read_bytes()
    parsed = parse_bra_yearly(data, file_name)
    assert parsed.layout == layout and parsed.year == year and parsed.missing == []
    expected = make_bra_yearly.expected_counts(year)
    assert len(expected) == 290
    assert {row[0]: row[4] for row in parsed.rows} == expected
    assert {row[1:4] + row[5:] for row in parsed.rows} == {(_total(), year, None, "final")}
    result = write_statistics(parsed.rows, data=data, file_name=file_name, source="bra")
    assert result.created == 290
    stored = dict(
        CrimeStatistic.objects.filter(year=year, source="bra").values_list(
            "municipality__code", "count"
        )
    )
    assert stored == expected
    national = AreaTotal.objects.get(area="SE", year=year, source="bra", category_id=_total())
    assert national.count == sum(expected.values()) and national.municipalities == 290


def test_the_2021_layout_skips_and_names_stockholms_districts():
    parsed = parse_bra_yearly((DATA / "bra_yearly_2021.csv").read_bytes(), "bra_yearly_2021.csv")
    assert parsed.skipped == make_bra_yearly.DISTRICTS
    assert "Spånga-Tensta" in parsed.skipped


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Arjeplogs kommun", "2506"),
        ("Malung–Sälens kommun", "2023"),
        ("Malung-Sälen", "2023"),
        ("Region Gotland", "0980"),
        ("Stockholms stad", "0180"),
        ("Falu kommun", "2080"),
        ("Borås Stad", "1490"),
        ("Borås", "1490"),
        ("Mora kommun", "2062"),
        ("Upplands-Bro kommun", "0139"),
        ("Dals-Eds kommun", "1438"),
        ("Jönköpings kommun", "0680"),
    ],
)
def test_names_are_matched_in_every_written_form(name, code):
    names, _codes = kommun_index()
    assert kommun_code(name, names)[0] == code


def test_an_unknown_kommun_is_refused_with_its_line():
    data = "\ufeffKommun;Antal;Per 100 000 inv.\r\nHela landet;10;1\r\nAtlantis;5;3\r\n".encode()
    with pytest.raises(ImportFileError) as caught:
        parse_bra_yearly(data, "anmalda-brott-2024.csv")
    assert "Atlantis" in str(caught.value) and "3" in str(caught.value)


def test_an_unknown_kommun_in_the_2021_layout_is_refused_but_a_district_is_not():
    data = "Atlantis kommun;5;3\r\nBromma;7;1\r\nMullsjö kommun;12;1\r\n".encode()
    with pytest.raises(ImportFileError, match="Atlantis"):
        parse_bra_yearly(data, "brott-2021.csv")
    parsed = parse_bra_yearly(
        "Bromma;7;1\r\nMullsjö kommun;1 212;1\r\n".encode(), "b.csv", year=2021
    )
    assert (
        parsed.skipped == ["Bromma"] and parsed.rows[0][0] == "0642" and parsed.rows[0][4] == 1212
    )


def test_the_year_comes_from_the_file_name_or_is_asked_for():
    data = "Mullsjö kommun;12;1\r\n".encode()
    with pytest.raises(ImportFileError, match="year"):
        parse_bra_yearly(data, "brott.csv")
    assert parse_bra_yearly(data, "brott.csv", year=2019).year == 2019


def test_the_command_imports_the_yearly_file_once():
    path = str(DATA / "bra_yearly_2024.csv")
    out = io.StringIO()
    call_command("import_crime_statistics", path, "--format", "bra-yearly", stdout=out)
    assert "290 new" in out.getvalue()
    call_command("import_crime_statistics", path, "--format", "bra-yearly", stdout=out)
    assert "already imported" in out.getvalue()
    assert CrimeStatistic.objects.filter(source="bra", year=2024).count() == 290
