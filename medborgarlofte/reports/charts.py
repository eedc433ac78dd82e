"""SVG charts for pages and PDFs: matplotlib (Agg) → one inline-safe SVG string.

    chart = line_chart({"Mullsjö": [("2021", 812.0), ("2022", 790.5)]},
                       title="…", description="…", y_label="per 100 000")
    chart.svg      # <svg role="img" aria-labelledby=…><title>…</title><desc>…</desc>…</svg>
    chart.headers, chart.rows   # the same figures as a table (the text alternative)

The SVG carries no <style> element and no style attributes (the Content Security
Policy allows neither), only presentation attributes; text stays text
(svg.fonttype = none). Output is deterministic: the same input gives the same bytes.
Colours are told apart by line style and marker as well, so charts read in black and
white print. Labels are passed in already translated.
"""

import hashlib
import io
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from django.utils.formats import number_format  # noqa: E402

COLOURS = ["#1f4e79", "#b35900", "#2e7d32", "#6a1b9a", "#555555"]
LINESTYLES = ["-", "--", "-.", ":", (0, (5, 1, 1, 1))]
MARKERS = ["o", "s", "^", "D", "v"]
# The same meaning, the same colour in every chart: the kommun (or the one measured
# series) is always blue, the county orange, Sweden green, similar kommuner purple, a
# derived series (rolling average, target) grey.
STYLE = {"kommun": 0, "county": 1, "sweden": 2, "similar": 3, "derived": 4}
RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "medborgarlofte",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
_LOCK = threading.Lock()  # pyplot's state is global


@dataclass
class Chart:
    svg: str
    title: str
    description: str
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)

    def __str__(self) -> str:
        return self.svg

    def __html__(self) -> str:
        return self.svg


def _format(value, decimals: int) -> str:
    if value is None:
        return "–"
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def _chart_id(title: str, data) -> str:
    return "c" + hashlib.sha256(repr((title, data)).encode("utf-8")).hexdigest()[:10]


def _cached(kind: str, key_data, build) -> "Chart":
    """Charts are deterministic, so the rendered SVG is cached by its inputs and language."""
    from django.core.cache import cache
    from django.utils.translation import get_language

    key = (
        "chart:"
        + hashlib.sha256(repr((kind, get_language(), key_data)).encode("utf-8")).hexdigest()
    )
    chart = cache.get(key)
    if chart is None:
        chart = build()
        cache.set(key, chart, 24 * 3600)
    return chart


def line_chart(
    series: Mapping[str, Sequence[tuple[str, float | None]]],
    *,
    title: str,
    description: str,
    x_label: str = "",
    y_label: str = "",
    decimals: int = 1,
    size: tuple[float, float] = (7.0, 3.2),
    styles: Sequence[int] | None = None,
) -> Chart:
    """One line per series; x labels in the order first seen; None leaves a gap.

    `styles` gives each series its colour, line and marker (an index into COLOURS), so
    that the same meaning has the same colour in every chart (see STYLE)."""
    key = (dict(series), title, description, x_label, y_label, decimals, size, styles)
    return _cached(
        "line",
        key,
        lambda: _line_chart(series, title, description, x_label, y_label, decimals, size, styles),
    )


def _literal(text) -> str:
    """A label as matplotlib should draw it: as written. Matplotlib reads $…$ as mathtext
    (an unknown command in a kommun or indicator name made the page a 500) and leaves a
    legend entry out when its label starts with "_"."""
    text = str(text).replace("$", r"\$")
    return "\u200b" + text if text.startswith("_") else text


def _line_chart(series, title, description, x_label, y_label, decimals, size, styles) -> Chart:
    labels = list(dict.fromkeys(label for points in series.values() for label, _v in points))
    with _LOCK, plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=size)
        for n, (name, points) in enumerate(series.items()):
            i = styles[n] if styles else n
            values = dict(points)
            ys = [float("nan") if values.get(x) is None else values[x] for x in labels]
            ax.plot(
                range(len(labels)),
                ys,
                label=_literal(name),
                color=COLOURS[i % 5],
                linestyle=LINESTYLES[i % 5],
                marker=MARKERS[i % 5],
                markersize=4,
                linewidth=1.8,
            )
        integer = _is_integer_data(v for points in series.values() for _x, v in points)
        _axes(ax, labels, x_label, y_label, integer)
        if len(series) > 1:
            ax.legend(frameon=False, fontsize=9, loc="best")
        svg = _render(fig)
    headers = [x_label or "", *series.keys()]
    months = month_labels(labels)
    shown = months[1] if months else labels
    rows = [
        [shown[i], *(_format(dict(points).get(x), decimals) for points in series.values())]
        for i, x in enumerate(labels)
    ]
    return Chart(
        _finish(svg, title, description, _chart_id(title, series)),
        title,
        description,
        headers,
        rows,
    )


def bar_chart(
    values: Sequence[tuple[str, float | None]],
    *,
    title: str,
    description: str,
    x_label: str = "",
    y_label: str = "",
    decimals: int = 1,
    reference: float | None = None,
    size: tuple[float, float] = (7.0, 3.0),
) -> Chart:
    """Vertical bars; `reference` draws a dashed horizontal line (e.g. 1.0 = average)."""
    key = (list(values), title, description, x_label, y_label, decimals, reference, size)
    return _cached(
        "bar",
        key,
        lambda: _bar_chart(values, title, description, x_label, y_label, decimals, reference, size),
    )


def _bar_chart(values, title, description, x_label, y_label, decimals, reference, size) -> Chart:
    labels = [label for label, _v in values]
    with _LOCK, plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=size)
        heights = [0 if v is None else v for _l, v in values]
        ax.bar(
            range(len(labels)),
            heights,
            color=COLOURS[0],
            edgecolor="#000000",
            linewidth=0.6,
            hatch="//",
        )
        if reference is not None:
            ax.axhline(reference, color="#000000", linestyle="--", linewidth=1)
        _axes(ax, labels, x_label, y_label, _is_integer_data(v for _l, v in values))
        svg = _render(fig)
    months = month_labels(labels)
    shown = months[1] if months else labels
    rows = [[shown[i], _format(v, decimals)] for i, (_l, v) in enumerate(values)]
    return Chart(
        _finish(svg, title, description, _chart_id(title, values)),
        title,
        description,
        [x_label, y_label],
        rows,
    )


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# Characters of tick labels that fit side by side under the axes (7 in wide, 10 pt text).
_X_CHARS = 70


def month_labels(labels: Sequence[str]) -> tuple[list[str], list[str]] | None:
    """ "2024-01", "2024-02" … as Swedish ticks ("jan\n2024", "feb" …: the year under
    January and the first month) and table labels ("jan 2024"); None for other labels."""
    from django.utils.dates import MONTHS_3

    parsed = [_MONTH.match(str(label)) for label in labels]
    if not labels or not all(parsed):
        return None
    ticks, table = [], []
    for i, match in enumerate(parsed):
        year, month = match.group(1), int(match.group(2))
        name = str(MONTHS_3[month])
        ticks.append(f"{name}\n{year}" if i == 0 or month == 1 else name)
        table.append(f"{name} {year}")
    return ticks, table


def _x_ticks(labels: Sequence[str]) -> tuple[list[int], list[str], bool]:
    """Which labels to draw so that they never run together: every label while they fit,
    else every 2nd, 3rd, 6th or 12th (months: quarters or Januaries)."""
    months = month_labels(labels)
    shown = months[0] if months else [str(label) for label in labels]
    # Month ticks: the year stands under January only, so the month names set the width.
    widest = max((len(label.split("\n")[0]) for label in shown), default=1)
    step = 1
    for candidate in (1, 2, 3, 4, 6, 12, 24, 48):
        step = candidate
        if -(-len(shown) // step) * (widest + 2) <= _X_CHARS:
            break
    if months:
        first = [i for i, label in enumerate(labels) if (int(str(label)[5:7]) - 1) % step == 0]
        ticks = first or [0]
        texts = []
        for n, i in enumerate(ticks):
            year, name = str(labels[i])[:4], shown[i].split("\n")[0]
            texts.append(f"{name}\n{year}" if n == 0 or str(labels[i])[5:7] == "01" else name)
        return ticks, texts, False
    ticks = list(range(0, len(labels), step))
    rotate = widest > 10 and len(ticks) > 4
    return ticks, [shown[i] for i in ticks], rotate


def _y_axis(ax, integer: bool) -> None:
    """Counts get whole-number ticks; other values as many decimals as the tick step needs,
    so no two ticks carry the same label."""
    import math

    from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=integer, min_n_ticks=2))
    ticks = [t for t in ax.get_yticks() if ax.get_ylim()[0] - 1e-9 <= t <= ax.get_ylim()[1] + 1e-9]
    step = min((b - a for a, b in zip(ticks, ticks[1:], strict=False)), default=1) or 1
    decimals = 0 if integer or step >= 1 else min(3, math.ceil(-math.log10(step) - 1e-9))
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: _format(v, decimals)))


def _is_integer_data(values) -> bool:
    present = [v for v in values if v is not None]
    return bool(present) and all(float(v).is_integer() for v in present)


def _axes(ax, labels, x_label, y_label, integer: bool = False) -> None:
    ticks, texts, rotate = _x_ticks(labels)
    ax.set_xticks(ticks)
    ax.set_xticklabels(
        [_literal(text) for text in texts],
        rotation=45 if rotate else 0,
        ha="right" if rotate else "center",
    )
    ax.set_xlabel(_literal(x_label))
    ax.set_ylabel(_literal(y_label))
    ax.set_ylim(bottom=0)
    _y_axis(ax, integer)
    ax.grid(axis="y", color="#cccccc", linewidth=0.6)
    ax.set_axisbelow(True)


def _render(fig) -> str:
    buffer = io.StringIO()
    fig.subplots_adjust(left=0.11, right=0.98, top=0.95, bottom=0.24)
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return buffer.getvalue()


_FONT = re.compile(r"^(?:(italic|oblique|normal)\s+)?(?:(bold|normal|\d{3})\s+)?([\d.]+)px\s+(.+)$")


def _style_to_attributes(match: re.Match) -> str:
    attributes = []
    for declaration in match.group(1).split(";"):
        if ":" not in declaration:
            continue
        name, value = (part.strip() for part in declaration.split(":", 1))
        if name == "font":
            font = _FONT.match(value)
            if font:
                style, weight, size, family = font.groups()
                family = family.replace("'", "").replace('"', "")
                attributes += [("font-size", f"{size}px"), ("font-family", f"{family}, sans-serif")]
                if weight and weight not in {"normal", "400"}:
                    attributes.append(("font-weight", weight))
                if style and style != "normal":
                    attributes.append(("font-style", style))
            continue
        if name == "font-family":
            value = value.replace("'", "").replace('"', "") + ", sans-serif"
        attributes.append((name, value))
    return " ".join(f'{name}="{escape(value, quote=True)}"' for name, value in attributes)


def _finish(svg: str, title: str, description: str, chart_id: str) -> str:
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r"<style[^>]*>.*?</style>\s*", "", svg, flags=re.S)
    svg = re.sub(r'style="([^"]*)"', _style_to_attributes, svg)
    ids = set(re.findall(r'id="([^"]+)"', svg))
    for old in sorted(ids, key=len, reverse=True):
        new = f"{chart_id}-{old}"
        svg = (
            svg.replace(f'id="{old}"', f'id="{new}"')
            .replace(f"#{old})", f"#{new})")
            .replace(f'"#{old}"', f'"#{new}"')
        )
    svg = re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"', r"<svg \1", svg, count=1)
    head = f'<svg class="chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
    svg = svg.replace("<svg ", head, 1)
    svg = re.sub(
        r"(<svg[^>]*>)",
        lambda m: (
            f'{m.group(1)}<title id="{chart_id}-title">{escape(title)}</title>'
            f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        ),
        svg,
        count=1,
    )
    return svg.strip()
