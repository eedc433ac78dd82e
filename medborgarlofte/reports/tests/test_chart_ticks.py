"""Honest charts (issue 16): the SVG's y tick labels are unique and the x labels never
overlap; months in Swedish."""

import re

import pytest
from django.utils import translation

from medborgarlofte.reports.charts import bar_chart, line_chart


def _ticks(svg: str, axis: str) -> list[tuple[float, str]]:
    """(position, text) of each tick label of the axis ("x" or "y"), read from the SVG:
    the tick mark's position and the texts of the label group that follows it."""
    out = []
    starts = [m.end() for m in re.finditer(rf'<g id="[^"]*{axis}tick_\d+">', svg)]
    for start in starts:
        segment = svg[start:]
        mark = re.search(r'<use [^>]*x="([\d.]+)" y="([\d.]+)"', segment)
        label = re.search(r'<g id="[^"]*text_\d+">(.*?)</g>', segment, re.S)
        texts = re.findall(r"<text[^>]*>(.*?)</text>", label.group(1), re.S) if label else []
        if mark and texts:
            pos = float(mark.group(1) if axis == "x" else mark.group(2))
            out.append((pos, " ".join(t.strip() for t in texts)))
    return out


def _assert_honest(svg: str) -> None:
    y = [text for _p, text in _ticks(svg, "y")]
    assert len(y) >= 2, svg[:300]
    assert len(y) == len(set(y)), f"repeated y tick labels: {y}"
    x = sorted(_ticks(svg, "x"))
    assert x
    # 10 pt DejaVu Sans: a character is at most about 0.65 em wide; 1 pt = 1 px in the SVG.
    for (a, text_a), (b, text_b) in zip(x, x[1:], strict=False):
        half_widths = (max(map(len, text_a.split())) + max(map(len, text_b.split()))) * 6.5 / 2
        assert b - a > half_widths, f"x labels overlap: {text_a!r} at {a}, {text_b!r} at {b}"


@pytest.mark.parametrize("top", [1, 2, 3, 7])
def test_small_counts_have_integer_unique_ticks(top):
    counts = [("2024-01", 0), ("2024-02", top), ("2024-03", 1)]
    chart = line_chart({"Händelser": counts}, title=f"T{top}", description="d")
    _assert_honest(chart.svg)
    labels = [text for _p, text in _ticks(chart.svg, "y")]
    assert all(re.fullmatch(r"\d+", label) for label in labels), labels


def test_fractions_keep_enough_decimals():
    chart = bar_chart(
        [("A", 0.2), ("B", 0.35), ("C", 0.1)], title="Andelar", description="d", decimals=2
    )
    _assert_honest(chart.svg)


def test_three_years_of_months_do_not_run_together_and_are_swedish():
    months = [(f"{y}-{m:02d}", float(m % 5)) for y in (2022, 2023, 2024) for m in range(1, 13)]
    with translation.override("sv"):
        chart = line_chart({"Per månad": months}, title="Månader", description="d")
    _assert_honest(chart.svg)
    x = " ".join(text for _p, text in _ticks(chart.svg, "x"))
    assert "2024-01" not in chart.svg
    assert "jan 2022" in x and "jan 2024" in x
    assert chart.rows[0][0] == "jan 2022"


def test_a_year_of_months_shows_every_month():
    months = [(f"2024-{m:02d}", m) for m in range(1, 13)]
    with translation.override("sv"):
        chart = line_chart({"Per månad": months}, title="Ett år", description="d")
    _assert_honest(chart.svg)
    texts = [text for _p, text in _ticks(chart.svg, "x")]
    assert texts[0] == "jan 2024" and "maj" in texts and texts[-1] == "dec"
