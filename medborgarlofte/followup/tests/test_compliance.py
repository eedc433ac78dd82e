import datetime

import pytest

from medborgarlofte.followup import compliance, periods
from medborgarlofte.followup.indicators import judge

D = datetime.date


def test_it_counts_the_52_iso_weeks_of_2024():
    assert len(periods.buckets("weekly", D(2024, 1, 1), D(2024, 12, 31))) == 52


def test_it_splits_the_year_into_tertials():
    keys = [b.key for b in periods.buckets("tertial", D(2024, 1, 1), D(2024, 12, 31))]
    assert keys == ["2024-T1", "2024-T2", "2024-T3"]
    assert periods.period_range(2024, "t2") == (D(2024, 5, 1), D(2024, 8, 31))


@pytest.mark.parametrize(
    ("cadence", "expected"),
    [("monthly", 12), ("quarterly", 4), ("half_year", 2), ("yearly", 1), ("continuous", None)],
)
def test_it_expects_one_occurrence_per_bucket(cadence, expected):
    result = compliance.compute(cadence, [], D(2024, 1, 1), D(2024, 12, 31), D(2025, 1, 1))
    assert result.expected == expected


def test_it_reports_47_of_52_weeks_when_five_weeks_are_missed():
    weeks = periods.buckets("weekly", D(2024, 1, 1), D(2024, 12, 31))
    dates = [b.start for i, b in enumerate(weeks) if i not in {3, 10, 20, 30, 40}]
    result = compliance.compute("weekly", dates, D(2024, 1, 1), D(2024, 12, 31), D(2025, 2, 1))
    assert (result.logged, result.expected) == (47, 52)
    assert len(result.missed) == 5


def test_it_only_expects_weeks_that_have_ended():
    result = compliance.compute("weekly", [], D(2024, 1, 1), D(2024, 12, 31), D(2024, 1, 14))
    assert result.expected == 2  # weeks 1 and 2 ended by Sunday 14 January


def test_it_says_continuous_commitments_have_no_expected_count():
    from django.utils import translation

    result = compliance.compute(
        "continuous", [D(2024, 3, 1)], D(2024, 1, 1), D(2024, 12, 31), D(2025, 1, 1)
    )
    with translation.override("en"):
        assert "no expected count" in compliance.compliance_text(result.as_plain())


def test_it_finds_the_next_follow_up_due():
    assert periods.next_due(2024, D(2024, 6, 1), {"t1"}) == ("t2", D(2024, 9, 14))
    assert periods.next_due(2024, D(2024, 6, 1), set(periods.PERIOD_KEYS)) is None


@pytest.mark.parametrize(
    ("value", "baseline", "target", "direction", "cumulative", "share", "status"),
    [
        (None, 1, 2, "increase", False, 1, "no_data"),
        (5, None, None, "increase", False, 1, "no_target"),
        (5, 1, 10, "", False, 1, "no_target"),
        (10, 1, 10, "increase", False, 1, "on_track"),
        (5, 1, 10, "increase", False, 1, "on_track"),  # better than the baseline
        (1, 1, 10, "increase", False, 1, "off_track"),
        (3, None, 12, "increase", True, 0.25, "on_track"),  # pro-rated: 3 of 12 after a quarter
        (2, None, 12, "increase", True, 0.25, "off_track"),
        (40, 50, None, "decrease", False, 1, "on_track"),
        (60, 50, 45, "decrease", False, 1, "off_track"),
    ],
)
def test_it_judges_indicator_status(value, baseline, target, direction, cumulative, share, status):
    assert judge(value, baseline, target, direction, cumulative=cumulative, share=share) == status
