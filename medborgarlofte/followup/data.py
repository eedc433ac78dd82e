"""One follow-up as plain data: the single source for the editor, the report (HTML and
PDF), the citizen page, the CSV/JSON downloads and the API.

build_followup_data() computes it from the logged activities, the indicator sources and
the statuses entered; publishing freezes the public part of it as the follow-up's
snapshot, so published figures do not move when later data arrives.
"""

import datetime

from django.utils import timezone

from medborgarlofte.agreements.models import Commitment, Section

from . import closing, compliance, meetings, periods
from .indicators import outcome, public_outcome
from .models import Activity, FollowUp, IndicatorSourceMapping

FORMAT = "medborgarlofte-followup/1"
MAX_ACTIVITY_ITEMS = 200


def effective_sources(agreement) -> dict:
    return {
        (m.commitment_ref, m.indicator_title): m.source
        for m in IndicatorSourceMapping.objects.filter(agreement=agreement)
    }


def _activities_by_ref(agreement, start, end) -> dict:
    rows = Activity.objects.filter(agreement=agreement, date__gte=start, date__lte=end).order_by(
        "date", "id"
    )
    grouped: dict[str, list[dict]] = {}
    for a in rows.values(
        "commitment_ref", "date", "title", "quantity", "unit", "meeting_type", "is_example"
    ):
        grouped.setdefault(a.pop("commitment_ref"), []).append(a)
    return meetings.merge(grouped, meetings.meeting_items(agreement, start, end))


def _group_key(item: dict) -> str:
    if item.get("from_meeting"):
        return "\x00weekly-est"
    return " ".join((item["title"] or "").casefold().split()).rstrip(" .,;:")


def activity_groups(items: list[dict]) -> list[dict]:
    """What was done, for residents: the items grouped by title (case, spacing and a
    trailing full stop ignored; the held weekly EST meetings as one group), each with the
    number of times and the last date, in order of the last date. Items are dicts with
    an ISO `date` and a `title` (the snapshot's items)."""
    from django.utils.translation import gettext as _

    groups: dict[str, dict] = {}
    for item in items:
        key = _group_key(item)
        title = _("Weekly EST meetings") if key == "\x00weekly-est" else item["title"]
        group = groups.setdefault(
            key, {"title": title, "count": 0, "first": item["date"], "last": item["date"]}
        )
        group["count"] += 1
        group["first"] = min(group["first"], item["date"])
        group["last"] = max(group["last"], item["date"])
        if item.get("quantity") is not None:
            group.setdefault("totals", {})
            unit = item.get("unit") or ""
            group["totals"][unit] = group["totals"].get(unit, 0) + item["quantity"]
    rows = []
    for group in groups.values():
        totals = group.pop("totals", {})
        group["quantities"] = [
            {"unit": unit, "total": int(total) if float(total).is_integer() else total}
            for unit, total in sorted(totals.items())
        ]
        rows.append(group)
    return sorted(rows, key=lambda g: (g["last"], g["title"]), reverse=True)


def _activity_summary(items: list[dict]) -> dict:
    totals: dict[str, float] = {}
    for item in items:
        if item["quantity"] is not None:
            totals[item["unit"]] = totals.get(item["unit"], 0) + item["quantity"]
    listed = [
        {
            "date": item["date"].isoformat(),
            "title": item["title"],
            "quantity": item["quantity"],
            "unit": item["unit"],
            "from_meeting": bool(item.get("from_meeting")),
        }
        for item in items
    ]
    return {
        "count": len(items),
        "groups": activity_groups(listed),
        "quantities": [
            {"unit": unit, "total": int(total) if float(total).is_integer() else total}
            for unit, total in sorted(totals.items())
        ],
        "items": [
            {
                "date": item["date"].isoformat(),
                "title": item["title"],
                "quantity": item["quantity"],
                "unit": item["unit"],
                "meeting_type": item["meeting_type"],
                "is_example": item["is_example"],
            }
            for item in items[:MAX_ACTIVITY_ITEMS]
        ],
    }


def _sections(version):
    return (
        Section.objects.filter(version=version)
        .select_related("focus_area")
        .prefetch_related("commitments__owner_links__party", "commitments__indicators")
    )


def _commitment_data(c: Commitment, context: dict) -> dict:
    agreement, start, end, as_of = (context[k] for k in ("agreement", "start", "end", "as_of"))
    items = context["activities"].get(c.ref, [])
    status, explanation = context["statuses"].get(c.ref, ("", ""))
    data = {
        "ref": c.ref,
        "text": c.text,
        "owners": [link.party.name for link in c.owner_links.all()],
        "owner_kinds": sorted({link.party.kind for link in c.owner_links.all()}),
        "level": c.level,
        "cadence": c.cadence,
        "status": status,
        "explanation": explanation,
        "compliance": compliance.compute(
            c.cadence, [i["date"] for i in items], start, end, as_of
        ).as_dict(),
        "activities": _activity_summary(items),
        "late_additions": context["additions"].get(c.ref, []),
        "indicators": [
            outcome(
                indicator,
                context["sources"].get((c.ref, indicator.title), indicator.source),
                agreement,
                c.ref,
                start,
                end,
                as_of,
            )
            for indicator in c.indicators.all()
        ],
    }
    return data


def _groups(version, context) -> list[dict]:
    groups: list[dict] = []
    by_key: dict[str, dict] = {}
    for section in _sections(version):
        area = section.focus_area
        key = area.key if area else ""
        if key not in by_key:
            by_key[key] = {
                "key": key,
                "title": area.title if area else section.heading,
                "narrative": context["narratives"].get(key, ""),
                "commitments": [],
            }
            groups.append(by_key[key])
        for commitment in section.commitments.all():
            by_key[key]["commitments"].append(_commitment_data(commitment, context))
    return groups


def build_followup_data(
    agreement, version, period: str, *, followup: FollowUp | None = None, as_of=None
) -> dict:
    year = agreement.year
    spec = periods.rhythm_for(agreement, version).spec(period)
    if spec is None:
        raise ValueError(f"{agreement} has no follow-up period {period!r}")
    start, end = spec.start, spec.end
    today = timezone.localdate()
    as_of = min(as_of or today, end)
    context = {
        "agreement": agreement,
        "start": start,
        "end": end,
        "as_of": as_of,
        "activities": _activities_by_ref(agreement, start, end),
        "additions": closing.addition_items(closing.additions_for(agreement, start, followup)),
        "sources": effective_sources(agreement),
        "statuses": {s.commitment_ref: (s.status, s.explanation) for s in followup.statuses.all()}
        if followup
        else {},
        "narratives": {n.focus_area_key: n.text for n in followup.narratives.all()}
        if followup
        else {},
    }
    groups = _groups(version, context)
    commitments = [c for g in groups for c in g["commitments"]]
    counts: dict[str, int] = {}
    for c in commitments:
        counts[c["status"] or "missing"] = counts.get(c["status"] or "missing", 0) + 1
    example = (followup is not None and followup.is_example) or any(
        c["activities"]["items"] and any(i["is_example"] for i in c["activities"]["items"])
        for c in commitments
    )
    return {
        "format": FORMAT,
        "municipality": {"code": agreement.municipality.code, "name": agreement.municipality.name},
        "agreement": {"year": year, "title": version.title, "version": version.number},
        "period": {
            "key": period,
            "base": spec.base,
            "year": spec.year,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "due": spec.due.isoformat(),
        },
        "status": followup.status if followup else "draft",
        "published_at": followup.published_at.isoformat()
        if followup and followup.published_at
        else None,
        "as_of": as_of.isoformat(),
        "is_example": bool(example),
        "summary": followup.summary if followup else "",
        "status_counts": counts,
        "groups": groups,
    }


def public_copy(data: dict) -> dict:
    """The snapshot: indicator values with small people-counts suppressed."""
    copy = {**data, "groups": []}
    for group in data["groups"]:
        commitments = [
            {**c, "indicators": [public_outcome(i) for i in c["indicators"]]}
            for c in group["commitments"]
        ]
        copy["groups"].append({**group, "commitments": commitments})
    return copy


def parse_date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None
