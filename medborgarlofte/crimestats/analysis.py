"""The statistics behind the pages: plain functions on plain data (no ORM, no HTML).

Formulas are in docs/statistics.md. Counts are reported crimes; populations are the
kommun's inhabitants on 31 December of the same year (SCB).
"""

import math
from dataclasses import dataclass

from scipy.stats import beta

PER = 100_000
SMALL_COUNT = 20  # below this a count's relative standard error (1/√n) exceeds ~22 %
CONFIDENCE = 0.95


def rate(count: int | None, population: int | None, per: int = PER) -> float | None:
    """Crimes per `per` inhabitants; None when either figure is missing or population is 0."""
    if count is None or not population:
        return None
    return count * per / population


@dataclass(frozen=True)
class RateRatio:
    """The rate in the later period divided by the rate in the earlier one, with its interval."""

    ratio: float | None
    low: float | None
    high: float | None
    count_from: int
    count_to: int

    @property
    def significant(self) -> bool:
        """True only when the interval excludes 1."""
        if self.low is None or self.high is None:
            return False
        return self.low > 1 or self.high < 1

    @property
    def percent_change(self) -> float | None:
        return None if self.ratio is None or math.isinf(self.ratio) else (self.ratio - 1) * 100


def clopper_pearson(x: int, n: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Exact binomial interval for a proportion x/n (n > 0)."""
    alpha = 1 - confidence
    low = 0.0 if x == 0 else float(beta.ppf(alpha / 2, x, n - x + 1))
    high = 1.0 if x == n else float(beta.ppf(1 - alpha / 2, x + 1, n - x))
    return low, high


def _odds_to_ratio(p: float, scale: float) -> float:
    if p >= 1:
        return math.inf
    return p / (1 - p) * scale


def rate_ratio(
    count_to: int,
    population_to: int,
    count_from: int,
    population_from: int,
    confidence: float = CONFIDENCE,
) -> RateRatio:
    """Rate ratio RR = (x1/P1)/(x2/P2) with the exact conditional interval.

    Given n = x1 + x2, x1 ~ Binomial(n, π) with π = P1·RR / (P1·RR + P2), so
    RR = π/(1−π) · P2/P1. The Clopper–Pearson bounds of π give the bounds of RR.
    x1 = 0 gives ratio 0 and lower bound 0; x2 = 0 gives an infinite ratio and upper
    bound; n = 0 gives no estimate at all.
    """
    x1, x2, p1, p2 = count_to, count_from, population_to, population_from
    if min(x1, x2) < 0 or p1 <= 0 or p2 <= 0:
        raise ValueError("counts must be ≥ 0 and populations > 0")
    n = x1 + x2
    if n == 0:
        return RateRatio(None, None, None, x2, x1)
    scale = p2 / p1
    low_p, high_p = clopper_pearson(x1, n, confidence)
    ratio = math.inf if x2 == 0 else (x1 / p1) / (x2 / p2)
    return RateRatio(ratio, _odds_to_ratio(low_p, scale), _odds_to_ratio(high_p, scale), x2, x1)


def yearly_from_months(monthly: dict[tuple[int, int], int]) -> dict[int, int]:
    """Sum of the months per year, for complete years only (all 12 months present)."""
    years: dict[int, list[int]] = {}
    for (year, _month), count in monthly.items():
        years.setdefault(year, []).append(count)
    return {year: sum(counts) for year, counts in sorted(years.items()) if len(counts) == 12}


def month_range(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    months, (year, month) = [], first
    while (year, month) <= last:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def rolling_12(monthly: dict[tuple[int, int], int]) -> dict[tuple[int, int], int]:
    """For each month, the sum of it and the 11 months before; only where all 12 exist."""
    if not monthly:
        return {}
    months = month_range(min(monthly), max(monthly))
    out = {}
    for index in range(11, len(months)):
        window = months[index - 11 : index + 1]
        if all(m in monthly for m in window):
            out[months[index]] = sum(monthly[m] for m in window)
    return out


def seasonal_profile(monthly: dict[tuple[int, int], int]) -> dict[int, float] | None:
    """Per calendar month: its share of its year's crimes × 12, averaged over complete years.

    1.0 = an average month; 1.3 = 30 % above. None without a complete year with crimes.
    """
    yearly = yearly_from_months(monthly)
    years = [y for y, total in yearly.items() if total > 0]
    if not years:
        return None
    return {
        month: sum(monthly[(y, month)] * 12 / yearly[y] for y in years) / len(years)
        for month in range(1, 13)
    }


def small_numbers(counts) -> bool:
    """True when any of the counts is below SMALL_COUNT (rates then swing by chance)."""
    return any(c is not None and c < SMALL_COUNT for c in counts)


def area_rate(counts: dict[str, int], populations: dict[str, int], per: int = PER) -> float | None:
    """Rate of a group of kommuner: Σ counts / Σ populations over kommuner having both."""
    codes = [c for c in counts if counts[c] is not None and populations.get(c)]
    if not codes:
        return None
    return sum(counts[c] for c in codes) * per / sum(populations[c] for c in codes)


def similar_kommuner(code: str, populations: dict[str, int], how_many: int = 10) -> list[str]:
    """The kommuner nearest in population (on a log scale), excluding `code`; ties by code."""
    if code not in populations or populations[code] <= 0:
        return []
    own = math.log(populations[code])
    others = [(abs(math.log(p) - own), c) for c, p in populations.items() if c != code and p > 0]
    return [c for _d, c in sorted(others)[:how_many]]
