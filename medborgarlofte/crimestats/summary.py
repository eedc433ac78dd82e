"""One kommun's crime statistics for a range of years: the figures every output shows.

build_summary() gathers the rows (queries.py) and computes with analysis.py; the page,
the public page, the CSV/JSON downloads and `crime_summary` all render its result.
"""

import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import analysis, queries
from .models import Source
from .priorities import Priorities, priorities_for

SOURCE_PREFERENCE = ["bra", "tidy", "demo"]
SOURCE_NAMES = {
    "bra": "Brå",
    "tidy": gettext_lazy("own file"),
    "demo": gettext_lazy("Example data"),
    "kolada": "Kolada",
}


@dataclass
class CategorySummary:
    name: str
    category: object | None
    source: str = ""
    counts: dict = field(default_factory=dict)
    rates: dict = field(default_factory=dict)
    monthly: dict = field(default_factory=dict)
    preliminary: bool = False
    runs: set = field(default_factory=set)
    comparison: dict = field(default_factory=dict)  # "county"/"sweden"/"similar" → {year: rate}
    change: analysis.RateRatio | None = None
    change_years: tuple | None = None

    @property
    def linked(self) -> bool:
        return self.category is not None

    @property
    def small_numbers(self) -> bool:
        return analysis.small_numbers(self.counts.values())

    @property
    def rolling(self) -> dict:
        return analysis.rolling_12(self.monthly)

    @property
    def seasonal(self) -> dict | None:
        return analysis.seasonal_profile(self.monthly)


@dataclass
class Summary:
    municipality: object
    year_from: int
    year_to: int
    categories: list
    population: dict
    population_sources: dict
    similar: list
    sources: list
    priorities_from: str | None  # title of the agreement version, None for the defaults

    @property
    def years(self) -> list[int]:
        return list(range(self.year_from, self.year_to + 1))

    @property
    def example_data(self) -> bool:
        return any(c.source == Source.DEMO for c in self.categories) or any(
            "Exempeldata" in s or "Example data" in s for s in self.population_sources.values()
        )


def _pick_source(rows) -> str:
    present = {row[6] for row in rows}
    return next((s for s in SOURCE_PREFERENCE if s in present), "")


def _fill_counts(item: CategorySummary, rows, years) -> None:
    """Yearly counts from yearly rows, else from 12 monthly rows; monthly series kept."""
    item.source = _pick_source(rows)
    yearly = {}
    for _m, _c, year, month, count, status, source, run_id in rows:
        if source != item.source:
            continue
        item.runs.add(run_id)
        item.preliminary |= status == "prel"
        if month is None:
            yearly[year] = count
        else:
            item.monthly[(year, month)] = count
    from_months = analysis.yearly_from_months(item.monthly)
    item.counts = {
        y: yearly.get(y, from_months.get(y)) for y in years if y in yearly or y in from_months
    }


def _area_rates(totals, category_id, source, area, codes, pops, years) -> dict:
    """Rates of a county or Sweden, when every kommun of the area has data for the year."""
    yearly, monthly = {}, {}
    for a, c, year, month, s, count, kommuner in totals:
        if a != area or c != category_id or s != source or kommuner < len(codes):
            continue
        if month == 0:
            yearly[year] = count
        else:
            monthly[(year, month)] = count
    counts = {**analysis.yearly_from_months(monthly), **yearly}
    out = {}
    for year in years:
        population = [pops.get((code, year), (None,))[0] for code in codes]
        if year in counts and all(population):
            out[year] = analysis.rate(counts[year], sum(population))
    return out


def _similar_rates(rows, category_id, source, similar_ids, pops, years) -> dict:
    by_kommun: dict[str, dict] = {code: {} for code in similar_ids}
    for code, pk in similar_ids.items():
        kommun_rows = [r for r in rows if r[0] == pk and r[1] == category_id and r[6] == source]
        item = CategorySummary(name="", category=None)
        _fill_counts(item, kommun_rows, years)
        by_kommun[code] = item.counts
    out = {}
    for year in years:
        counts = {code: counts.get(year) for code, counts in by_kommun.items()}
        population = {code: pops.get((code, year), (None,))[0] for code in by_kommun}
        value = analysis.area_rate(counts, population)
        if value is not None:
            out[year] = value
    return out


def _change(item: CategorySummary, population: dict, year_from: int, year_to: int) -> None:
    """Rate ratio between the first and last year in the range that have count and population."""
    usable = [y for y in sorted(item.counts) if item.counts[y] is not None and population.get(y)]
    if len(usable) < 2:
        return
    first, last = usable[0], usable[-1]
    item.change_years = (first, last)
    item.change = analysis.rate_ratio(
        item.counts[last], population[last], item.counts[first], population[first]
    )


def build_summary(
    municipality, year_from: int, year_to: int, priorities: Priorities | None = None
) -> Summary:
    """priorities: the kommun's priority categories; by default those the agreements
    provide (crimestats/priorities.py)."""
    if priorities is None:
        priorities = priorities_for(municipality)
    items, priorities_from = queries.priority_categories(priorities)
    years = list(range(year_from, year_to + 1))
    pops = queries.populations(year_from, year_to)
    population = {
        y: pops[(municipality.code, y)][0] for y in years if (municipality.code, y) in pops
    }
    newest = max((y for (_c, y) in pops), default=0)
    latest = {code: p for (code, y), (p, _s) in pops.items() if y == newest}
    similar_codes = analysis.similar_kommuner(municipality.code, latest)
    similar_ids = queries.municipality_ids(similar_codes)
    category_ids = {i["category"].pk for i in items if i["category"] is not None}
    rows = queries.statistic_rows(
        [municipality.pk, *similar_ids.values()], category_ids, year_from, year_to
    )
    county = municipality.county.code
    county_codes = queries.kommuner_by_county()
    all_codes = [c for codes in county_codes.values() for c in codes]
    totals = queries.area_totals([county, "SE"], category_ids, year_from, year_to)
    categories = []
    for entry in items:
        item = CategorySummary(name=entry["name"], category=entry["category"])
        categories.append(item)
        if item.category is None:
            continue
        own = [r for r in rows if r[0] == municipality.pk and r[1] == item.category.pk]
        _fill_counts(item, own, years)
        item.rates = {y: analysis.rate(c, population.get(y)) for y, c in item.counts.items()}
        args = (totals, item.category.pk, item.source)
        item.comparison = {
            "county": _area_rates(*args, county, county_codes.get(county, []), pops, years),
            "sweden": _area_rates(*args, "SE", all_codes, pops, years),
            "similar": _similar_rates(
                rows, item.category.pk, item.source, similar_ids, pops, years
            ),
        }
        _change(item, population, year_from, year_to)
    names = queries.municipality_names(similar_codes)
    return Summary(
        municipality=municipality,
        year_from=year_from,
        year_to=year_to,
        categories=categories,
        population=population,
        population_sources={y: pops[(municipality.code, y)][1] for y in population},
        similar=[(code, names.get(code, code)) for code in similar_codes],
        sources=_sources(categories),
        priorities_from=priorities_from,
    )


def _sources(categories) -> list[dict]:
    runs = queries.import_runs({r for c in categories for r in c.runs if r})
    out = {}
    for item in categories:
        for run_id in item.runs:
            run = runs.get(run_id)
            if run is None:
                continue
            key = (item.source, item.preliminary)
            current = out.get(key)
            if current is None or run.at > current["imported_at"]:
                out[key] = {
                    "source": item.source,
                    "preliminary": item.preliminary,
                    "imported_at": run.at,
                    "file": run.file_name,
                }
    return sorted(out.values(), key=lambda s: (s["source"], s["preliminary"]))


def source_text(source: str, preliminary: bool, imported_at, prefix: bool = True) -> str:
    """ "Källa: Brå, preliminära uppgifter, importerade 2026-11-12"; prefix=False leaves
    out "Källa:" for a caller that writes it itself (once)."""
    status = _("preliminary figures") if preliminary else _("final figures")
    text = (
        _("Source: %(source)s, %(status)s, imported %(date)s")
        if prefix
        else _("%(source)s, %(status)s, imported %(date)s")
    )
    return text % {
        "source": SOURCE_NAMES.get(source, source),
        "status": status,
        "date": f"{imported_at:%Y-%m-%d}",
    }


def _number(value):
    if value is None or (isinstance(value, float) and (math.isinf(value) or math.isnan(value))):
        return None
    return round(value, 4) if isinstance(value, float) else value


def to_json(summary: Summary) -> dict:
    """The crime_summary JSON: per category name, counts, rates, change; population, sources."""
    categories = []
    for item in summary.categories:
        change = None
        if item.change is not None:
            change = {
                "from": item.change_years[0],
                "to": item.change_years[1],
                "rate_ratio": _number(item.change.ratio),
                "ci_low": _number(item.change.low),
                "ci_high": _number(item.change.high),
                "significant": item.change.significant,
            }
        categories.append(
            {
                "name": item.name,
                "category": item.category.slug if item.category else None,
                "counts": {str(y): c for y, c in sorted(item.counts.items())},
                "rates": {str(y): _number(r) for y, r in sorted(item.rates.items())},
                "change": change,
            }
        )
    return {
        "municipality": summary.municipality.code,
        "from": summary.year_from,
        "to": summary.year_to,
        "example_data": summary.example_data,
        "categories": categories,
        "population": {str(y): p for y, p in sorted(summary.population.items())},
        "sources": [
            {
                "source": s["source"],
                "preliminary": s["preliminary"],
                "imported": f"{s['imported_at']:%Y-%m-%d}",
                "file": s["file"],
                "text": source_text(s["source"], s["preliminary"], s["imported_at"]),
            }
            for s in summary.sources
        ],
    }
