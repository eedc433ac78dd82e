import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from medborgarlofte.accounts.models import AuditEntry
from medborgarlofte.surveys.importing import parse_survey
from medborgarlofte.surveys.models import SurveyImportRun, SurveyValue, SurveyWave
from medborgarlofte.surveys.services import import_survey
from medborgarlofte.surveys.tables import TableError

INDEX_CSV = (
    "provider;year;area;respondents;response_rate;question;index;n\n"
    "Polisen;2023;Mullsjö centrum;250;48,5;Klotter;1,8;241\n"
    "Polisen;2023;Mullsjö centrum;250;48,5;Nedskräpning;2,1;\n"
    "Polisen;2023;Sandhem;120;51;Klotter;0,9;118\n"
).encode()

PERCENT_CSV = (
    "leverantör,år,område,svarande,fråga,svar,procent,n\n"
    "SCB,2024,Mullsjö kommun,386,Trygg ute sent,Mycket trygg,41.5,380\n"
    "SCB,2024,Mullsjö kommun,386,Trygg ute sent,Ganska trygg,33.0,380\n"
).encode()


def test_it_imports_index_values_and_a_second_import_changes_nothing(mullsjo, coordinator):
    result = import_survey(mullsjo, coordinator, parse_survey(INDEX_CSV, "a.csv"))
    assert (result.waves_created, result.created) == (2, 3)
    value = SurveyValue.objects.get(question="Klotter", wave__area="Mullsjö centrum")
    assert str(value.value) == "1.80" and value.n == 241
    assert SurveyWave.objects.get(area="Sandhem").respondents == 120
    assert AuditEntry.objects.filter(action="survey.import").count() == 1
    again = import_survey(mullsjo, coordinator, parse_survey(INDEX_CSV, "a.csv"))
    assert not again.changed and again.unchanged == 3
    assert SurveyImportRun.objects.count() == 1


def test_it_imports_percentages_with_swedish_headers(mullsjo, coordinator):
    parsed = parse_survey(PERCENT_CSV, "scb.csv")
    assert parsed.value_format == "percent"
    import_survey(mullsjo, coordinator, parsed)
    assert SurveyValue.objects.filter(answer="Mycket trygg").get().n == 380


def test_it_reads_xlsx(mullsjo, coordinator):
    book = Workbook()
    sheet = book.active
    for line in INDEX_CSV.decode().splitlines():
        sheet.append(line.split(";"))
    buffer = io.BytesIO()
    book.save(buffer)
    parsed = parse_survey(buffer.getvalue(), "a.xlsx")
    assert parsed.rows == 3


def test_it_reports_every_error_with_line_and_column_and_saves_nothing(mullsjo):
    bad = INDEX_CSV + b"Polisen;20x3;Sandhem;120;51;Klotter;7;\n;2023;X;0;;Q;1;\n"
    with translation.override("en"):
        with pytest.raises(TableError) as caught:
            parse_survey(bad, "bad.csv")
        text = [str(p) for p in caught.value.problems]
    assert any("line 5" in t and "column B (year)" in t for t in text)
    assert any("line 5" in t and "column G (index)" in t for t in text)
    assert any("line 6" in t and "column A (provider)" in t for t in text)
    assert SurveyWave.objects.count() == 0


def test_the_dry_run_saves_nothing(mullsjo, coordinator):
    result = import_survey(mullsjo, coordinator, parse_survey(INDEX_CSV, "a.csv"), dry_run=True)
    assert result.created == 3
    assert SurveyWave.objects.count() == 0 and SurveyImportRun.objects.count() == 0


def test_the_command_imports_and_refuses_bad_files(mullsjo, tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(INDEX_CSV)
    out = StringIO()
    call_command("import_survey", str(path), "--kommun", "0642", stdout=out)
    assert "3 new values" in out.getvalue()
    path.write_bytes(b"foo,bar\n1,2\n")
    with pytest.raises(CommandError):
        call_command("import_survey", str(path), "--kommun", "0642", stdout=StringIO())


def test_the_import_page_shows_errors_and_imports(client, mullsjo, coordinator):
    client.force_login(coordinator)
    url = reverse("surveys:import-survey", args=["0642"])
    bad = io.BytesIO(b"provider;year\nx;y\n")
    bad.name = "bad.csv"
    assert client.post(url, {"file": bad}).status_code == 400
    good = io.BytesIO(INDEX_CSV)
    good.name = "good.csv"
    assert client.post(url, {"file": good}).status_code == 302
    page = client.get(reverse("surveys:municipality", args=["0642"]))
    assert "Klotter" in page.content.decode()
    assert "241" in page.content.decode()  # n beside the value


def test_hand_entry_of_a_wave_and_a_value(client, mullsjo, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("surveys:create-wave", args=["0642"]),
        {"wave-provider": "Polisen", "wave-year": "2024", "wave-area": "Sandhem",
         "wave-respondents": "100", "wave-value_format": "index"},
    )  # fmt: skip
    wave = SurveyWave.objects.get()
    assert response["Location"] == reverse("surveys:wave", args=["0642", wave.pk])
    too_high = {"question": "Klotter", "value": "6.5"}
    assert (
        client.post(reverse("surveys:save-value", args=["0642", wave.pk]), too_high).status_code
        == 400
    )
    client.post(
        reverse("surveys:save-value", args=["0642", wave.pk]),
        {"question": "Klotter", "value": "1.6"},
    )
    assert str(SurveyValue.objects.get().value) == "1.60"
