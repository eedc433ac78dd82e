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
) -> Chart:
    """One line per series; x labels in the order first seen; None leaves a gap."""
    key = (dict(series), title, description, x_label, y_label, decimals, size)
    return _cached(
        "line",
        key,
        lambda: _line_chart(series, title, description, x_label, y_label, decimals, size),
    )


def _literal(text) -> str:
    """A label as matplotlib should draw it: as written. Matplotlib reads $…$ as mathtext
    (an unknown command in a kommun or indicator name made the page a 500) and leaves a
    legend entry out when its label starts with "_"."""
    text = str(text).replace("$", r"\$")
    return "\u200b" + text if text.startswith("_") else text


def _line_chart(series, title, description, x_label, y_label, decimals, size) -> Chart:
    labels = list(dict.fromkeys(label for points in series.values() for label, _v in points))
    with _LOCK, plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=size)
        for i, (name, points) in enumerate(series.items()):
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
        _axes(ax, labels, x_label, y_label)
        if len(series) > 1:
            ax.legend(frameon=False, fontsize=9, loc="best")
        svg = _render(fig)
    headers = [x_label or "", *series.keys()]
    rows = [
        [x, *(_format(dict(points).get(x), decimals) for points in series.values())] for x in labels
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
        _axes(ax, labels, x_label, y_label)
        svg = _render(fig)
    rows = [[label, _format(v, decimals)] for label, v in values]
    return Chart(
        _finish(svg, title, description, _chart_id(title, values)),
        title,
        description,
        [x_label, y_label],
        rows,
    )


def _axes(ax, labels, x_label, y_label) -> None:
    step = 1 if len(labels) <= 16 else 3 if len(labels) <= 48 else 6
    ticks = list(range(0, len(labels), step))
    ax.set_xticks(ticks)
    ax.set_xticklabels(
        [_literal(labels[i]) for i in ticks],
        rotation=45 if len(labels) > 12 else 0,
        ha="right" if len(labels) > 12 else "center",
    )
    ax.set_xlabel(_literal(x_label))
    ax.set_ylabel(_literal(y_label))
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _p: _format(v, 0)))
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
