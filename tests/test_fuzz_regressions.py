"""The crashes fuzzing found (tests/test_fuzz_importers.py, scripts/fuzz_importers.py,
medborgarlofte/api/tests/test_schemathesis.py), each kept as a regression test: the input
that crashed an importer now gets the importer's own error, with a message that says why,
and writes nothing."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from tests import fuzz_targets as ft
from tests.test_fuzz_importers import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _kolada(item) -> bytes:
    return json.dumps({"values": [item]}).encode()


KOLADA_ITEM = {"kpi": "N07403", "municipality": "0642", "period": 2023, "values": []}


def _xlsx_with(value_xml: str) -> bytes:
    """A tidy workbook whose kommunkod cell holds the given <v> text."""
    data = ft.xlsx_bytes(ft.TIDY_HEADER, [[642, "Skadegörelsebrott", "2024", "1", "prel"]])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                content = content.replace(b"<v>642</v>", value_xml.encode())
            target.writestr(name, content)
    return out.getvalue()


def _zip_needing_version(version: int) -> bytes:
    """A workbook whose central directory asks for a zip version zipfile does not know."""
    data = bytearray(ft.xlsx_bytes(ft.TIDY_HEADER, ft.TIDY_ROWS))
    at = data.index(b"PK\x01\x02")
    data[at + 6 : at + 8] = version.to_bytes(2, "little")  # "version needed to extract"
    return bytes(data)


# (target, input, words of the message) — before the fix: the exception in the comment.
PARSE_CRASHES = [
    ("agreement-yaml", b"\x01title: x\n", "U+0001"),  # yaml ReaderError
    ("kolada", b"[" * 100_000, "nested too deeply"),  # RecursionError
    ("kolada", b"[" + b"1" * 5000 + b"]", "too many digits"),  # ValueError (int digits)
    ("population", b"[" * 100_000, "nested too deeply"),  # RecursionError
    ("population", b"{" + b'"a":' * 1 + b"1" * 5000 + b"}", "too many digits"),  # ValueError
    ("police-events", b"[" * 100_000, "nested too deeply"),  # RecursionError
    ("police-events", b"[" + b"1" * 5000 + b"]", "too many digits"),  # ValueError
    ("population", b'{"columns": null, "data": []}', "variables"),  # TypeError
    (
        "population",
        b'{"columns": [{"code": "Region"}, {"code": "Tid", "type": "t"}], "data": [7]}',
        "key",
    ),  # TypeError
    (
        "population",
        json.dumps(
            {
                "id": ["Region", "Tid"],
                "size": [0, 1],
                "dimension": {"Region": {}, "Tid": {}},
                "value": [1],
            }
        ).encode(),
        "JSON-stat2",
    ),  # ZeroDivisionError
    (
        "population",
        json.dumps({**ft.JSONSTAT2, "value": ft.JSONSTAT2["value"] * 2}).encode(),
        "more values",
    ),  # IndexError
    ("population", b"kommunkod;\xc3\xa5r;folkm\xc3\xa4ngd\n0642;2021;5\n0642;2021;6\n", "again"),
    ("population", b"kommunkod;\xc3\xa5r;folkm\xc3\xa4ngd\n0642;99999;5\n", "year"),
    ("population", b"kommunkod;\xc3\xa5r;folkm\xc3\xa4ngd\n0642;2021;99999999999\n", "plausible"),
    ("kolada", b'{"values": [{"kpi": "N1", "municipality": "0642", "period": 1e999}]}', "period"),
    ("kolada", _kolada({**KOLADA_ITEM, "values": 5}), "period and values"),  # TypeError
    (
        "kolada",
        _kolada({**KOLADA_ITEM, "values": [{"gender": "T", "value": 10**400}]}),
        "not a number",
    ),  # OverflowError
    ("kolada", _kolada({**KOLADA_ITEM, "kpi": "N" * 21}), "key figure"),  # DataError (PG)
    ("crime-bra", ft.BRA.replace("1\u00a0234", "9" * 400 + ",5").encode(), "too large"),
    ("crime-bra", ft.BRA.replace("1\u00a0234", "99 999 999").encode(), "plausible"),
    ("crime-tidy-xlsx", _xlsx_with("<v>1e999</v>"), "kommunkod"),  # OverflowError
    ("population", b"\xef\xbb\xbf", "empty"),  # IndexError (only a BOM)
    ("crime-tidy-csv", b"\xef\xbb\xbf", "empty"),  # IndexError (only a BOM)
    # atheris: NotImplementedError from zipfile in the upload gate (privacy/uploads.py)
    ("crime-tidy-xlsx", _zip_needing_version(147), "damaged"),
    ("survey-xlsx", _zip_needing_version(147), "damaged"),
    ("activities-xlsx", _zip_needing_version(147), "damaged"),
    ("dialogues-xlsx", _zip_needing_version(147), "damaged"),
]


@pytest.mark.parametrize(("name", "data", "words"), PARSE_CRASHES)
def test_input_that_crashed_a_parser_gets_its_own_error(name, data, words):
    target = ft.targets()[name]
    with pytest.raises(target.errors) as refused:
        target.parse(data)
    assert words in str(refused.value)


def test_a_huge_swedish_number_is_refused_not_overflowing():
    from medborgarlofte.crimestats.importers.numbers import parse_count

    with pytest.raises(ValueError, match="too large"):
        parse_count("9" * 400 + ",5")  # OverflowError before
    with pytest.raises(ValueError, match="not a number"):
        parse_count(float("inf"))


def _police(**changes) -> bytes:
    path = ft.PACKAGE / "incidents" / "data" / "polisen_events_sample.json"
    event = json.loads(path.read_text(encoding="utf-8"))[0]
    event.update(changes)
    return json.dumps([event]).encode()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (_police(summary="a\x00b"), "NUL"),  # DataError on PostgreSQL
        (_police(id=2**70), "positive id"),  # OverflowError (SQLite), DataError (PostgreSQL)
        (_police(datetime="9999-12-31 23:59:59 -05:00"), "not a time"),  # OverflowError
    ],
)
def test_police_events_that_crashed_the_import_are_refused(data, words):
    from medborgarlofte.incidents.models import PoliceEvent
    from medborgarlofte.incidents.police_events import PoliceEventsError, import_events

    before = snapshot([PoliceEvent])
    with pytest.raises(PoliceEventsError, match=words):
        import_events(data, source="regression.json")
    assert snapshot([PoliceEvent]) == before


def test_an_overlong_survey_text_is_refused(mullsjo, coordinator):
    from medborgarlofte.surveys.importing import parse_survey
    from medborgarlofte.surveys.tables import TableError

    rows = [["X" * 151, *ft.SURVEY_INDEX_ROWS[0][1:]]]  # DataError on PostgreSQL before
    with pytest.raises(TableError, match="too long"):
        parse_survey(ft.csv_bytes(ft.SURVEY_INDEX_HEADER, rows), "long.csv")


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [(3, "X" * 301, "too long"), (4, "inf", "not a number"), (4, "1e999", "not a number")],
)
def test_activities_with_an_overlong_title_or_infinite_quantity_are_refused(column, value, words):
    from medborgarlofte.followup.importing import ImportFailed, parse_file

    row = list(ft.ACTIVITY_ROWS[0])
    row[column] = value
    with pytest.raises(ImportFailed, match=words):
        parse_file(ft.csv_bytes(ft.ACTIVITY_HEADER, [row]), "a.csv", set(ft.ACTIVITY_REFS))


def test_a_population_file_with_a_kommun_twice_writes_nothing(tmp_path):
    from medborgarlofte.kommuner.models import Population

    path = tmp_path / "population.csv"
    path.write_text("kommunkod;år;folkmängd\n0642;2021;5\n0643;2021;6\n0642;2021;7\n")
    before = snapshot([Population])
    with pytest.raises(CommandError, match="again"):  # IntegrityError before
        call_command("import_population", str(path), stdout=io.StringIO())
    assert snapshot([Population]) == before


# --- the JSON API (Schemathesis) ----------------------------------------------------------


def test_an_unknown_api_url_answers_json_404(client):
    client.cookies["medborgarlofte_language"] = "en"
    response = client.get("/api/v1/agreements/0642/not-a-year/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": "Not found."}


def test_an_unknown_format_answers_400(client):
    client.cookies["medborgarlofte_language"] = "en"
    response = client.get("/api/v1/public/agreements/0642/2024/?format=xml")
    assert response.status_code == 400
    assert "json or yaml" in response.json()["error"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/public/agreements/0642/2024/",
        "/api/v1/public/followup/",
        "/api/v1/public/followup/0642/2024/",
        "/kommun/0642/medborgarlofte/2024/uppfoljning.json",
    ],
)
def test_other_methods_on_read_only_endpoints_answer_405_without_a_csrf_token(url):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).generic("DELETE", url)
    assert response.status_code == 405  # 403 (CSRF) before


def test_an_unreadable_api_body_answers_json_400(client, coordinator):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(coordinator)
    browser.get("/api/v1/agreements/")  # the csrftoken cookie, but no header: POST is read
    response = browser.post(
        "/api/v1/agreements/import", data=b"x", content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
