"""Labels for the keys stored in follow-up data (translated when rendered, so a snapshot
published in one language reads in the other)."""

import datetime

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medborgarlofte.agreements.models import Cadence

from ..compliance import compliance_text as _compliance_text
from ..indicators import REASONS, STATUS_LABELS
from ..models import CommitmentStatus, MeetingType
from ..models import period_label as _period_label

register = template.Library()

SOURCE_LABELS = {
    "manual": gettext_lazy("entered manually"),
    "crime_statistics": gettext_lazy("crime statistics"),
    "incidents": gettext_lazy("incident reports (EST)"),
    "meetings": gettext_lazy("meetings logged"),
    "survey": gettext_lazy("safety survey"),
    "activities": gettext_lazy("activities logged"),
}


@register.filter
def status_label(key: str) -> str:
    if key in CommitmentStatus.Status.values:
        return str(CommitmentStatus.Status(key).label)
    return _("Not assessed")


@register.filter
def period_label(key: str) -> str:
    return _period_label(key)


@register.filter
def indicator_status_label(key: str) -> str:
    return str(STATUS_LABELS.get(key, key))


@register.filter
def reason_label(key: str) -> str:
    return str(REASONS.get(key, "")) if key else ""


@register.filter
def source_label(source: str) -> str:
    kind, _sep, detail = (source or "manual").partition(":")
    label = SOURCE_LABELS.get(kind.strip())
    if label is None:
        return source
    if kind.strip() == "meetings" and detail.strip() in MeetingType.values:
        detail = str(MeetingType(detail.strip()).label)
    return f"{label}: {detail.strip()}" if detail.strip() else str(label)


@register.filter
def cadence_label(key: str) -> str:
    return str(Cadence(key).label) if key in Cadence.values else ""


@register.filter
def meeting_label(key: str) -> str:
    return str(MeetingType(key).label) if key in MeetingType.values else ""


@register.filter
def compliance_text(data: dict) -> str:
    return _compliance_text(data or {})


@register.filter
def isodate(value):
    """'2024-04-30' → a date, for the |date filter (localised)."""
    if not value:
        return None
    try:
        return (
            datetime.datetime.fromisoformat(value)
            if "T" in value
            else datetime.date.fromisoformat(value)
        )
    except (TypeError, ValueError):
        return None


DONE_LIMIT = 12


@register.filter
def done_groups(activities: dict) -> list[dict]:
    """What was done, grouped by title (data.activity_groups): stored in snapshots since
    issue 18; older snapshots are grouped from their item list."""
    from ..data import activity_groups

    if not activities:
        return []
    groups = activities.get("groups")
    if groups is None:
        groups = activity_groups(activities.get("items", []))
    return groups


@register.filter
def first_done(groups: list) -> list:
    return groups[:DONE_LIMIT]


@register.filter
def more_done(groups: list) -> int:
    return max(len(groups) - DONE_LIMIT, 0)
