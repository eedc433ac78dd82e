"""Threshold classes for Polisen's problem index 0–6 (lower is better).

Polisen's published reading of the index (sources in docs/formats/survey.md):
0 is "närmast obefintligt problem", 6 "alarmerande påtagligt problem"; 1.0–1.5 is the
usual, normal picture in most of the country, and 1.7–2.0 shows problem areas that
police and kommun should take seriously and work on. The sources say nothing about
1.5–1.7 and nothing separate about values above 2.0.

So by default: up to normal_max (1.5) is "normal"; from act_from (1.7) on is "act"
(the problem level Polisen names, and everything above it); the unlabelled band
between is "watch". Each kommun may set its own values; they are always shown as a
local convention, not a national standard.
"""

from decimal import Decimal

DEFAULT_NORMAL_MAX = Decimal("1.5")
DEFAULT_ACT_FROM = Decimal("1.7")
CLASSES = ("normal", "watch", "act")


def thresholds_for(municipality) -> tuple[Decimal, Decimal, str]:
    from .models import SurveyThreshold

    found = SurveyThreshold.objects.filter(municipality=municipality).first()
    if found is None:
        return DEFAULT_NORMAL_MAX, DEFAULT_ACT_FROM, ""
    return Decimal(found.normal_max), Decimal(found.act_from), found.note


def threshold_class(value, normal_max=DEFAULT_NORMAL_MAX, act_from=DEFAULT_ACT_FROM) -> str:
    """normal: value ≤ normal_max; act: value ≥ act_from; watch: in between."""
    value = Decimal(str(value))
    if value >= act_from:
        return "act"
    if value <= normal_max:
        return "normal"
    return "watch"
