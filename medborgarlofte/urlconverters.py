"""Path converters for every number in a URL, each bounded to what the product can hold.

Django's `<int:…>` takes any run of digits, so `/…/medborgarlofte/10000000000000000000000/`
reached the views and overflowed a date or a database integer (a 500). These converters
refuse anything out of range before a view runs: the pattern does not match, so the answer
is 404. Every URL of the project uses them instead of `int` (tests/test_url_numbers.py).
"""

from django.urls import register_converter

import medborgarlofte.urlconverters  # noqa: F401  (registers year, week, id …)


class _Bounded:
    regex = "[0-9]+"
    low = 0
    high = 0

    def to_python(self, value: str) -> int:
        number = int(value)
        if not self.low <= number <= self.high:
            raise ValueError(f"{number} is out of range")
        return number

    def to_url(self, value) -> str:
        return str(int(value))


class YearConverter(_Bounded):
    """A calendar year of an agreement, statistics or a follow-up."""

    regex = "[0-9]{4}"
    low, high = 1900, 2999


class WeekConverter(_Bounded):
    """An ISO week number."""

    regex = "[0-9]{1,2}"
    low, high = 1, 53


class TertialConverter(_Bounded):
    regex = "[1-3]"
    low, high = 1, 3


class NumberConverter(_Bounded):
    """A version number (1, 2, …)."""

    regex = "[0-9]{1,9}"
    low, high = 1, 999_999_999


class IndexConverter(_Bounded):
    """A 0-based position in a list (an indicator of a commitment)."""

    regex = "[0-9]{1,4}"
    low, high = 0, 9999


class IdConverter(_Bounded):
    """A primary key: 18 digits always fit a 64-bit database integer."""

    regex = "[0-9]{1,18}"
    low, high = 1, 2**63 - 1


CONVERTERS = {
    "year": YearConverter,
    "week": WeekConverter,
    "tertial": TertialConverter,
    "number": NumberConverter,
    "index": IndexConverter,
    "id": IdConverter,
}

for _name, _converter in CONVERTERS.items():
    register_converter(_converter, _name)
