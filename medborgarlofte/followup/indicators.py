"""Indicator outcomes: the current value from its source, and whether it is on track.

Status rules (docs/followup.md):
- no value from the source → `no_data` (with the reason);
- no direction, or neither target nor baseline → `no_target` (the value is shown);
- with a target: for counts over the period (activities, meetings, incidents, crimes)
  the target is pro-rated by the share of the period elapsed at the as-of date; the
  value meets it → `on_track`; otherwise, for levels (manual values, surveys) a value
  better than the baseline also counts as `on_track` (moving towards the target);
- without a target: a value at least as good as the baseline → `on_track`;
- everything else → `off_track`.
"""

import datetime

from django.utils.translation import gettext_lazy as _

from medborgarlofte.privacy import suppression

from .indicator_sources import SourceResult, read_source, split_source

STATUS_LABELS = {
    "on_track": _("On track"),
    "off_track": _("Off track"),
    "no_data": _("No data"),
    "no_target": _("No target to compare with"),
}

REASONS = {
    "no_values": _("no value has been entered yet"),
    "app_missing": _("this kind of data is not available in this installation"),
    "unknown_category": _("the crime category is not linked to the statistics"),
    "no_rows": _("there is no data for this kommun and period yet"),
    "unknown_source": _("the source is not one the product knows"),
}


def elapsed_share(start: datetime.date, end: datetime.date, as_of: datetime.date) -> float:
    if as_of >= end:
        return 1.0
    if as_of < start:
        return 0.0
    return ((as_of - start).days + 1) / ((end - start).days + 1)


def _better(value: float, than: float, direction: str) -> bool:
    return value >= than if direction == "increase" else value <= than


def judge(value, baseline, target, direction, *, cumulative: bool, share: float) -> str:
    if value is None:
        return "no_data"
    if direction not in {"increase", "decrease"} or (target is None and baseline is None):
        return "no_target"
    if target is not None:
        goal = target * share if cumulative and direction == "increase" else target
        if _better(value, goal, direction):
            return "on_track"
        if not cumulative and baseline is not None and _better(value, baseline, direction):
            return "on_track" if value != baseline else "off_track"
        return "off_track"
    return "on_track" if _better(value, baseline, direction) else "off_track"


def _number(value):
    if value is None:
        return None
    value = round(float(value), 2)
    return int(value) if value.is_integer() else value


def outcome(indicator, source: str, agreement, ref: str, start, end, as_of) -> dict:
    """Everything the pages, the report and open data show about one indicator."""
    result: SourceResult = read_source(
        source,
        {
            "agreement": agreement,
            "commitment_ref": ref,
            "indicator_title": indicator.title,
            "start": start,
            "end": end,
            "as_of": as_of,
        },
    )
    status = judge(
        result.value,
        indicator.baseline,
        indicator.target,
        indicator.direction,
        cumulative=result.cumulative,
        share=elapsed_share(start, end, as_of),
    )
    prefix, detail = split_source(source)
    return {
        "title": indicator.title,
        "kind": indicator.kind,
        "unit": indicator.unit,
        "baseline": _number(indicator.baseline),
        "target": _number(indicator.target),
        "direction": indicator.direction,
        "source": source or "manual",
        "source_kind": prefix,
        "source_detail": result.detail,
        "value": _number(result.value),
        "value_date": result.date.isoformat() if result.date else None,
        "status": status,
        "reason": result.reason,
        "is_example": result.is_example,
        "describes_people": result.describes_people,
        "series": [[d.isoformat(), _number(v)] for d, v in result.series],
    }


def public_outcome(item: dict) -> dict:
    """A copy fit for public pages: small counts that describe people are suppressed."""
    item = dict(item)
    item["suppressed"] = False
    if item.get("describes_people") and item.get("value") is not None:
        if suppression.is_small(int(item["value"])):
            item.update(value=None, series=[], suppressed=True)
        else:
            item["series"] = [
                [d, None if v is not None and suppression.is_small(int(v)) else v]
                for d, v in item["series"]
            ]
    return item
