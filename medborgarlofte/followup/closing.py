"""Closed periods: a period whose follow-up is published is closed.

An activity dated in a closed period is a late registration: it needs a reason, is
marked late (Activity.late, late_reason, late_period) and the next follow-up published
after it reports it as an addition to that period ("Tillägg till Tertial 1 …"): at
publishing, the late activities dated before the new follow-up's period that no
follow-up has reported yet are frozen into its snapshot and get `reported_in`.
"""

import datetime

from . import periods
from .models import Activity, FollowUp, FollowUpStatus


def closed_lookup(agreement, version=None):
    """A function day → the published follow-up whose period holds the day (the shortest
    such period: a tertial rather than the year), or None when the day's periods are all
    open. The published follow-ups are read once."""
    rhythm = periods.rhythm_for(agreement, version)
    ranges = []
    for followup in FollowUp.objects.filter(
        agreement=agreement, status=FollowUpStatus.PUBLISHED
    ).defer("snapshot"):
        spec = rhythm.spec(followup.period)
        if spec is not None:
            ranges.append(((spec.end - spec.start).days, spec.start, spec.end, followup))
    ranges.sort(key=lambda item: item[:2])

    def closed(day: datetime.date) -> FollowUp | None:
        return next((f for _n, start, end, f in ranges if start <= day <= end), None)

    return closed


def closed_followup(agreement, day: datetime.date, version=None) -> FollowUp | None:
    return closed_lookup(agreement, version)(day)


def pending_additions(agreement, start: datetime.date):
    """Late activities dated before `start` that no published follow-up has reported."""
    return Activity.objects.filter(
        agreement=agreement, late=True, reported_in__isnull=True, date__lt=start
    ).order_by("date", "id")


def reported_additions(followup: FollowUp):
    return Activity.objects.filter(reported_in=followup).order_by("date", "id")


def additions_for(agreement, start: datetime.date, followup: FollowUp | None):
    """The late activities a follow-up reports as additions to earlier periods: those it
    froze when published, else those waiting for the next publication."""
    if followup is not None and followup.status == FollowUpStatus.PUBLISHED:
        return reported_additions(followup)
    return pending_additions(agreement, start)


def addition_items(activities) -> dict[str, list[dict]]:
    """{commitment ref: [{period, date, title, quantity, unit}]} (what the snapshot keeps)."""
    grouped: dict[str, list[dict]] = {}
    for a in activities:
        grouped.setdefault(a.commitment_ref, []).append(
            {
                "period": a.late_period,
                "date": a.date.isoformat(),
                "title": a.title,
                "quantity": a.quantity,
                "unit": a.unit,
            }
        )
    return grouped
