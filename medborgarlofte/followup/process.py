"""Process follow-up (issue 15, item 5): hours, cost and reach of the activities, summed.

Plain functions over activities (model rows or dicts with `commitment_ref`, `hours`,
`cost`, `reach`): per commitment, per follow-up period and per åtgärdsplan measure
(the activities logged against the measure's commitment within its from–to window).
A sum is None when no activity in it reported the figure (not 0: "not reported" and
"none" differ); `reported` says how many activities gave each figure.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from .models import Activity

FIGURES = ("hours", "cost", "reach")


def _get(activity, name):
    return activity.get(name) if isinstance(activity, dict) else getattr(activity, name, None)


@dataclass
class ProcessTotals:
    activities: int = 0
    hours: Decimal | None = None
    cost: int | None = None
    reach: int | None = None
    reported: dict = field(default_factory=lambda: dict.fromkeys(FIGURES, 0))

    @property
    def any(self) -> bool:
        return any(getattr(self, name) is not None for name in FIGURES)

    def add(self, activity) -> None:
        self.activities += 1
        for name in FIGURES:
            value = _get(activity, name)
            if value is None:
                continue
            if name == "hours":
                value = Decimal(str(value))
            current = getattr(self, name)
            setattr(self, name, value if current is None else current + value)
            self.reported[name] += 1


def totals(activities) -> ProcessTotals:
    """The sums of hours, cost and reach over the activities."""
    out = ProcessTotals()
    for activity in activities:
        out.add(activity)
    return out


def totals_by_commitment(activities) -> dict[str, ProcessTotals]:
    """{commitment ref: its sums}, in the order the refs first appear."""
    out: dict[str, ProcessTotals] = {}
    for activity in activities:
        out.setdefault(_get(activity, "commitment_ref"), ProcessTotals()).add(activity)
    return out


def activities_between(agreement, start, end, commitment_ref: str | None = None):
    """The activities of an agreement dated start–end (both included), as dicts."""
    rows = Activity.objects.filter(agreement=agreement, date__gte=start, date__lte=end)
    if commitment_ref is not None:
        rows = rows.filter(commitment_ref=commitment_ref)
    return rows.order_by("date", "id").values("commitment_ref", "date", *FIGURES)


def period_summary(agreement, start, end, refs=None) -> dict:
    """The follow-up page's table: one row per commitment (in `refs` order when given,
    commitments without activities left out) and the total of the period."""
    rows = list(activities_between(agreement, start, end))
    by_ref = totals_by_commitment(rows)
    order = [r for r in (refs or []) if r in by_ref] + [r for r in by_ref if r not in (refs or [])]
    return {
        "rows": [(ref, by_ref[ref]) for ref in order],
        "total": totals(rows),
        "start": start,
        "end": end,
    }


@dataclass
class MeasureUsage:
    """A measure's planned hours and cost beside what its commitment's activities used."""

    measure: object
    planned_hours: int | None
    planned_cost: int | None
    used: ProcessTotals
    linked: bool  # the measure names a commitment of a medborgarlöfte

    @property
    def hours_share(self) -> float | None:
        return _share(self.used.hours, self.planned_hours)

    @property
    def cost_share(self) -> float | None:
        return _share(self.used.cost, self.planned_cost)


def _share(used, planned) -> float | None:
    if used is None or not planned:
        return None
    return float(used) / planned


def measure_usage(measure, activities=None) -> MeasureUsage:
    """Planned vs used for one measure. `activities`: the rows to sum (dicts or models)
    — by default those of its agreement and commitment dated within starts–ends."""
    linked = bool(measure.agreement_id and measure.commitment_ref)
    if activities is None:
        activities = (
            activities_between(
                measure.agreement, measure.starts, measure.ends, measure.commitment_ref
            )
            if linked
            else []
        )
    else:
        activities = [
            a
            for a in activities
            if linked
            and _get(a, "commitment_ref") == measure.commitment_ref
            and measure.starts <= _get(a, "date") <= measure.ends
        ]
    return MeasureUsage(
        measure=measure,
        planned_hours=measure.hours,
        planned_cost=measure.cost,
        used=totals(activities),
        linked=linked,
    )
