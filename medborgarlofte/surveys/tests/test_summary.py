from decimal import Decimal

import pytest

from medborgarlofte.surveys.demo import load_surveys_demo
from medborgarlofte.surveys.models import SurveyThreshold, SurveyValue, SurveyWave
from medborgarlofte.surveys.summary import survey_section
from medborgarlofte.surveys.thresholds import threshold_class


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0.8", "normal"), ("1.5", "normal"), ("1.51", "watch"), ("1.69", "watch"),
     ("1.7", "act"), ("2.0", "act"), ("2.01", "act"), ("6", "act")],
)  # fmt: skip
def test_it_classes_index_values_with_the_default_thresholds(value, expected):
    assert threshold_class(Decimal(value)) == expected


def _wave(kommun, year, area="Mullsjö centrum", n=200, **extra):
    return SurveyWave.objects.create(
        municipality=kommun, provider="Polisen", year=year, area=area, respondents=n,
        value_format=extra.pop("value_format", "index"), source="Polisen", **extra,
    )  # fmt: skip


def test_it_answers_unavailable_without_waves(mullsjo):
    section = survey_section(mullsjo)
    assert section["available"] is False
    assert section["index_rows"] == []


def test_it_shows_latest_wave_with_n_trend_and_class(mullsjo):
    old = _wave(mullsjo, 2022)
    new = _wave(mullsjo, 2023, n=250)
    SurveyValue.objects.create(municipality=mullsjo, wave=old, question="Klotter", value="1.40")
    SurveyValue.objects.create(
        municipality=mullsjo, wave=new, question="Klotter", value="1.60", n=231
    )
    SurveyValue.objects.create(municipality=mullsjo, wave=new, question="Nedskräpning", value="2.5")
    section = survey_section(mullsjo)
    assert section["year"] == 2023
    rows = {r["question"]: r for r in section["index_rows"]}
    assert rows["Klotter"]["n"] == 231
    assert rows["Klotter"]["change"] == Decimal("0.20")
    assert rows["Klotter"]["trend"] == "up"
    assert rows["Klotter"]["class"] == "watch"
    assert rows["Nedskräpning"]["n"] == 250  # the wave's n when the question has none
    assert rows["Nedskräpning"]["class"] == "act"
    assert rows["Nedskräpning"]["previous_value"] is None
    assert section["thresholds"]["normal_max"] == Decimal("1.5")
    assert section["thresholds"]["act_from"] == Decimal("1.7")


def test_polisens_problem_level_1_7_is_act_by_default(mullsjo):
    wave = _wave(mullsjo, 2023)
    SurveyValue.objects.create(municipality=mullsjo, wave=wave, question="Klotter", value="1.70")
    section = survey_section(mullsjo)
    assert section["index_rows"][0]["class"] == "act"
    assert "1,7" in str(section["thresholds"]["explanation"])


def test_it_uses_the_kommuns_own_thresholds_and_year_limit(mullsjo):
    SurveyThreshold.objects.create(municipality=mullsjo, normal_max="1.0", act_from="1.2")
    wave = _wave(mullsjo, 2022)
    SurveyValue.objects.create(municipality=mullsjo, wave=wave, question="Klotter", value="1.1")
    _wave(mullsjo, 2024)
    section = survey_section(mullsjo, year=2023)
    assert section["year"] == 2022
    assert section["index_rows"][0]["class"] == "watch"


def test_it_lists_percentages_per_answer(mullsjo):
    wave = _wave(mullsjo, 2023, value_format="percent")
    SurveyValue.objects.create(
        municipality=mullsjo, wave=wave, question="Trygg ute sent", answer="Mycket trygg",
        value="41.5", n=190,
    )  # fmt: skip
    section = survey_section(mullsjo)
    assert section["percent_rows"][0]["answer"] == "Mycket trygg"
    assert section["percent_rows"][0]["class"] is None


def test_the_demo_is_labelled_example_and_loads_twice_without_change(mullsjo):
    load_surveys_demo()
    count = SurveyValue.objects.count()
    result = load_surveys_demo()
    assert SurveyValue.objects.count() == count
    assert not result.changed
    section = survey_section(mullsjo)
    assert section["is_example"] is True
    assert section["year"] == 2023
    assert all(r["previous_value"] is not None for r in section["index_rows"])


def test_the_migration_keeps_a_kommuns_own_classes(mullsjo):
    from importlib import import_module

    from django.apps import apps

    migration = import_module(
        "medborgarlofte.surveys.migrations.0002_threshold_act_from_polisen_levels"
    )
    row = SurveyThreshold.objects.create(municipality=mullsjo, normal_max="1.4", act_from="1.9")
    # the old rule: 1.90 was "watch" (≤ watch_max 1.9), 1.91 "act"
    migration.forwards(apps, None)
    row.refresh_from_db()
    assert row.act_from == Decimal("1.91")
    assert threshold_class(Decimal("1.90"), row.normal_max, row.act_from) == "watch"
    assert threshold_class(Decimal("1.91"), row.normal_max, row.act_from) == "act"
    migration.backwards(apps, None)
    row.refresh_from_db()
    assert row.act_from == Decimal("1.90")
