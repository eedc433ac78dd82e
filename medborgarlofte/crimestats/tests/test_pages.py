import io
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from medborgarlofte.agreements.importing import import_agreement_document
from medborgarlofte.crimestats.demo import generate_rows, load_crimestats_demo
from medborgarlofte.crimestats.models import CrimeCategory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The example statistics, loaded once for this module and rolled back at its end
    (each test runs in its own savepoint inside)."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        load_crimestats_demo()
        yield
        transaction.set_rollback(True)


def _summary_json(*args):
    out = io.StringIO()
    call_command(
        "crime_summary",
        "0642",
        "--from",
        "2021",
        "--to",
        "2024",
        "--format",
        "json",
        *args,
        stdout=out,
    )
    return json.loads(out.getvalue())


def test_it_prints_the_summary_json_as_the_issue_specifies(demo, coordinator, mullsjo_document):
    import_agreement_document(mullsjo_document, user=coordinator)
    data = _summary_json()
    assert [c["name"] for c in data["categories"]] == [
        "Skadegörelsebrott",
        "Narkotikabrott",
        "Tillgreppsbrott",
        "Våldsbrott i nära relation",
        "Bedrägeribrott",
        "Stöld genom inbrott",
        "Trafikbrott",
    ]
    first = data["categories"][0]
    assert set(first) >= {"name", "counts", "rates", "change"}
    assert set(first["counts"]) == {"2021", "2022", "2023", "2024"}
    assert set(first["change"]) == {"from", "to", "rate_ratio", "ci_low", "ci_high", "significant"}
    assert first["change"]["ci_low"] <= first["change"]["rate_ratio"] <= first["change"]["ci_high"]
    rate = first["counts"]["2024"] * 100000 / data["population"]["2024"]
    assert first["rates"]["2024"] == pytest.approx(rate, abs=1e-3)
    assert data["example_data"] is True
    assert data["sources"][0]["source"] == "demo"


def test_it_uses_the_taxonomy_top_categories_without_an_agreement(demo):
    names = [c["name"] for c in _summary_json()["categories"]]
    assert names[0] == "Samtliga brott"


def test_it_shows_unknown_agreement_categories_as_not_linked(demo, coordinator, mullsjo_document):
    mullsjo_document["crime_categories"] = ["Skadegörelsebrott", "Buskörning med moped"]
    import_agreement_document(mullsjo_document, user=coordinator)
    categories = _summary_json()["categories"]
    assert categories[1] == {
        "name": "Buskörning med moped",
        "category": None,
        "counts": {},
        "rates": {},
        "change": None,
    }


def test_it_renders_the_internal_page_with_sources_charts_and_example_label(demo, client, reader):
    client.force_login(reader)
    with translation.override("en"):
        response = client.get(
            reverse("crimestats:statistics", args=["0642"]), HTTP_ACCEPT_LANGUAGE="en"
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<svg") >= 7
    assert ' style="' not in html and "<style" not in html  # CSP: style-src 'self'
    assert "2021" in html and "2024" in html
    assert re.search(r"Exempeldata|Example data", html)
    assert re.search(r"(Källa|Source): (Exempeldata|Example data)", html)


def test_it_serves_the_public_page_without_login(demo, client):
    response = client.get("/kommun/0642/statistik/")
    assert response.status_code == 200
    assert b"<svg" in response.content
    assert b"sammanfattning.json" not in response.content
    assert client.get("/kommun/9999/statistik/").status_code == 404


def test_it_accepts_a_period_and_rejects_a_reversed_one(demo, client):
    ok = client.get("/kommun/0642/statistik/?year_from=2023&year_to=2024")
    assert ok.status_code == 200
    reversed_range = client.get("/kommun/0642/statistik/?year_from=2024&year_to=2021")
    assert reversed_range.status_code == 200
    assert b"errorlist" in reversed_range.content


def test_it_downloads_csv_labelled_as_example_data(demo, client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("crimestats:download-summary", args=["0642", "csv"]))
    text = response.content.decode()
    assert text.splitlines()[0] in {"Exempeldata", "Example data"}
    assert "0642;Samtliga brott;2024" in text


def test_it_generates_the_same_national_data_from_the_same_seed(db):
    categories = dict(CrimeCategory.objects.values_list("slug", "pk"))
    pops = {"0642": 7583, "0180": 984748}
    first = list(generate_rows(pops, categories, [2024]))
    assert first == list(generate_rows(pops, categories, [2024]))
    assert len(first) == 2 * len(categories) * 12
    total = {
        code: sum(r[4] for r in first if r[0] == code and r[1] == categories["samtliga-brott"])
        for code in pops
    }
    assert (
        50 < total["0180"] / total["0642"] / (984748 / 7583) * 100 < 200
    )  # proportional to population


def test_loading_the_demo_twice_changes_nothing(demo):
    from medborgarlofte.crimestats.models import CrimeStatistic

    before = CrimeStatistic.objects.count()
    load_crimestats_demo()
    assert CrimeStatistic.objects.count() == before


def _kolada_page(values):
    return {
        "values": [
            {"kpi": "U07414", "municipality": "0642", "period": 2023, "values": values},
        ]
    }


def _import_kolada(page, tmp_path):
    path = tmp_path / "kolada.json"
    path.write_text(json.dumps(page), encoding="utf-8")
    call_command("import_kolada", str(path), stdout=io.StringIO())


def _kolada_table(html):
    start = html.index("Nyckeltal från Kolada")
    return html[start : html.index("</table>", start)]


def test_the_page_shows_koladas_women_and_men_beside_the_total(demo, client, reader, tmp_path):
    _import_kolada(
        _kolada_page(
            [
                {"gender": "K", "value": 31.5, "status": ""},
                {"gender": "M", "value": 12.25, "status": ""},
                {"gender": "T", "value": 22.0, "status": ""},
            ]
        ),
        tmp_path,
    )
    client.force_login(reader)
    url = reverse("crimestats:statistics", args=["0642"]) + "?from=2021&to=2024"
    html = client.get(url).content.decode()
    table = _kolada_table(html)
    assert "Kvinnor" in table and "Män" in table
    assert re.search(r"22,0</td><td class=\"num\">31,5</td><td class=\"num\">12,3", table)


def test_no_women_men_columns_when_kolada_has_only_the_total(demo, client, reader, tmp_path):
    _import_kolada(_kolada_page([{"gender": "T", "value": 22.0, "status": ""}]), tmp_path)
    client.force_login(reader)
    url = reverse("crimestats:statistics", args=["0642"]) + "?from=2021&to=2024"
    html = client.get(url).content.decode()
    table = _kolada_table(html)
    assert "22,0" in table
    assert "Kvinnor" not in table and "Män" not in table
