"""Women and men separately where the survey has them, and nowhere else (issue 15)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from medborgarlofte.lagesbild.sources import survey_section as lagesbild_survey_section
from medborgarlofte.surveys.importing import parse_survey
from medborgarlofte.surveys.models import SurveyValue
from medborgarlofte.surveys.services import import_survey, save_value
from medborgarlofte.surveys.summary import survey_section
from medborgarlofte.surveys.tables import TableError

SPLIT_CSV = (
    "provider;year;area;respondents;question;kön;index;n\n"
    "Polisen;2023;Mullsjö centrum;250;Klotter;T;1,80;241\n"
    "Polisen;2023;Mullsjö centrum;250;Klotter;K;2,10;130\n"
    "Polisen;2023;Mullsjö centrum;250;Klotter;M;1,50;111\n"
    "Polisen;2023;Mullsjö centrum;250;Nedskräpning;;1,20;\n"
).encode()

PLAIN_CSV = (
    "provider;year;area;respondents;question;index\nPolisen;2023;Mullsjö centrum;250;Klotter;1,80\n"
).encode()


class _Lagesbild:
    def __init__(self, municipality, year):
        self.municipality = municipality
        self.period_end = type("D", (), {"year": year})()


def test_it_imports_total_women_and_men_and_a_second_import_changes_nothing(mullsjo, coordinator):
    result = import_survey(mullsjo, coordinator, parse_survey(SPLIT_CSV, "k.csv"))
    assert result.created == 4
    klotter = dict(SurveyValue.objects.filter(question="Klotter").values_list("gender", "value"))
    assert klotter == {"T": Decimal("1.80"), "K": Decimal("2.10"), "M": Decimal("1.50")}
    assert SurveyValue.objects.get(question="Nedskräpning").gender == "T"  # blank cell = total
    again = import_survey(mullsjo, coordinator, parse_survey(SPLIT_CSV, "k.csv"))
    assert not again.changed and again.unchanged == 4


def test_it_refuses_an_unknown_gender_code_with_line_and_column():
    bad = SPLIT_CSV.replace(b";K;2,10", b";X;2,10")
    with pytest.raises(TableError) as caught:
        parse_survey(bad, "k.csv")
    assert "rad 3" in str(caught.value) or "line 3" in str(caught.value)
    assert "X" in str(caught.value)


def test_the_section_shows_women_and_men_beside_the_total(mullsjo, coordinator):
    import_survey(mullsjo, coordinator, parse_survey(SPLIT_CSV, "k.csv"))
    section = survey_section(mullsjo)
    assert section["has_gender_split"] is True
    rows = {r["question"]: r for r in section["index_rows"]}
    assert len(section["index_rows"]) == 2  # K and M sit beside the total, not as rows
    assert rows["Klotter"]["value"] == Decimal("1.80")
    assert rows["Klotter"]["women"] == {"value": Decimal("2.10"), "n": 130}
    assert rows["Klotter"]["men"] == {"value": Decimal("1.50"), "n": 111}
    assert rows["Nedskräpning"]["women"] is None
    with translation.override("sv"):
        lagesbild = lagesbild_survey_section(_Lagesbild(mullsjo, 2023))
        assert [str(c) for c in lagesbild.columns[-2:]] == ["Kvinnor", "Män"]
    klotter = next(r for r in lagesbild.rows if r[0] == "Klotter")
    assert klotter[-2:] == ["2,1 (n = 130)", "1,5 (n = 111)"]


def test_no_women_men_columns_where_the_survey_has_no_split(client, mullsjo, coordinator):
    import_survey(mullsjo, coordinator, parse_survey(PLAIN_CSV, "p.csv"))
    section = survey_section(mullsjo)
    assert section["has_gender_split"] is False
    assert section["index_rows"][0]["women"] is None
    with translation.override("sv"):
        lagesbild = lagesbild_survey_section(_Lagesbild(mullsjo, 2023))
        assert "Kvinnor" not in [str(c) for c in lagesbild.columns]
    client.force_login(coordinator)
    page = client.get(reverse("surveys:municipality", args=[mullsjo.code])).content.decode()
    assert "Kvinnor" not in page and "Women" not in page


def test_the_page_shows_the_split_and_hand_entry_keeps_genders_apart(client, mullsjo, coordinator):
    import_survey(mullsjo, coordinator, parse_survey(PLAIN_CSV, "p.csv"))
    wave = SurveyValue.objects.get().wave
    save_value(wave, coordinator, question="Klotter", answer="", value=Decimal("2.3"), n=90,
               gender="K")  # fmt: skip
    assert SurveyValue.objects.filter(question="Klotter").count() == 2
    client.force_login(coordinator)
    url = reverse("surveys:save-value", args=[mullsjo.code, wave.pk])
    response = client.post(url, {"question": "Klotter", "gender": "M", "value": "1.4", "n": "80"})
    assert response.status_code == 302
    assert SurveyValue.objects.get(question="Klotter", gender="M").value == Decimal("1.40")
    assert SurveyValue.objects.get(question="Klotter", gender="T").value == Decimal("1.80")
    page = client.get(reverse("surveys:municipality", args=[mullsjo.code])).content.decode()
    assert "2,30 (n 90)" in page and "1,40 (n 80)" in page
