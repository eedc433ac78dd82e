"""Swedish numbers as official statistics print them.

`1 234,5` (space, NBSP U+00A0 or narrow NBSP U+202F between groups of three digits,
comma as decimal sign), `..` = missing (returned as None), `-` or `–` = zero.
Anything else (`1 2,3,4`, `12 34`, `1,2,3`), and numbers too large to be finite, are
refused with a ValueError whose message says why. Importers pass a `maximum` count (e.g.
MAX_COUNT: more than any kommun reports in a year, and small enough that the sum over
all 290 kommuner fits the database's integer columns).
"""

import math
import re

from django.utils.translation import gettext as _

SEPARATORS = " \u00a0\u202f"
MISSING = {"..", "…", ".", ""}
ZERO = {"-", "–", "—"}
MAX_COUNT = 5_000_000
_GROUPED = re.compile(
    r"^(?P<sign>-?)(?P<int>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[,.](?P<frac>\d+))?$"
)


def parse_number(text) -> float | None:
    """The value of a Swedish-formatted number; None for missing (`..`)."""
    if isinstance(text, bool):
        raise ValueError(_("not a number: %(text)s") % {"text": text})
    if isinstance(text, int | float):
        try:
            number = float(text)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise ValueError(_("not a number: %(text)s") % {"text": text})
        return number
    value = str(text).strip()
    if value in MISSING:
        return None
    if value in ZERO:
        return 0.0
    match = _GROUPED.match(value)
    if match is None:
        raise ValueError(
            _("not a number in Swedish format (e.g. 1 234,5): %(text)s") % {"text": value}
        )
    digits = "".join(ch for ch in match["int"] if ch not in SEPARATORS)
    number = float(f"{digits}.{match['frac'] or 0}")
    if not math.isfinite(number):
        raise ValueError(_("the number is too large: %(text)s") % {"text": value})
    return -number if match["sign"] else number


def parse_count(text, *, maximum: int | None = None) -> int | None:
    """A count of crimes: a whole number ≥ 0 (and ≤ maximum), or None for missing."""
    if type(text) is str and text.isascii() and text.isdigit() and len(text) <= 18:
        number = int(text)  # the common case, without the regular expression
    else:
        number = parse_number(text)
    if number is None:
        return None
    if number < 0:
        raise ValueError(_("a count cannot be negative: %(text)s") % {"text": str(text).strip()})
    if number != int(number):
        raise ValueError(
            _("a count must be a whole number: %(text)s") % {"text": str(text).strip()}
        )
    if maximum is not None and number > maximum:
        raise ValueError(
            _("a count above %(max)s is not plausible: %(text)s")
            % {"max": maximum, "text": str(text).strip()}
        )
    return int(number)
