import pytest
from hypothesis import given
from hypothesis import strategies as st

from medborgarlofte.crimestats.importers.numbers import parse_count, parse_number

SEPARATORS = [" ", "\u00a0", "\u202f"]


def swedish(value: int, sep: str, decimals: str = "") -> str:
    grouped = f"{value:,}".replace(",", sep)
    return grouped + ("," + decimals if decimals else "")


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(SEPARATORS))
def test_it_reads_every_grouped_whole_number(value, sep):
    assert parse_count(swedish(value, sep)) == value


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(SEPARATORS), st.integers(0, 99))
def test_it_reads_decimals_with_a_comma(value, sep, frac):
    assert parse_number(swedish(value, sep, f"{frac:02d}")) == pytest.approx(value + frac / 100)


@given(st.text(alphabet="0123456789 ,.-\u00a0", max_size=12))
def test_it_never_crashes_and_never_returns_a_negative_count(text):
    try:
        value = parse_count(text)
    except ValueError:
        return
    assert value is None or value >= 0


@pytest.mark.parametrize(
    "text", ["1 2,3,4", "12 34", "1,2,3", "1 234 56", "abc", "1e5", "--", "1 234,5 6"]
)
def test_it_refuses_malformed_numbers(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    "text,value",
    [
        ("..", None),
        ("-", 0),
        ("–", 0),
        ("1 234", 1234),
        ("1\u00a0234", 1234),
        ("2974.0", 2974),
        ("0", 0),
    ],
)
def test_it_reads_official_statistics_conventions(text, value):
    assert parse_count(text) == value


@pytest.mark.parametrize("text", ["-5", "12,5"])
def test_it_refuses_negative_and_fractional_counts(text):
    with pytest.raises(ValueError):
        parse_count(text)
