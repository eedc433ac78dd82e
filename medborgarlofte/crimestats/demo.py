"""Exempeldata: a seeded generator of realistic reported-crime counts for all 290 kommuner.

Real Brå figures cannot be downloaded on our machines, so the demo and the benchmark use
invented counts: for each kommun and category a Poisson count per month whose mean is
the category's national rate × the kommun's population, times a kommun-specific level
(log-normal), a seasonal curve and a yearly trend. Every page, chart and export that
shows them says "Exempeldata" (source `demo`). The same seed gives the same numbers.
"""

import math

import numpy as np

from medborgarlofte.kommuner.models import Municipality, Population

from . import analysis
from .importers.writing import write_statistics

SEED = 20241212
DEMO_YEARS = range(2021, 2025)
POPULATION_SOURCE = "Exempeldata: framräknad från SCB:s folkmängd 2024"
# Reported crimes per 100 000 inhabitants and year (rounded national levels), and yearly trend.
RATES = {
    "samtliga-brott": (14000, 0.01),
    "brott-mot-brottsbalken": (10500, 0.01),
    "brott-mot-person": (3000, 0.0),
    "brott-mot-liv-och-halsa": (850, -0.01),
    "misshandel": (780, -0.01),
    "brott-mot-frihet-och-frid": (1700, 0.02),
    "sexualbrott": (250, 0.0),
    "stold-ran-mm": (4300, -0.02),
    "stold-genom-inbrott": (420, -0.05),
    "inbrottsstold-i-bostad": (130, -0.06),
    "butiksstold": (650, 0.03),
    "bedrageri-och-annan-oredlighet": (2300, 0.12),
    "skadegorelsebrott": (1700, -0.01),
    "klotter": (500, -0.02),
    "specialstraffratt": (3500, 0.0),
    "trafikbrott": (600, 0.0),
    "narkotikabrott": (900, 0.02),
    "valdsbrott": (700, -0.01),
    "valdsbrott-i-nara-relation": (250, 0.03),
}
DEFAULT_RATE = (40, 0.0)
# Month of the seasonal peak (summer for most crimes, winter for burglary and fraud).
PEAK_MONTH = {
    "stold-genom-inbrott": 1,
    "inbrottsstold-i-bostad": 1,
    "bedrageri-och-annan-oredlighet": 11,
}


def _season(slug: str) -> np.ndarray:
    peak = PEAK_MONTH.get(slug, 7)
    months = np.arange(1, 13)
    curve = 1 + 0.15 * np.cos(2 * math.pi * (months - peak) / 12)
    return curve / curve.mean()


def kommun_counts(code: str, population: int, categories, years, seed: int = SEED) -> np.ndarray:
    """Counts with shape (categories, years, 12) for one kommun."""
    rng = np.random.default_rng([seed, int(code)])
    out = np.zeros((len(categories), len(years), 12), dtype=np.int64)
    for i, slug in enumerate(categories):
        rate, trend = RATES.get(slug, DEFAULT_RATE)
        level = rng.lognormal(0, 0.25)
        for j, year in enumerate(years):
            mean = rate * population / analysis.PER * level * (1 + trend) ** (year - 2020) / 12
            out[i, j] = rng.poisson(mean * _season(slug))
    return out


def generate_rows(
    populations: dict[str, int], categories: dict[str, int], years, *, monthly=True, seed=SEED
):
    """Tidy rows (kommunkod, category id, year, month or None, count, status) for every kommun."""
    slugs = list(categories)
    years = list(years)
    for code in sorted(populations):
        counts = kommun_counts(code, populations[code], slugs, years, seed)
        for i, slug in enumerate(slugs):
            for j, year in enumerate(years):
                if monthly:
                    for month in range(12):
                        yield (
                            code,
                            categories[slug],
                            year,
                            month + 1,
                            int(counts[i, j, month]),
                            "final",
                        )
                else:
                    yield (code, categories[slug], year, None, int(counts[i, j].sum()), "final")


def demo_populations(years) -> dict[tuple[str, int], int]:
    """Population per kommun and year: SCB 2024 where present, else back-projected 0.5 %/year."""
    real = dict(
        Population.objects.filter(year=2024).values_list("municipality__code", "population")
    )
    return {
        (code, year): round(p * (1 - 0.005 * (2024 - year)))
        for code, p in real.items()
        for year in years
    }


def _ensure_populations(years) -> None:
    existing = set(
        Population.objects.filter(year__in=list(years)).values_list("municipality__code", "year")
    )
    ids = dict(Municipality.objects.values_list("code", "pk"))
    Population.objects.bulk_create(
        [
            Population(
                municipality_id=ids[code], year=year, population=value, source=POPULATION_SOURCE
            )
            for (code, year), value in demo_populations(years).items()
            if (code, year) not in existing
        ]
    )


def load_crimestats_demo(code: str = "0642", years=DEMO_YEARS) -> int:
    """Exempeldata for the demo: monthly for the kommun, its county and similar kommuner;
    yearly totals for all kommuner (so county and Sweden comparisons are complete).
    Loading twice changes nothing (the run is recognised by its hash)."""
    from .models import CrimeCategory
    from .queries import DEFAULT_CATEGORY_SLUGS

    years = list(years)
    _ensure_populations(years)
    slugs = list(dict.fromkeys([*DEFAULT_CATEGORY_SLUGS, *RATES]))
    categories = dict(CrimeCategory.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    latest = dict(
        Population.objects.filter(year=max(years)).values_list("municipality__code", "population")
    )
    kommun = Municipality.objects.select_related("county").get(code=code)
    close = {code, *analysis.similar_kommuner(code, latest)}
    close |= set(Municipality.objects.filter(county=kommun.county).values_list("code", flat=True))
    monthly = generate_rows({c: latest[c] for c in sorted(close) if c in latest}, categories, years)
    yearly = generate_rows(latest, categories, years, monthly=False)  # the sums of the months
    rows = [*monthly, *yearly]
    marker = f"medborgarlofte demo v1 {code} {years[0]}-{years[-1]} seed {SEED}".encode()
    result = write_statistics(rows, data=marker, file_name="Exempeldata (genererad)", source="demo")
    return result.created
