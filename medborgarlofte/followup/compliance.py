"""Cadence compliance: how many of the occurrences a commitment promises were logged.

    expected = the cadence's buckets in the period that have ended by the as-of date
               (or that already hold an activity)
    logged   = those of them with at least one activity or meeting for the commitment

e.g. a weekly commitment over 2024 with activities in 47 ISO weeks: 47 of 52 weeks.
Continuous, as-needed and one-off commitments have no expected count; for them only the
number of logged activities is given.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import periods


@dataclass
class Compliance:
    cadence: str
    expected: int | None  # None: the cadence has no expected count
    logged: int | None
    activities: int
    missed: list[str] = field(default_factory=list)

    @property
    def counted(self) -> bool:
        return self.expected is not None

    @property
    def ratio(self) -> float | None:
        if not self.expected:
            return None
        return self.logged / self.expected

    def as_dict(self) -> dict:
        return {
            "cadence": self.cadence,
            "expected": self.expected,
            "logged": self.logged,
            "activities": self.activities,
            "missed": self.missed,
            "text": compliance_text(self.as_plain()),
        }

    def as_plain(self) -> dict:
        return {
            "cadence": self.cadence,
            "expected": self.expected,
            "logged": self.logged,
            "activities": self.activities,
        }


def compute(
    cadence: str,
    dates: list[datetime.date],
    start: datetime.date,
    end: datetime.date,
    as_of: datetime.date,
) -> Compliance:
    in_period = [d for d in dates if start <= d <= end]
    all_buckets = periods.buckets(cadence, start, end)
    if not all_buckets:
        return Compliance(cadence or "", None, None, len(in_period))
    logged_keys = {periods.bucket_of(cadence, d, all_buckets) for d in in_period}
    due = [b for b in all_buckets if b.end <= as_of or b.key in logged_keys]
    missed = [b.key for b in due if b.key not in logged_keys]
    return Compliance(cadence, len(due), len(due) - len(missed), len(in_period), missed)


UNIT_TEXT = {
    "weekly": lambda logged, expected: ngettext(
        "%(logged)d of %(expected)d week", "%(logged)d of %(expected)d weeks", expected
    ),
    "monthly": lambda logged, expected: ngettext(
        "%(logged)d of %(expected)d month", "%(logged)d of %(expected)d months", expected
    ),
    "quarterly": lambda logged, expected: ngettext(
        "%(logged)d of %(expected)d quarter", "%(logged)d of %(expected)d quarters", expected
    ),
    "tertial": lambda logged, expected: ngettext(
        "%(logged)d of %(expected)d tertial", "%(logged)d of %(expected)d tertials", expected
    ),
    "half_year": lambda logged, expected: ngettext(
        "%(logged)d of %(expected)d half year", "%(logged)d of %(expected)d half years", expected
    ),
    "yearly": lambda logged, expected: ngettext(
        "%(logged)d of %(expected)d year", "%(logged)d of %(expected)d years", expected
    ),
}


def compliance_text(data: dict) -> str:
    """'47 of 52 weeks' / 'no expected count (continuously); 12 activities logged'."""
    cadence = data.get("cadence") or ""
    if data.get("expected") is None:
        logged = ngettext(
            "%(count)d activity logged", "%(count)d activities logged", data.get("activities", 0)
        ) % {"count": data.get("activities", 0)}
        if not cadence:
            return _("no cadence stated; %(logged)s") % {"logged": logged}
        from medborgarlofte.agreements.models import Cadence

        return _("no expected count (%(cadence)s); %(logged)s") % {
            "cadence": str(Cadence(cadence).label).lower(),
            "logged": logged,
        }
    if data["expected"] == 0:
        return _("no occurrence due yet")
    return UNIT_TEXT[cadence](data["logged"], data["expected"]) % {
        "logged": data["logged"],
        "expected": data["expected"],
    }
