"""Where an indicator's value comes from: one function per source prefix.

An indicator's `source` is `<prefix>:<detail>`, e.g. `crime_statistics:Narkotikabrott`,
`survey:Narkotikaförsäljning`, `incidents:klotter`, `meetings:weekly_lagesbild`,
`activities:` (this commitment's activities) or `manual`. Each function answers a
SourceResult; when the app behind a prefix is missing, or has no data for the kommun
and period, it answers value None with a reason ("no data") instead of failing. The
other apps are imported lazily, inside the functions, so follow-up works without them.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class SourceQuery:
    agreement: object
    commitment_ref: str
    indicator_title: str
    detail: str
    start: datetime.date
    end: datetime.date
    as_of: datetime.date

    @property
    def municipality(self):
        return self.agreement.municipality

    @property
    def until(self) -> datetime.date:
        return min(self.end, self.as_of)


@dataclass
class SourceResult:
    value: float | None = None
    date: datetime.date | None = None
    detail: str = ""  # the data's own source text, e.g. "Brå, preliminary figures"
    reason: str = ""  # why there is no value: a key of indicators.REASONS
    cumulative: bool = False  # a count over the period (the target is pro-rated)
    describes_people: bool = False  # small counts are suppressed on public pages
    is_example: bool = False
    series: list = field(default_factory=list)  # [(date, value)]


def _monthly_cumulative(dated_amounts, query: SourceQuery) -> list:
    """[(month end, running total)] for the months of the period up to the as-of date."""
    from .periods import month_end

    totals: dict[tuple[int, int], float] = {}
    for day, amount in dated_amounts:
        totals[(day.year, day.month)] = totals.get((day.year, day.month), 0) + amount
    series, running = [], 0.0
    year, month = query.start.year, query.start.month
    while datetime.date(year, month, 1) <= query.until:
        running += totals.get((year, month), 0)
        series.append((min(month_end(year, month), query.until), running))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return series


def manual(query: SourceQuery) -> SourceResult:
    from .models import IndicatorValue

    values = list(
        IndicatorValue.objects.filter(
            agreement=query.agreement,
            commitment_ref=query.commitment_ref,
            indicator_title=query.indicator_title,
            date__lte=query.as_of,
        ).order_by("date", "id")
    )
    if not values:
        return SourceResult(reason="no_values")
    latest = values[-1]
    return SourceResult(
        value=latest.value,
        date=latest.date,
        detail=latest.note,
        is_example=any(v.is_example for v in values),
        series=[(v.date, v.value) for v in values if v.date >= query.start]
        or [(latest.date, latest.value)],
    )


def activities(query: SourceQuery) -> SourceResult:
    """The sum of the quantities (1 when none is given) of the commitment's activities."""
    from .models import Activity

    ref = query.detail or query.commitment_ref
    rows = list(
        Activity.objects.filter(
            agreement=query.agreement, commitment_ref=ref, date__gte=query.start
        )
        .filter(date__lte=query.until)
        .values_list("date", "quantity", "is_example")
    )
    amounts = [(day, 1.0 if quantity is None else quantity) for day, quantity, _e in rows]
    return SourceResult(
        value=sum(a for _d, a in amounts),
        date=query.until,
        cumulative=True,
        is_example=any(e for *_r, e in rows),
        series=_monthly_cumulative(amounts, query),
    )


def meetings(query: SourceQuery) -> SourceResult:
    """The number of meetings of a type (all types when no detail) held in the period:
    those logged as activities and the weekly EST meetings held (followup/meetings.py),
    each meeting once."""
    from . import meetings as held_meetings
    from .models import Activity

    rows = Activity.objects.filter(
        agreement=query.agreement, date__gte=query.start, date__lte=query.until
    ).exclude(meeting_type="")
    if query.detail:
        rows = rows.filter(meeting_type=query.detail)
    dated = list(rows.values_list("date", "is_example"))
    if query.detail in ("", held_meetings.WEEKLY):
        logged_weekly = set(
            rows.filter(meeting_type=held_meetings.WEEKLY).values_list("date", flat=True)
        )
        dated += [
            (m.date, m.is_example)
            for m in held_meetings.held(query.municipality, query.start, query.until)
            if m.date not in logged_weekly
        ]
    return SourceResult(
        value=float(len(dated)),
        date=query.until,
        cumulative=True,
        is_example=any(e for _d, e in dated),
        series=_monthly_cumulative([(d, 1.0) for d, _e in dated], query),
    )


def crime_statistics(query: SourceQuery) -> SourceResult:
    """Reported crimes of a category in the period (monthly rows, or the year's row)."""
    try:
        from medborgarlofte.crimestats import queries as crime_queries
        from medborgarlofte.crimestats.summary import source_text
        from medborgarlofte.crimestats.taxonomy import match_category
    except ImportError:
        return SourceResult(reason="app_missing")
    category = match_category(query.detail)
    if category is None:
        return SourceResult(reason="unknown_category")
    rows = crime_queries.statistic_rows(
        [query.municipality.pk], [category.pk], query.start.year, query.until.year
    )
    monthly = [
        r for r in rows if r[3] and query.start <= datetime.date(r[2], r[3], 1) <= query.until
    ]
    yearly = [r for r in rows if not r[3] and r[2] == query.start.year]
    chosen = monthly or (yearly if query.until >= query.end else [])
    if not chosen:
        return SourceResult(reason="no_rows")
    last = max(chosen, key=lambda r: (r[2], r[3] or 12))
    day = datetime.date(last[2], last[3] or 12, 1)
    preliminary = any(r[5] == "prel" for r in chosen)
    runs = crime_queries.import_runs({r[7] for r in chosen})
    imported = max((run.at for run in runs.values()), default=None)
    detail = source_text(last[6], preliminary, imported) if imported else str(last[6])
    series = sorted((datetime.date(r[2], r[3] or 12, 1), float(r[4])) for r in chosen)
    return SourceResult(
        value=float(sum(r[4] for r in chosen)),
        date=day,
        detail=detail,
        cumulative=True,
        is_example=any(r[6] == "demo" for r in chosen),
        series=series,
    )


def survey(query: SourceQuery) -> SourceResult:
    """The latest survey value (index or percentage) of a question up to the period's year."""
    try:
        from medborgarlofte.surveys.summary import survey_section
    except ImportError:
        return SourceResult(reason="app_missing")
    section = survey_section(query.municipality, year=query.until.year)
    wanted = " ".join(query.detail.casefold().split())
    rows = [
        row
        for row in section.get("index_rows", []) + section.get("percent_rows", [])
        if " ".join(str(row.get("question", "")).casefold().split()) == wanted
    ]
    if not rows:
        return SourceResult(reason="no_rows")
    # The total first: a question the survey has only for women or men is a fallback.
    rows.sort(key=lambda r: r.get("gender", "T") != "T")
    row = rows[0]
    return SourceResult(
        value=float(row["value"]),
        date=datetime.date(row["year"], 12, 31),
        detail=f"{row.get('provider', '')} {row['year']}, n = {row.get('n') or '–'}".strip(),
        is_example=bool(row.get("is_example")),
        series=[(datetime.date(row["year"], 12, 31), float(row["value"]))],
    )


def incidents(query: SourceQuery) -> SourceResult:
    """EST incidents of a category (key or name) in the period, duplicates excluded."""
    try:
        from medborgarlofte.incidents.models import Incident
    except ImportError:
        return SourceResult(reason="app_missing")
    rows = Incident.objects.filter(
        municipality=query.municipality, date__gte=query.start, date__lte=query.until
    ).exclude(status="duplicate")
    if query.detail:
        from django.db.models import Q

        rows = rows.filter(Q(category__key=query.detail) | Q(category__name__iexact=query.detail))
    dated = list(rows.values_list("date", "is_example"))
    return SourceResult(
        value=float(len(dated)),
        date=query.until,
        cumulative=True,
        describes_people=True,
        is_example=any(e for _d, e in dated),
        series=_monthly_cumulative([(d, 1.0) for d, _e in dated], query),
    )


SOURCES: dict[str, Callable[[SourceQuery], SourceResult]] = {
    "manual": manual,
    "activities": activities,
    "meetings": meetings,
    "crime_statistics": crime_statistics,
    "survey": survey,
    "incidents": incidents,
}


def split_source(source: str) -> tuple[str, str]:
    prefix, _sep, detail = (source or "manual").partition(":")
    return prefix.strip() or "manual", detail.strip()


def read_source(source: str, query_args: dict) -> SourceResult:
    prefix, detail = split_source(source)
    function = SOURCES.get(prefix)
    if function is None:
        return SourceResult(reason="unknown_source")
    return function(SourceQuery(detail=detail, **query_args))


def preview(agreement, commitment_ref: str, indicator, source: str) -> dict:
    """The current value of a source and its date, for the source form's preview: the
    agreement's period up to today."""
    from django.utils import timezone

    from .indicators import REASONS

    result = read_source(
        source,
        {
            "agreement": agreement,
            "commitment_ref": commitment_ref,
            "indicator_title": indicator.title,
            "start": agreement.period_start,
            "end": agreement.period_end,
            "as_of": timezone.localdate(),
        },
    )
    return {
        "source": source,
        "value": result.value,
        "date": result.date,
        "detail": result.detail,
        "reason": str(REASONS.get(result.reason, result.reason)) if result.reason else "",
        "is_example": result.is_example,
    }
