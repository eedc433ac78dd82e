"""Retention (gallring): disposing of data past its retention period, per kind and kommun.

Each app declares the rules for its own data in a module `retention.py`, found by
autodiscovery like the admin's `admin.py` (docs/decisions/0002-retention-rules.md): privacy
is a base-layer app and must not import the apps above it, while each app knows what its rows
hold and what depends on them. A rule answers two questions:

    plan(cutoff)              -> {kommun id or None: {"texts": 12, "audit copies": 3}}
    dispose(cutoff, kommun)   -> {"texts": 12, "audit copies": 3}

This module turns the periods of the settings (RETENTION_MONTHS, RETENTION_BY_KOMMUN for one
kommun's own gallringsbeslut) into cutoffs, runs one transaction per kind and kommun, and
writes one audit entry for each with the counts and the rule applied, never the content.
`medborgarlofte apply_retention` is the command (meant for a daily timer).
"""

import datetime
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from medborgarlofte.accounts import audit
from medborgarlofte.kommuner.models import Municipality

Counts = dict[str, int]


@dataclass(frozen=True)
class Rule:
    """One kind of data and how it is disposed of.

    `kind` is the key in RETENTION_MONTHS (a configurable period in months), unless
    `fixed_age` is set: technical data (expired sessions, leftovers of an upload) whose age
    limit is part of the code, not a records decision. `per_kommun=False` for data that
    belongs to the installation (accounts, sessions, login records): one group, no kommun,
    and RETENTION_BY_KOMMUN does not apply. `minimum_months` refuses a shorter setting.
    """

    kind: str
    label: str | Promise
    plan: Callable[[datetime.datetime], dict[int | None, Counts]]
    dispose: Callable[[datetime.datetime, int | None], Counts]
    fixed_age: datetime.timedelta | None = None
    fixed_label: str | Promise = ""
    per_kommun: bool = True
    minimum_months: int = 0


@dataclass
class Group:
    """The items of one kind in one kommun (or none) past their cutoff."""

    rule: Rule
    municipality: Municipality | None
    cutoff: datetime.datetime
    months: int | None
    setting: str
    counts: Counts
    disposed: Counts = field(default_factory=dict)

    @property
    def period(self) -> str:
        if self.months is None:
            return str(self.rule.fixed_label)
        return ngettext("%(n)d month", "%(n)d months", self.months) % {"n": self.months}


_rules: dict[str, Rule] = {}
_discovered = False


def register(rule: Rule) -> Rule:
    if rule.kind in _rules and _rules[rule.kind] != rule:
        raise ImproperlyConfigured(f"Two retention rules for {rule.kind!r}")
    _rules[rule.kind] = rule
    return rule


def rules() -> list[Rule]:
    """Every registered rule, in the order of INSTALLED_APPS."""
    global _discovered
    if not _discovered:
        autodiscover_modules("retention")
        _discovered = True
    for rule in _rules.values():
        if rule.fixed_age is None and rule.kind not in settings.RETENTION_MONTHS:
            raise ImproperlyConfigured(f"RETENTION_MONTHS has no period for {rule.kind!r}")
    return list(_rules.values())


def subtract_months(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day and time `months` earlier (the month's last day when it is shorter)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def setting_name(kind: str) -> str:
    return f"RETENTION_{kind.upper()}_MONTHS"


def _periods(rule: Rule, kommuner: dict[str, Municipality]):
    """(months, setting, only this kommun id or None for all others, excluded kommun ids)."""
    months = settings.RETENTION_MONTHS[rule.kind]
    overrides = {}
    if rule.per_kommun:
        for (code, kind), value in settings.RETENTION_BY_KOMMUN.items():
            if kind == rule.kind and code in kommuner:
                overrides[kommuner[code].pk] = value
    for value in [months, *overrides.values()]:
        if 0 < value < rule.minimum_months:
            raise ImproperlyConfigured(
                f"{rule.kind}: {value} months is shorter than the minimum of "
                f"{rule.minimum_months} months"
            )
    yield months, setting_name(rule.kind), None, set(overrides)
    for kommun_id, value in overrides.items():
        yield value, "RETENTION_BY_KOMMUN", kommun_id, set()


def plan(now: datetime.datetime | None = None, kinds=None) -> list[Group]:
    """What is past its period now, per kind and kommun (nothing is changed)."""
    now = now or timezone.now()
    codes = {code for code, _kind in settings.RETENTION_BY_KOMMUN}
    kommuner = {m.code: m for m in Municipality.objects.filter(code__in=codes)}
    if codes - kommuner.keys():
        raise ImproperlyConfigured(
            f"RETENTION_BY_KOMMUN: no kommun {', '.join(sorted(codes - kommuner.keys()))}"
        )
    installation = sorted(
        {kind for _code, kind in settings.RETENTION_BY_KOMMUN}
        & {rule.kind for rule in rules() if not rule.per_kommun}
    )
    if installation:
        raise ImproperlyConfigured(
            f"RETENTION_BY_KOMMUN: {', '.join(installation)} belongs to no kommun"
        )
    groups = []
    for rule in rules():
        if kinds and rule.kind not in kinds:
            continue
        if rule.fixed_age is not None:
            periods = [(None, "fixed", None, set())]
        else:
            periods = _periods(rule, kommuner)
        for months, setting, only, excluded in periods:
            if months == 0:
                continue  # kept for ever
            cutoff = now - rule.fixed_age if months is None else subtract_months(now, months)
            for kommun_id, counts in rule.plan(cutoff).items():
                if kommun_id in excluded or (only is not None and kommun_id != only):
                    continue
                if not any(counts.values()):
                    continue
                groups.append(Group(rule, kommun_id, cutoff, months, setting, counts))
    ids = {g.municipality for g in groups if g.municipality is not None}
    by_id = Municipality.objects.in_bulk(ids)
    for group in groups:
        group.municipality = by_id.get(group.municipality)
    return groups


def apply(now: datetime.datetime | None = None, kinds=None) -> list[Group]:
    """Dispose of everything `plan` finds: one transaction and one audit entry per group."""
    groups = plan(now, kinds)
    for group in groups:
        kommun_id = group.municipality.pk if group.municipality else None
        with transaction.atomic():
            group.disposed = group.rule.dispose(group.cutoff, kommun_id)
            if any(group.disposed.values()):
                _record(group)
    return groups


def _record(group: Group) -> None:
    audit.record(
        user=None,
        action="retention.dispose",
        municipality=group.municipality,
        object_type=group.rule.kind,
        summary=_("%(kind)s past their retention period (%(period)s) disposed of: %(count)d")
        % {"kind": group.rule.label, "period": group.period, "count": sum(group.disposed.values())},
        after={
            "rule": group.rule.kind,
            "months": group.months,
            "setting": group.setting,
            "cutoff": group.cutoff.isoformat(),
            "disposed": group.disposed,
        },
    )


# --- Helpers for the rules --------------------------------------------------------------


def count_by_kommun(queryset, field: str = "municipality_id") -> dict[int | None, int]:
    """{kommun id: rows} of a queryset, in one GROUP BY."""
    return dict(queryset.order_by().values_list(field).annotate(n=Count("pk")))


def merge_plans(*parts: tuple[str, dict[int | None, int]]) -> dict[int | None, Counts]:
    """Combine ("texts", {kommun: n}), ("audit copies", {kommun: m}) into one plan."""
    plan: dict[int | None, Counts] = {}
    for label, counts in parts:
        for kommun, n in counts.items():
            if n:
                plan.setdefault(kommun, {})[label] = n
    return plan
