import math

import pytest
from scipy.stats import binomtest

from medborgarlofte.crimestats import analysis


def _independent_ci(x1, p1, x2, p2):
    ci = binomtest(x1, x1 + x2).proportion_ci(confidence_level=0.95, method="exact")

    def to_rr(p):
        return math.inf if p >= 1 else p / (1 - p) * p2 / p1

    return to_rr(ci.low), to_rr(ci.high)


@pytest.mark.parametrize(
    "x1,p1,x2,p2",
    [
        (17, 7583, 12, 7469),
        (246, 7583, 298, 7469),
        (1000, 100000, 900, 95000),
        (3, 1200, 1, 1150),
        (5, 50, 5, 50),
    ],
)
def test_it_matches_an_independent_exact_interval(x1, p1, x2, p2):
    result = analysis.rate_ratio(x1, p1, x2, p2)
    low, high = _independent_ci(x1, p1, x2, p2)
    assert result.ratio == pytest.approx((x1 / p1) / (x2 / p2))
    assert result.low == pytest.approx(low, rel=1e-9)
    assert result.high == pytest.approx(high, rel=1e-9)


def test_it_does_not_call_a_move_from_12_to_17_significant():
    result = analysis.rate_ratio(17, 7583, 12, 7500)
    assert result.low < 1 < result.high
    assert not result.significant


def test_it_calls_a_large_change_significant():
    assert analysis.rate_ratio(200, 10000, 100, 10000).significant


def test_it_handles_zero_in_the_later_period():
    result = analysis.rate_ratio(0, 7583, 9, 7500)
    assert result.ratio == 0
    assert result.low == 0
    assert 0 < result.high < 1  # 9 → 0 is a real fall
    assert result.significant


def test_it_handles_zero_in_the_earlier_period():
    result = analysis.rate_ratio(4, 7583, 0, 7500)
    assert math.isinf(result.ratio)
    assert math.isinf(result.high)
    assert result.low > 0
    assert result.percent_change is None


def test_it_gives_no_estimate_when_both_counts_are_zero():
    result = analysis.rate_ratio(0, 300, 0, 300)
    assert (result.ratio, result.low, result.high, result.significant) == (None, None, None, False)


def test_it_handles_tiny_populations():
    result = analysis.rate_ratio(1, 10, 1, 20)
    assert result.ratio == pytest.approx(2.0)
    low, high = _independent_ci(1, 10, 1, 20)
    assert (result.low, result.high) == (pytest.approx(low), pytest.approx(high))
    assert not result.significant


def test_it_refuses_a_zero_population():
    with pytest.raises(ValueError):
        analysis.rate_ratio(1, 0, 1, 10)


def test_it_computes_rates_per_100000_and_none_without_population():
    assert analysis.rate(38, 7583) == pytest.approx(501.12, abs=0.01)
    assert analysis.rate(38, None) is None
    assert analysis.rate(None, 7583) is None


def test_it_sums_rolling_12_months_only_where_complete():
    monthly = {(2023, m): 1 for m in range(1, 13)} | {(2024, 1): 5}
    rolling = analysis.rolling_12(monthly)
    assert rolling == {(2023, 12): 12, (2024, 1): 16}
    del monthly[(2023, 6)]
    assert analysis.rolling_12(monthly) == {}


def test_it_computes_a_seasonal_profile_that_averages_one():
    monthly = {(2023, m): (20 if m == 7 else 10) for m in range(1, 13)}
    profile = analysis.seasonal_profile(monthly)
    assert sum(profile.values()) / 12 == pytest.approx(1.0)
    assert profile[7] == pytest.approx(20 * 12 / 130)
    assert analysis.seasonal_profile({(2023, 1): 3}) is None


def test_it_warns_about_small_numbers():
    assert analysis.small_numbers([25, 19])
    assert not analysis.small_numbers([20, 300, None])


def test_it_picks_similar_kommuner_by_population():
    pops = {"A": 1000, "B": 1100, "C": 5000, "D": 900, "E": 100000}
    assert analysis.similar_kommuner("A", pops, how_many=2) == ["B", "D"]
    assert analysis.similar_kommuner("X", pops) == []


def test_it_computes_group_rates_over_kommuner_with_both_figures():
    assert analysis.area_rate(
        {"A": 10, "B": 30, "C": None}, {"A": 1000, "B": 3000, "C": 5}
    ) == pytest.approx(1000)
