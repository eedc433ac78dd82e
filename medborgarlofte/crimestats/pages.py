"""What the internal and the public statistics pages show: the summary and its charts."""

import math
from datetime import date

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from medborgarlofte.reports.charts import STYLE, bar_chart, line_chart

from . import queries
from .forms import PeriodForm
from .peers import peer_comparison
from .summary import build_summary, source_text

MONTHS = [date(2000, m, 1) for m in range(1, 13)]


def period_from_request(municipality, params) -> tuple[int, int, PeriodForm]:
    """The years asked for, or the latest four years with data."""
    years = queries.available_years(municipality)
    last = years[-1] if years else timezone.localdate().year - 1
    initial = {"year_from": max(years[0], last - 3) if years else last - 3, "year_to": last}
    form = PeriodForm(params if "year_from" in params else None, initial=initial)
    if form.is_bound and form.is_valid():
        return form.cleaned_data["year_from"], form.cleaned_data["year_to"], form
    return initial["year_from"], initial["year_to"], form


def _rate_chart(summary, item):
    names = {
        "county": summary.municipality.county.name,
        "sweden": _("Sweden"),
        "similar": _("Similar kommuner"),
    }
    series = {summary.municipality.name: [(str(y), item.rates.get(y)) for y in summary.years]}
    styles = [STYLE["kommun"]]
    for key, label in names.items():
        if item.comparison.get(key):
            series[label] = [(str(y), item.comparison[key].get(y)) for y in summary.years]
            styles.append(STYLE[key])
    return line_chart(
        series,
        title=_("%(category)s: reported crimes per 100 000 inhabitants") % {"category": item.name},
        description=_(
            "Rate per year in %(kommun)s compared with the county, Sweden and similar kommuner."
        )
        % {"kommun": summary.municipality.name},
        x_label=_("Year"),
        y_label=_("per 100 000 inhabitants"),
        styles=styles,
    )


def _monthly_chart(summary, item):
    months = sorted(item.monthly)
    if len(months) < 13:
        return None
    rolling = item.rolling
    labels = [(f"{y}-{m:02d}", (y, m)) for y, m in months]
    return line_chart(
        {
            _("Per month"): [(label, item.monthly.get(key)) for label, key in labels],
            _("Rolling 12 months ÷ 12"): [
                (label, rolling[key] / 12 if key in rolling else None) for label, key in labels
            ],
        },
        title=_("%(category)s: reported crimes per month") % {"category": item.name},
        description=_("Monthly counts and the rolling 12-month average in %(kommun)s.")
        % {"kommun": summary.municipality.name},
        x_label=_("Month"),
        y_label=_("reported crimes"),
        styles=[STYLE["kommun"], STYLE["derived"]],
    )


def _seasonal_chart(item):
    profile = item.seasonal
    if profile is None:
        return None
    return bar_chart(
        [(date_format(MONTHS[m - 1], "b"), profile[m]) for m in range(1, 13)],
        title=_("%(category)s: seasonal profile") % {"category": item.name},
        description=_("Each month's share of the year's crimes × 12; 1.0 is an average month."),
        x_label=_("Month"),
        y_label=_("relative to an average month"),
        decimals=2,
        reference=1.0,
    )


def _shown(value) -> str:
    if value is None or math.isinf(value):
        return "∞"
    return number_format(value, decimal_pos=2, use_l10n=True)


def change_display(change) -> dict | None:
    """The rate ratio and its interval as text (∞ for an unbounded upper limit)."""
    if change is None or change.ratio is None:
        return None
    return {"ratio": _shown(change.ratio), "low": _shown(change.low), "high": _shown(change.high)}


def page_context(municipality, params, *, peers: bool = False) -> dict:
    """peers: add the SKR kommungrupp comparison (the staff page; peers.py)."""
    year_from, year_to, form = period_from_request(municipality, params)
    summary = build_summary(municipality, year_from, year_to)
    peer = peer_comparison(summary) if peers else None
    blocks = []
    for item in summary.categories:
        block = {"item": item, "charts": [], "change": change_display(item.change)}
        if item.linked and item.counts:
            block["charts"] = [
                c
                for c in (
                    _rate_chart(summary, item),
                    _monthly_chart(summary, item),
                    _seasonal_chart(item),
                )
                if c
            ]
            block["rows"] = [
                {
                    "year": y,
                    "count": item.counts.get(y),
                    "population": summary.population.get(y),
                    "rate": item.rates.get(y),
                    "county": item.comparison["county"].get(y),
                    "sweden": item.comparison["sweden"].get(y),
                    "similar": item.comparison["similar"].get(y),
                    "peer": peer["by_category"].get(item.category.pk, {}).get(y) if peer else None,
                }
                for y in summary.years
            ]
        block["sources"] = [
            source_text(s["source"], s["preliminary"], s["imported_at"])
            for s in summary.sources
            if s["source"] == item.source and s["preliminary"] == item.preliminary
        ]
        blocks.append(block)
    kpis = queries.kpi_values(municipality, year_from, year_to)
    return {
        "municipality": municipality,
        "summary": summary,
        "blocks": blocks,
        "peer": peer,
        "form": form,
        "population_sources": sorted(set(summary.population_sources.values())),
        "kpi_values": kpis,
        "kpi_gender_split": any(v.women or v.men for v in kpis),
    }
