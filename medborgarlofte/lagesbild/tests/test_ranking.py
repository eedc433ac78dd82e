import pytest

from medborgarlofte.lagesbild import ranking


def test_it_scores_nothing_without_evidence():
    assert ranking.score([]) == 0


def test_it_takes_the_strongest_item_per_source_type():
    score = ranking.components([("survey", 0.2), ("survey", 0.6)])
    assert [(t.kind, t.strength, t.items) for t in score.terms] == [("survey", 0.6, 2)]
    assert score.total == 0.6


def test_it_rewards_independent_sources():
    one = ranking.score([("statistic", 1.0)])
    two = ranking.score([("statistic", 1.0), ("dialogue", 1.0)])
    # (1.0 + 0.8) × 1.5
    assert one == 1.0
    assert two == pytest.approx(2.7)


def test_it_shows_every_term():
    data = ranking.components([("dialogue", 0.5), ("statistic", 0.25)]).as_dict()
    assert [t["kind"] for t in data["terms"]] == ["statistic", "dialogue"]
    assert data["weighted_sum"] == pytest.approx(0.25 + 0.4)
    assert data["multiplier"] == 1.5
    assert data["total"] == pytest.approx(round(0.65 * 1.5, 2))


def test_it_clamps_strengths_and_maps_unknown_kinds_to_other():
    score = ranking.components([("weird", 7)])
    assert score.terms[0].kind == "other"
    assert score.terms[0].strength == 1.0


@pytest.mark.parametrize(
    ("index", "expected"), [(1.2, 0.2), (1.5, 0.2), (1.6, 0.6), (1.69, 0.6), (1.7, 1.0), (2.4, 1.0)]
)
def test_it_weighs_the_survey_index_by_the_thresholds(index, expected):
    assert ranking.survey_index_strength(index) == expected


def test_it_halves_changes_not_shown_to_be_significant():
    assert ranking.statistic_strength(50, True) == 1.0
    assert ranking.statistic_strength(50, False) == 0.5
    assert ranking.statistic_strength(-20, True) == 0.1
