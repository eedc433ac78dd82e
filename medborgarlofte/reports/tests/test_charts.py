import re

import pytest
from django.utils import translation

from medborgarlofte.reports.charts import bar_chart, line_chart

SERIES = {
    "Mullsjö": [("2021", 812.0), ("2022", 790.5), ("2023", None)],
    "Län": [("2021", 700.0), ("2022", 720.25), ("2023", 710.0)],
}


@pytest.fixture(autouse=True)
def _no_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def test_it_makes_an_accessible_svg_with_title_and_description():
    chart = line_chart(
        SERIES, title="Brott & straff", description="Två linjer", y_label="per 100 000"
    )
    assert chart.svg.startswith("<svg ")
    assert 'role="img"' in chart.svg
    title_id, desc_id = re.search(r'aria-labelledby="([^" ]+) ([^"]+)"', chart.svg).groups()
    assert f'<title id="{title_id}">Brott &amp; straff</title>' in chart.svg
    assert f'<desc id="{desc_id}">Två linjer</desc>' in chart.svg


def test_it_uses_no_style_elements_or_attributes_so_the_csp_allows_it():
    for chart in (
        line_chart(SERIES, title="t", description="d"),
        bar_chart([("jan", 1.2), ("feb", 0.8)], title="b", description="d", reference=1.0),
    ):
        assert "<style" not in chart.svg
        assert "style=" not in chart.svg
        assert "<text" in chart.svg  # text stays text (svg.fonttype none)
        assert "<script" not in chart.svg


def test_it_is_deterministic():
    assert (
        line_chart(SERIES, title="t", description="d").svg
        == line_chart(SERIES, title="t", description="d").svg
    )


def test_it_gives_the_figures_as_a_localised_table():
    with translation.override("sv"):
        chart = line_chart(SERIES, title="t", description="d", x_label="År")
    assert chart.headers == ["År", "Mullsjö", "Län"]
    assert chart.rows[1] == ["2022", "790,5", "720,2"] or chart.rows[1] == [
        "2022",
        "790,5",
        "720,3",
    ]
    assert chart.rows[2][1] == "–"


def test_it_prefixes_ids_so_two_charts_on_a_page_do_not_clash():
    one = line_chart(SERIES, title="one", description="d")
    two = line_chart(SERIES, title="two", description="d")
    ids_one = set(re.findall(r'id="([^"]+)"', one.svg))
    ids_two = set(re.findall(r'id="([^"]+)"', two.svg))
    assert ids_one and not ids_one & ids_two
    for ref in re.findall(r"url\(#([^)]+)\)", one.svg):
        assert ref in ids_one
