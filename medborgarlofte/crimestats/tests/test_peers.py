"""Peers: the rate beside the kommuner of the same SKR kommungrupp (issue 15, item 5).

The groups here are a fixture: which real kommun belongs to which group is not claimed."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from medborgarlofte.crimestats import peers
from medborgarlofte.crimestats.demo import load_crimestats_demo
from medborgarlofte.crimestats.pages import page_context
from medborgarlofte.kommuner.models import Kommungrupp, Municipality
from medborgarlofte.kommuner.reference import KommungruppFileError, parse_kommungrupper


def test_median_and_range_of_the_peers_rates_with_counts():
    counts = {"a": 10, "b": 30, "c": 50, "d": None}
    populations = {"a": 10_000, "b": 10_000, "c": 20_000, "d": 5_000}
    stat = peers.peer_stat(counts, populations)
    # rates 100, 300, 250 per 100 000; d has no count and is left out
    assert (stat.median, stat.low, stat.high) == (250, 100, 300)
    assert (stat.kommuner, stat.count) == (3, 90)
    assert peers.peer_stat({"a": None}, populations) is None


def test_peer_rates_from_statistic_rows_use_yearly_or_twelve_months():
    # (kommun id, category, year, month, count, status, source, run)
    rows = [(1, 7, 2023, None, 20, "final", "bra", 1), (2, 7, 2023, None, 60, "final", "bra", 1)]
    rows += [(3, 7, 2023, m, 1, "final", "bra", 1) for m in range(1, 13)]
    rows.append((3, 8, 2023, None, 999, "final", "bra", 1))  # another category
    pops = {
        ("0001", 2023): (10_000, ""),
        ("0002", 2023): (20_000, ""),
        ("0003", 2023): (12_000, ""),
    }
    out = peers.peer_rates(rows, 7, "bra", {"0001": 1, "0002": 2, "0003": 3}, pops, [2023, 2024])
    assert list(out) == [2023]
    assert (out[2023].low, out[2023].median, out[2023].high) == (100, 200, 300)
    assert out[2023].count == 92


def test_the_kommungrupp_file_is_read_by_code_and_refused_whole_on_any_problem():
    known, groups = {"0114", "0642", "2321"}, set(Kommungrupp.values)
    text = (
        "\ufeffKommunkod;Kommun;Gruppkod\n114;Upplands Väsby;A2\n0642;Mullsjö;C7 Pendlingskommun\n"
    )
    assert parse_kommungrupper(text, known, groups) == {"0114": "A2", "0642": "C7"}
    with pytest.raises(KommungruppFileError) as failure:
        parse_kommungrupper("kommunkod,gruppkod\n9999,A1\n0642,Z9\n", known, groups)
    assert "line 2" in str(failure.value) and "line 3" in str(failure.value)


@pytest.mark.django_db
def test_the_staff_page_shows_the_peer_group_and_the_public_page_does_not(client, reader, tmp_path):
    load_crimestats_demo()
    codes = ["0642", "0643", "0662", "0665"]  # fixture group, not SKR's
    path = tmp_path / "grupper.csv"
    path.write_text("kommunkod;gruppkod\n" + "".join(f"{c};C8\n" for c in codes), encoding="utf-8")
    call_command("load_kommungrupper", str(path), "--source", "Testfil 2023")
    assert Municipality.objects.filter(kommungrupp="C8").count() == 4

    kommun = Municipality.objects.get(code="0642")
    context = page_context(kommun, {}, peers=True)
    assert context["peer"]["kommuner"] == 3 and context["peer"]["source"] == "Testfil 2023"
    row = next(r for b in context["blocks"] for r in b.get("rows", []) if r["peer"])
    assert row["peer"].kommuner == 3 and row["peer"].low <= row["peer"].median <= row["peer"].high
    assert page_context(kommun, {})["peer"] is None

    client.force_login(reader)
    with translation.override("sv"):
        html = client.get(reverse("crimestats:statistics", args=["0642"])).content.decode()
        public = client.get(reverse("crimestats_public:statistics", args=["0642"])).content
    assert "Kommungrupp C8: median (spridning)" in html and "Testfil 2023" in html
    assert "3 kommuner," in html
    assert b"Kommungrupp" not in public
