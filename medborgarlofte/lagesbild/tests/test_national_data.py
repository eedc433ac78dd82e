"""fetch_national_data on saved responses: never the network."""

import io
import socket
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import translation

from medborgarlofte.crimestats import national
from medborgarlofte.crimestats.models import CrimeStatistic, ImportRun, KpiValue
from medborgarlofte.incidents.models import PoliceEvent, PoliceImportRun
from medborgarlofte.kommuner.models import Population
from medborgarlofte.lagesbild import national_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages below are the English msgids (the catalogue translates them)."""
    with translation.override("en"):
        yield


HERE = Path(__file__).resolve().parent / "data"
APPS = Path(__file__).resolve().parents[2]
BRA_URL = "https://bra.example/anmalda-brott-i-kommunerna-{year}.csv"
SAVED = {
    "https://api.kolada.se/v3/data/kpi/N07403/year/2024": HERE / "kolada_N07403_2024_page1.json",
    "https://api.kolada.se/v3/data/kpi/N07403/year/2024?page=2": HERE
    / "kolada_N07403_2024_page2.json",
    national.settings.NATIONAL_SCB_POPULATION_URL: HERE / "scb_befolkning_2024.json",
    "https://polisen.se/api/events": APPS / "incidents" / "data" / "polisen_events_sample.json",
    "https://bra.example/anmalda-brott-i-kommunerna-2024.csv": APPS
    / "crimestats"
    / "tests"
    / "data"
    / "bra_yearly_2024.csv",
}


@pytest.fixture(autouse=True)
def saved_responses(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a test tried to open a socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    calls = []

    def fetch(url, headers, body=None):
        calls.append((url, body))
        assert "Medborgarlofte" in headers["User-Agent"]
        path = SAVED.get(url)
        return (200, path.read_bytes()) if path else (404, b"")

    monkeypatch.setattr(national, "urllib_fetch", fetch)
    monkeypatch.setattr(national_data, "pause", lambda seconds: None)
    return calls


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    with override_settings(NATIONAL_BRA_YEARLY_URL=BRA_URL, NATIONAL_KOLADA_KPIS=["N07403"]):
        call_command("fetch_national_data", "--year", "2024", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_all_four_sources_once_and_a_rerun_changes_nothing(saved_responses):
    out, _err = _run()
    assert KpiValue.objects.filter(kpi="N07403", year=2024).count() == 290
    assert Population.objects.filter(year=2024, source=national.SCB_SOURCE).count() == 290
    assert CrimeStatistic.objects.filter(source="bra", year=2024).count() == 290
    assert PoliceEvent.objects.exists()
    assert set(ImportRun.objects.values_list("kind", flat=True)) == {
        "kolada",
        "population",
        "crime",
    }
    assert PoliceImportRun.objects.filter(fetched=True).count() == 1
    assert all(f"{source}:" in out for source in national_data.SOURCES)
    scb_query = next(body for url, body in saved_responses if "scb" in url)
    assert b'"2024"' in scb_query and b"0642" in scb_query
    runs = ImportRun.objects.count()
    out, _err = _run()
    assert ImportRun.objects.count() == runs
    assert out.count("already imported") >= 3
    assert CrimeStatistic.objects.filter(source="bra").count() == 290


def test_one_failing_source_does_not_stop_the_others(monkeypatch):
    monkeypatch.setitem(SAVED, national.settings.NATIONAL_SCB_POPULATION_URL, None)
    with pytest.raises(CommandError, match="scb"):
        _run()
    assert KpiValue.objects.count() == 290
    assert CrimeStatistic.objects.filter(source="bra").count() == 290
    assert PoliceEvent.objects.exists()
    assert not Population.objects.filter(source=national.SCB_SOURCE).exists()
    assert not ImportRun.objects.filter(kind="population").exists()


def test_only_chooses_sources_and_refuses_unknown_ones(saved_responses):
    out, _err = _run("--only", "bra")
    assert [url for url, _b in saved_responses] == [BRA_URL.replace("{year}", "2024")]
    assert "bra:" in out and "kolada:" not in out
    with pytest.raises(CommandError, match="unknown source"):
        _run("--only", "bra,ssb")


def test_bra_is_skipped_when_no_url_is_configured(saved_responses):
    out = io.StringIO()
    with override_settings(NATIONAL_BRA_YEARLY_URL=""):
        call_command("fetch_national_data", "--only", "bra", "--year", "2024", stdout=out)
    assert saved_responses == [] and "bra:" in out.getvalue()
