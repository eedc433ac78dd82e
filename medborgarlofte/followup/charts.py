"""Indicator charts for the follow-up pages and the report: reports.charts when it is
installed (matplotlib SVG with a table alternative), else a small inline SVG."""

from html import escape

from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _


def _label(day: str) -> str:
    return day[:7] if len(day) >= 7 else day


def _fallback_svg(points: list, title: str) -> str:
    width, height, pad = 420, 140, 24
    values = [v for _d, v in points if v is not None]
    top = max(values + [1])
    step = (width - 2 * pad) / max(len(points) - 1, 1)
    coords = [
        (pad + i * step, height - pad - (v / top) * (height - 2 * pad))
        for i, (_d, v) in enumerate(points)
        if v is not None
    ]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#1f4e79"/>' for x, y in coords)
    return (
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}"'
        f' xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#000"/>'
        f'<polyline points="{line}" fill="none" stroke="#1f4e79" stroke-width="2"/>{dots}</svg>'
    )


def indicator_chart(item: dict) -> dict | None:
    """{"svg", "headers", "rows"} for an indicator outcome with at least two points."""
    points = [(d, v) for d, v in item.get("series") or [] if d]
    if len([v for _d, v in points if v is not None]) < 2:
        return None
    title = item["title"]
    description = _("%(title)s over the period, %(unit)s") % {
        "title": title,
        "unit": item.get("unit") or _("value"),
    }
    labelled = [(_label(d), v) for d, v in points]
    try:
        from medborgarlofte.reports.charts import STYLE, line_chart

        chart = line_chart(
            {title: labelled},
            title=title,
            description=description,
            y_label=item.get("unit", ""),
            styles=[STYLE["kommun"]],
        )
        return {"svg": mark_safe(chart.svg), "headers": chart.headers, "rows": chart.rows}
    except ImportError:
        rows = [[x, "–" if v is None else number_format(v)] for x, v in labelled]
        return {
            "svg": mark_safe(_fallback_svg(points, title)),
            "headers": ["", item.get("unit", "")],
            "rows": rows,
        }


def add_charts(data: dict) -> dict:
    """The follow-up data with a `chart` on each indicator (None when too few points)."""
    for group in data["groups"]:
        for commitment in group["commitments"]:
            for item in commitment["indicators"]:
                item["chart"] = indicator_chart(item)
    return data
