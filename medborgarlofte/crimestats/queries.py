"""Read queries for the statistics pages, the public page and crime_summary.

All reads are by kommun (or a handful of kommuner) through the index that starts with
the kommun, or on the small precomputed county/national totals, so their cost follows
one kommun's rows and not the national table.
"""

from medborgarlofte.kommuner.models import Municipality, Population

from .models import AreaTotal, CrimeCategory, CrimeStatistic, ImportRun, KpiValue

# Shown when a kommun has no agreement with priority categories yet.
DEFAULT_CATEGORY_SLUGS = [
    "samtliga-brott",
    "brott-mot-person",
    "stold-ran-mm",
    "skadegorelsebrott",
    "bedrageri-och-annan-oredlighet",
    "narkotikabrott",
    "trafikbrott",
]


def municipality_by_code(code: str) -> Municipality | None:
    return Municipality.objects.select_related("county").filter(code=code).first()


def priority_categories(priorities) -> tuple[list[dict], str | None]:
    """The given priority categories (crimestats.priorities.Priorities, passed in: they
    come from the kommun's latest agreement), else the defaults.

    Returns (items, source) where each item is {"name", "category" (or None when the
    name is not linked to statistics)} and source is the title of the agreement version
    they come from, or None for the defaults.
    """
    from .taxonomy import match_category

    if priorities is not None:
        items = [
            {"name": name, "category": category or match_category(name)}
            for name, category in priorities.names
        ]
        if items:
            return items, priorities.source
    by_slug = {c.slug: c for c in CrimeCategory.objects.filter(slug__in=DEFAULT_CATEGORY_SLUGS)}
    return [
        {"name": by_slug[s].name, "category": by_slug[s]}
        for s in DEFAULT_CATEGORY_SLUGS
        if s in by_slug
    ], None


def statistic_rows(municipality_ids, category_ids, year_from: int, year_to: int) -> list[tuple]:
    """(kommun id, category id, year, month, count, status, source, import run id) rows."""
    return list(
        CrimeStatistic.objects.filter(
            municipality_id__in=list(municipality_ids),
            category_id__in=list(category_ids),
            year__gte=year_from,
            year__lte=year_to,
        ).values_list(
            "municipality_id",
            "category_id",
            "year",
            "month",
            "count",
            "status",
            "source",
            "import_run_id",
        )
    )


def area_totals(areas, category_ids, year_from: int, year_to: int) -> list[tuple]:
    """(area, category id, year, month (0 = year), source, count, kommuner) rows."""
    return list(
        AreaTotal.objects.filter(
            area__in=list(areas),
            category_id__in=list(category_ids),
            year__gte=year_from,
            year__lte=year_to,
        ).values_list("area", "category_id", "year", "month", "source", "count", "municipalities")
    )


def populations(year_from: int, year_to: int) -> dict[tuple[str, int], tuple[int, str]]:
    """(kommunkod, year) → (population, source) for every kommun (at most 290 rows a year)."""
    return {
        (code, year): (population, source)
        for code, year, population, source in Population.objects.filter(
            year__gte=year_from, year__lte=year_to
        ).values_list("municipality__code", "year", "population", "source")
    }


def kommuner_by_county() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for code, county in Municipality.objects.values_list("code", "county__code"):
        out.setdefault(county, []).append(code)
    return out


def kommuner_in_group(group: str, exclude: str = "") -> dict[str, int]:
    """{code: pk} of the kommuner of an SKR kommungrupp, but `exclude`."""
    return dict(
        Municipality.objects.filter(kommungrupp=group)
        .exclude(code=exclude)
        .values_list("code", "pk")
    )


def municipality_ids(codes) -> dict[str, int]:
    return dict(Municipality.objects.filter(code__in=list(codes)).values_list("code", "pk"))


def municipality_names(codes) -> dict[str, str]:
    return dict(Municipality.objects.filter(code__in=list(codes)).values_list("code", "name"))


def import_runs(ids) -> dict[int, ImportRun]:
    return ImportRun.objects.in_bulk(list(ids))


def kpi_values(municipality, year_from: int, year_to: int) -> list[KpiValue]:
    """The totals (gender T), each with `.women` and `.men` (a KpiValue or None) beside it:
    Kolada's K and M rows where Kolada has them (issue 15)."""
    found = list(
        KpiValue.objects.filter(municipality=municipality, year__gte=year_from, year__lte=year_to)
        .select_related("import_run")
        .order_by("kpi", "year")
    )
    split = {(v.kpi, v.year, v.gender): v for v in found if v.gender != "T"}
    totals = [v for v in found if v.gender == "T"]
    for value in totals:
        value.women = split.get((value.kpi, value.year, "K"))
        value.men = split.get((value.kpi, value.year, "M"))
    return totals


def available_years(municipality) -> list[int]:
    return sorted(
        CrimeStatistic.objects.filter(municipality=municipality)
        .values_list("year", flat=True)
        .distinct()
    )
