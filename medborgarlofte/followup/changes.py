"""Changes since publication: what differs between a published follow-up's frozen
snapshot (what residents see) and the same follow-up computed from the data as it is
now (activities logged late, values entered afterwards, a new version's wording).

Staff pages of a published follow-up show the snapshot, and this list beside it.
"""

from dataclasses import dataclass

from django.utils.formats import localize
from django.utils.translation import gettext as _

from .compliance import compliance_text
from .data import public_copy


@dataclass(frozen=True)
class Change:
    ref: str  # the commitment ('' for the whole follow-up or a focus area)
    what: str
    published: str
    now: str


def _number(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(localize(value))


def _quantities(activities: dict) -> dict:
    return {q["unit"]: q["total"] for q in activities.get("quantities", [])}


def _commitments(data: dict) -> dict:
    return {c["ref"]: c for g in data.get("groups", []) for c in g["commitments"]}


def _status(key: str) -> str:
    from .models import CommitmentStatus

    if key in CommitmentStatus.Status.values:
        return str(CommitmentStatus.Status(key).label)
    return _("Not assessed")


def _commitment_changes(ref: str, old: dict, new: dict) -> list[Change]:
    rows = []

    def add(what, before, after):
        if before != after:
            rows.append(Change(ref, what, before, after))

    add(_("Commitment text"), old.get("text", ""), new.get("text", ""))
    add(_("Status"), _status(old.get("status", "")), _status(new.get("status", "")))
    add(_("Explanation"), old.get("explanation", ""), new.get("explanation", ""))
    add(
        _("Activities"),
        _number(old["activities"]["count"]),
        _number(new["activities"]["count"]),
    )
    before, after = _quantities(old["activities"]), _quantities(new["activities"])
    for unit in sorted(set(before) | set(after)):
        add(
            _("Total %(unit)s") % {"unit": unit or _("(no unit)")},
            _number(before.get(unit)),
            _number(after.get(unit)),
        )
    add(
        _("Regularity"),
        compliance_text(old.get("compliance") or {}),
        compliance_text(new.get("compliance") or {}),
    )
    add(
        _("Late additions to earlier periods"),
        _number(len(old.get("late_additions", []))),
        _number(len(new.get("late_additions", []))),
    )
    old_ind = {i["title"]: i for i in old.get("indicators", [])}
    new_ind = {i["title"]: i for i in new.get("indicators", [])}
    for title in [*old_ind, *(t for t in new_ind if t not in old_ind)]:
        o, n = old_ind.get(title, {}), new_ind.get(title, {})
        add(
            _("Indicator “%(title)s”") % {"title": title},
            _number(o.get("value")),
            _number(n.get("value")),
        )
    return rows


def since_publication(snapshot: dict, live: dict) -> list[Change]:
    """Every difference between the published snapshot and the live data (the live data
    as build_followup_data returns it; compared as published: small counts suppressed)."""
    live = public_copy(live)
    rows: list[Change] = []
    if snapshot.get("summary", "") != live.get("summary", ""):
        rows.append(Change("", _("Summary"), snapshot.get("summary", ""), live.get("summary", "")))
    old_groups = {g["key"]: g for g in snapshot.get("groups", [])}
    for group in live.get("groups", []):
        old = old_groups.get(group["key"])
        if old is not None and old.get("narrative", "") != group.get("narrative", ""):
            rows.append(
                Change(
                    "",
                    _("Text of the focus area “%(title)s”") % {"title": group["title"]},
                    old.get("narrative", ""),
                    group.get("narrative", ""),
                )
            )
    old, new = _commitments(snapshot), _commitments(live)
    for ref in [*old, *(r for r in new if r not in old)]:
        if ref not in new:
            rows.append(Change(ref, _("Commitment"), old[ref]["text"], _("(no longer there)")))
        elif ref not in old:
            rows.append(Change(ref, _("Commitment"), _("(not there)"), new[ref]["text"]))
        else:
            rows.extend(_commitment_changes(ref, old[ref], new[ref]))
    return rows
