"""Threshold classes for Polisen's problem index 0–6 (lower is better).

The Region Syd / Gävleborg convention says 1.0–1.5 is a normal picture and 1.7–2.0
shows problem areas to take seriously; it says nothing about 1.5–1.7 and above 2.0.
We decide (docs/formats/survey.md): above normal_max up to watch_max is "watch",
so the unlabelled 1.5–1.7 band counts as watch (erring towards attention), and
above watch_max is "act". Each kommun may set its own values; they are always shown
as a local convention, not a national standard.
"""

from decimal import Decimal

DEFAULT_NORMAL_MAX = Decimal("1.5")
DEFAULT_WATCH_MAX = Decimal("2.0")
CLASSES = ("normal", "watch", "act")


def thresholds_for(municipality) -> tuple[Decimal, Decimal, str]:
    from .models import SurveyThreshold

    found = SurveyThreshold.objects.filter(municipality=municipality).first()
    if found is None:
        return DEFAULT_NORMAL_MAX, DEFAULT_WATCH_MAX, ""
    return Decimal(found.normal_max), Decimal(found.watch_max), found.note


def threshold_class(value, normal_max=DEFAULT_NORMAL_MAX, watch_max=DEFAULT_WATCH_MAX) -> str:
    value = Decimal(str(value))
    if value <= normal_max:
        return "normal"
    if value <= watch_max:
        return "watch"
    return "act"
