"""Calendar arithmetic for follow-up: the follow-up rhythm, its periods, and cadence buckets.

**Rhythm.** An agreement is followed up in the rhythm its follow-up plan names
(AgreementVersion.follow_up_schedule): per tertial (t1–t3, Jan–Apr, May–Aug, Sep–Dec),
quarter (q1–q4), half year (h1, h2), only per year, or at dates of its own choosing (a
list of ISO dates: the follow-up at date n covers the days since the one before, key
"dn" numbered within the calendar year). Every calendar year of the agreement's period
also has its yearly follow-up ("year"). A multi-year agreement (2021–2022) has these
periods for every year: the first year's keys are plain ("q1", "year"), a later year's
carry the year ("q1-2022", "year-2022"), so existing follow-ups keep their keys and one
agreement never has two follow-ups of the same period. Keys of other rhythms stay valid
(a follow-up saved per tertial before the plan changed still opens); the rhythm decides
which periods are expected (listed, reminded, due).

A cadence bucket is one occurrence a commitment promises: an ISO week for `weekly`, a
calendar month, tertial, quarter, half year or year.
A bucket belongs to a period when its anchor date lies in the period: the Thursday for
ISO weeks (so a year has the 52 or 53 weeks of its ISO year, as in "47 av 52 veckor"),
the first day for the calendar buckets.
"""

import datetime
import re
from dataclasses import dataclass

from medborgarlofte.agreements.schedule import SCHEDULE_ALIASES, schedule_word  # noqa: F401

TERTIALS = {"t1": (1, 4), "t2": (5, 8), "t3": (9, 12)}
MONTH_RANGES = {
    **TERTIALS,
    "q1": (1, 3),
    "q2": (4, 6),
    "q3": (7, 9),
    "q4": (10, 12),
    "h1": (1, 6),
    "h2": (7, 12),
    "year": (1, 12),
}
# The default rhythm (tertial), for agreements whose plan names none.
PERIOD_KEYS = ("t1", "t2", "t3", "year")
RHYTHM_KEYS = {
    "tertial": ("t1", "t2", "t3"),
    "quarter": ("q1", "q2", "q3", "q4"),
    "half_year": ("h1", "h2"),
    "year": (),
}
KEY_RE = re.compile(r"^(t[1-3]|q[1-4]|h[12]|d[1-9][0-9]?|year)(?:-([0-9]{4}))?$")
# Cadences with an expected count per period; the others have none.
COUNTED_CADENCES = ("weekly", "monthly", "tertial", "quarterly", "half_year", "yearly")
UNCOUNTED_CADENCES = ("continuous", "as_needed", "once")
MONTHS_PER_BUCKET = {"monthly": 1, "quarterly": 3, "tertial": 4, "half_year": 6, "yearly": 12}
# Days after a period's end when its follow-up is due (the yearly one in Q1; a follow-up
# at a date of the plan's choosing is due on that date).
DUE_AFTER_END = {"year": 90, "date": 0}
DUE_AFTER_PERIOD = 14


@dataclass(frozen=True)
class Bucket:
    key: str  # "2024-W07", "2024-03", "2024-T2", …
    start: datetime.date
    end: datetime.date  # inclusive


def month_end(year: int, month: int) -> datetime.date:
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def split_key(key: str) -> tuple[str, int | None]:
    """'q1-2022' → ('q1', 2022); 'q1' → ('q1', None). ValueError for anything else."""
    match = KEY_RE.match(key or "")
    if match is None:
        raise ValueError(f"not a follow-up period: {key!r}")
    return match.group(1), int(match.group(2)) if match.group(2) else None


def url_parts(key: str, first_year: int) -> tuple[int, str]:
    """A stored key as the follow-up URLs carry it: (calendar year, base).
    'q1-2022' → (2022, 'q1'); 'q1' of an agreement starting 2021 → (2021, 'q1')."""
    base, year = split_key(key)
    return year or first_year, base


def period_range(year: int, key: str) -> tuple[datetime.date, datetime.date]:
    """The months of a calendar period key (t1–t3, q1–q4, h1, h2, year) in `year`."""
    base, own_year = split_key(key)
    first, last = MONTH_RANGES[base]
    year = own_year or year
    return datetime.date(year, first, 1), month_end(year, last)


def period_of(day: datetime.date) -> str:
    return next(key for key, (first, last) in TERTIALS.items() if first <= day.month <= last)


def _due_after(base: str) -> int:
    if base.startswith("d"):
        return DUE_AFTER_END["date"]
    return DUE_AFTER_END.get(base, DUE_AFTER_PERIOD)


def due_date(year: int, key: str) -> datetime.date:
    return period_range(year, key)[1] + datetime.timedelta(days=_due_after(split_key(key)[0]))


def next_due(year: int, today: datetime.date, done: set[str]) -> tuple[str, datetime.date] | None:
    """The next follow-up of the year (default rhythm) not yet published, with its due date."""
    return Rhythm("tertial", (), year, year).next_due(today, done)


@dataclass(frozen=True)
class PeriodSpec:
    key: str  # as stored on the follow-up: "q1", "q1-2022", "d2", "year-2022"
    base: str  # "q1", "d2", "year" (the part the URL carries after the year)
    year: int  # the calendar year
    start: datetime.date
    end: datetime.date  # inclusive
    due: datetime.date


@dataclass(frozen=True)
class Rhythm:
    """The follow-up periods of one agreement (see the module docstring)."""

    word: str  # tertial | quarter | half_year | year | dates
    dates: tuple[datetime.date, ...]
    first_year: int
    last_year: int

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    def key_for(self, year: int, base: str) -> str:
        return base if year == self.first_year else f"{base}-{year}"

    def _dates_in(self, year: int) -> list[datetime.date]:
        return sorted(d for d in self.dates if d.year == year)

    def bases(self, year: int) -> list[str]:
        if self.word == "dates":
            subs = [f"d{n}" for n in range(1, len(self._dates_in(year)) + 1)]
        else:
            subs = list(RHYTHM_KEYS.get(self.word, RHYTHM_KEYS["tertial"]))
        return [*subs, "year"]

    def specs(self, year: int | None = None) -> list[PeriodSpec]:
        years = self.years if year is None else [year]
        return [self.spec(self.key_for(y, base)) for y in years for base in self.bases(y)]

    def keys(self, year: int | None = None) -> list[str]:
        return [spec.key for spec in self.specs(year)]

    def year_key(self, year: int | None = None) -> str:
        return self.key_for(year or self.first_year, "year")

    def spec(self, key: str) -> PeriodSpec | None:
        """The period of a stored key (or None when the key means nothing here)."""
        try:
            base, year = split_key(key)
        except ValueError:
            return None
        year = year or self.first_year
        if year == self.first_year and key != base:  # "q1-2021" of a 2021 agreement
            return None
        if not self.first_year <= year <= self.last_year:
            return None
        if base.startswith("d"):
            dates = self._dates_in(year)
            number = int(base[1:])
            if number > len(dates):
                return None
            end = dates[number - 1]
            start = dates[number - 2] + datetime.timedelta(days=1) if number > 1 else None
            start = start or datetime.date(year, 1, 1)
        else:
            first, last = MONTH_RANGES[base]
            start, end = datetime.date(year, first, 1), month_end(year, last)
        due = end + datetime.timedelta(days=_due_after(base))
        return PeriodSpec(key, base, year, start, end, due)

    def stored_key(self, year: int, base: str) -> str | None:
        """The stored key of the period `base` of calendar year `year` (from a URL), or
        None when the agreement has no such period."""
        key = self.key_for(year, base)
        return key if self.spec(key) is not None else None

    def next_due(self, today: datetime.date, done: set[str]):
        """The next expected follow-up not yet published: (key, due date), or None."""
        pending = [(spec.due, spec.key) for spec in self.specs() if spec.key not in done]
        if not pending:
            return None
        upcoming = [item for item in pending if item[0] >= today] or pending
        day, key = min(upcoming)
        return key, day


def rhythm_for(agreement, version=None) -> Rhythm:
    """The agreement's rhythm, from the follow-up plan of `version` (default: the
    published version, else the newest)."""
    if version is None:
        version = agreement.published_version()
    if version is None:
        version = agreement.versions.order_by("-number").first()
    word, dates = schedule_word(version.follow_up_schedule if version is not None else None)
    return Rhythm(word, dates, agreement.period_start.year, agreement.period_end.year)


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
