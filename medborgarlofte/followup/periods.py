"""Calendar arithmetic for follow-up: tertials, the year, and cadence buckets.

A cadence bucket is one occurrence a commitment promises: an ISO week for `weekly`, a
calendar month, tertial (Jan–Apr, May–Aug, Sep–Dec), quarter, half year or year.
A bucket belongs to a period when its anchor date lies in the period: the Thursday for
ISO weeks (so a year has the 52 or 53 weeks of its ISO year, as in "47 av 52 veckor"),
the first day for the calendar buckets.
"""

import datetime
from dataclasses import dataclass

TERTIALS = {"t1": (1, 4), "t2": (5, 8), "t3": (9, 12)}
PERIOD_KEYS = ("t1", "t2", "t3", "year")
# Cadences with an expected count per period; the others have none.
COUNTED_CADENCES = ("weekly", "monthly", "tertial", "quarterly", "half_year", "yearly")
UNCOUNTED_CADENCES = ("continuous", "as_needed", "once")
MONTHS_PER_BUCKET = {"monthly": 1, "quarterly": 3, "tertial": 4, "half_year": 6, "yearly": 12}
# Days after a period's end when its follow-up is due (the yearly one in Q1).
DUE_AFTER_END = {"t1": 14, "t2": 14, "t3": 14, "year": 90}


@dataclass(frozen=True)
class Bucket:
    key: str  # "2024-W07", "2024-03", "2024-T2", …
    start: datetime.date
    end: datetime.date  # inclusive


def month_end(year: int, month: int) -> datetime.date:
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def period_range(year: int, key: str) -> tuple[datetime.date, datetime.date]:
    if key == "year":
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    first, last = TERTIALS[key]
    return datetime.date(year, first, 1), month_end(year, last)


def period_of(day: datetime.date) -> str:
    return next(key for key, (first, last) in TERTIALS.items() if first <= day.month <= last)


def due_date(year: int, key: str) -> datetime.date:
    return period_range(year, key)[1] + datetime.timedelta(days=DUE_AFTER_END[key])


def next_due(year: int, today: datetime.date, done: set[str]) -> tuple[str, datetime.date] | None:
    """The next follow-up of the year not yet published, with its due date."""
    pending = [(due_date(year, key), key) for key in PERIOD_KEYS if key not in done]
    if not pending:
        return None
    upcoming = [item for item in pending if item[0] >= today] or pending
    day, key = min(upcoming)
    return key, day


def _weeks(start: datetime.date, end: datetime.date) -> list[Bucket]:
    monday = start - datetime.timedelta(days=start.weekday())
    buckets = []
    while monday <= end:
        thursday = monday + datetime.timedelta(days=3)
        if start <= thursday <= end:
            iso = thursday.isocalendar()
            buckets.append(
                Bucket(f"{iso.year}-W{iso.week:02d}", monday, monday + datetime.timedelta(days=6))
            )
        monday += datetime.timedelta(days=7)
    return buckets


def _months(start: datetime.date, end: datetime.date, size: int, cadence: str) -> list[Bucket]:
    buckets = []
    year, month = start.year, 1
    while True:
        first = datetime.date(year, month, 1)
        if first > end:
            break
        last_month = month + size - 1
        if first >= start:
            number = (month - 1) // size + 1
            key = {
                "monthly": f"{year}-{month:02d}",
                "quarterly": f"{year}-Q{number}",
                "tertial": f"{year}-T{number}",
                "half_year": f"{year}-H{number}",
                "yearly": f"{year}",
            }[cadence]
            buckets.append(Bucket(key, first, month_end(year, last_month)))
        month += size
        if month > 12:
            year, month = year + 1, 1
    return buckets


def buckets(cadence: str, start: datetime.date, end: datetime.date) -> list[Bucket]:
    """The cadence's buckets anchored in [start, end]; [] for cadences without a count."""
    if cadence == "weekly":
        return _weeks(start, end)
    if cadence in MONTHS_PER_BUCKET:
        return _months(start, end, MONTHS_PER_BUCKET[cadence], cadence)
    return []


def bucket_of(cadence: str, day: datetime.date, all_buckets: list[Bucket]) -> str | None:
    for bucket in all_buckets:
        if bucket.start <= day <= bucket.end:
            return bucket.key
    return None
