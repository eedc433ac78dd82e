"""The tertial analysis (four-month trends) from the same incident data.

Tertials: 1 = January–April, 2 = May–August, 3 = September–December. Each category's
count is compared with the same tertial a year earlier: rate ratio RR = a / b (same
length of time, same kommun) with an exact 95 % interval from the conditional binomial
(a | a + b ~ Bin(a + b, RR / (1 + RR)), Clopper–Pearson). The change is called
significant only when the interval excludes 1.
"""

import datetime
from collections import Counter, defaultdict

from scipy.stats import beta

from .models import Incident, IncidentCategory

TERTIAL_MONTHS = {1: (1, 4), 2: (5, 8), 3: (9, 12)}


def tertial_range(year: int, tertial: int) -> tuple[datetime.date, datetime.date]:
    first, last = TERTIAL_MONTHS[tertial]
    start = datetime.date(year, first, 1)
    end = datetime.date(year + 1, 1, 1) if last == 12 else datetime.date(year, last + 1, 1)
    return start, end


def tertial_of(day: datetime.date) -> int:
    return (day.month - 1) // 4 + 1


def rate_ratio_interval(a: int, b: int, level: float = 0.95):
    """(RR, low, high); None where undefined (b = 0 gives an infinite upper bound)."""
    n = a + b
    if n == 0:
        return None, None, None
    alpha = 1 - level
    p_low = beta.ppf(alpha / 2, a, n - a + 1) if a > 0 else 0.0
    p_high = beta.ppf(1 - alpha / 2, a + 1, n - a) if a < n else 1.0
    low = p_low / (1 - p_low)
    high = p_high / (1 - p_high) if p_high < 1 else None
    return (a / b if b else None), low, high


def tertial_analysis(municipality, year: int, tertial: int) -> dict:
    start, end = tertial_range(year, tertial)
    before_start, before_end = tertial_range(year - 1, tertial)
    rows = (
        Incident.objects.filter(municipality=municipality)
        .exclude(status=Incident.Status.DUPLICATE)
        .filter(date__gte=before_start, date__lt=end)
        .values_list("date", "category_id", "place__name", "is_example")
    )
    now, before = Counter(), Counter()
    monthly = defaultdict(Counter)
    places = Counter()
    has_examples = False
    for date, category_id, place_name, example in rows:
        if start <= date < end:
            now[category_id] += 1
            monthly[category_id][date.month] += 1
            places[place_name or ""] += 1
            has_examples = has_examples or example
        elif before_start <= date < before_end:
            before[category_id] += 1
    months = list(range(TERTIAL_MONTHS[tertial][0], TERTIAL_MONTHS[tertial][1] + 1))
    categories = []
    for category in IncidentCategory.objects.filter(municipality=municipality):
        a, b = now[category.pk], before[category.pk]
        if not a and not b:
            continue
        ratio, low, high = rate_ratio_interval(a, b)
        significant = low is not None and (low > 1 or (high is not None and high < 1))
        categories.append(
            {
                "category": category,
                "count": a,
                "previous": b,
                "months": [monthly[category.pk][m] for m in months],
                "ratio": ratio,
                "low": low,
                "high": high,
                "significant": significant,
            }
        )
    return {
        "year": year,
        "tertial": tertial,
        "start": start,
        "end": end - datetime.timedelta(days=1),
        "months": [datetime.date(year, m, 1) for m in months],
        "categories": categories,
        "total": sum(now.values()),
        "previous_total": sum(before.values()),
        "top_places": [(name, count) for name, count in places.most_common(10)],
        "has_examples": has_examples,
    }
