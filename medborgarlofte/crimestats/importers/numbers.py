"""Swedish numbers as official statistics print them.

`1 234,5` (space, NBSP U+00A0 or narrow NBSP U+202F between groups of three digits,
comma as decimal sign), `..` = missing (returned as None), `-` or `–` = zero.
Anything else (`1 2,3,4`, `12 34`, `1,2,3`) is refused with a ValueError whose
message says why.
"""

import re

from django.utils.translation import gettext as _

SEPARATORS = " \u00a0\u202f"
MISSING = {"..", "…", ".", ""}
ZERO = {"-", "–", "—"}
_GROUPED = re.compile(
    r"^(?P<sign>-?)(?P<int>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[,.](?P<frac>\d+))?$"
)


def parse_number(text) -> float | None:
    """The value of a Swedish-formatted number; None for missing (`..`)."""
    if isinstance(text, bool):
        raise ValueError(_("not a number: %(text)s") % {"text": text})
    if isinstance(text, int | float):
        return float(text)
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
    return -number if match["sign"] else number


def parse_count(text) -> int | None:
    """A count of crimes: a whole number ≥ 0, or None for missing."""
    if type(text) is str and text.isascii() and text.isdigit():
        return int(text)  # the common case, without the regular expression
    number = parse_number(text)
    if number is None:
        return None
    if number < 0:
        raise ValueError(_("a count cannot be negative: %(text)s") % {"text": str(text).strip()})
    if number != int(number):
        raise ValueError(
            _("a count must be a whole number: %(text)s") % {"text": str(text).strip()}
        )
    return int(number)
