import datetime

from medborgarlofte.dialogues.demo import load_dialogues_demo
from medborgarlofte.dialogues.services import EntryData, create_entry, submit_public_entry
from medborgarlofte.dialogues.summary import dialogue_section

NOV = (datetime.date(2023, 11, 1), datetime.date(2023, 11, 30))


def test_it_counts_themes_by_area_and_source(mullsjo, coordinator):
    day = datetime.date(2023, 11, 7)
    create_entry(
        mullsjo, coordinator, EntryData("citizen", day, "Klotter vid stationen", "Stationen")
    )
    create_entry(mullsjo, coordinator, EntryData("staff", day, "Klottret på skolan", "Skolan"))
    submit_public_entry(mullsjo, date=day, area="Stationen", text="Mopeder buskör och klottrar")
    create_entry(mullsjo, coordinator, EntryData("citizen", day, "Tack för mötet", "Centrum"))
    create_entry(
        mullsjo, coordinator, EntryData("citizen", datetime.date(2023, 12, 1), "klotter", "")
    )
    section = dialogue_section(mullsjo, *NOV)
    assert section["total_entries"] == 4
    assert section["untagged_entries"] == 1
    assert section["by_source"] == {"citizen": 2, "staff": 1, "public_form": 1}
    themes = {t["key"]: t for t in section["themes"]}
    assert themes["klotter"]["count"] == 3
    assert themes["klotter"]["by_area"] == {"Stationen": 2, "Skolan": 1}
    assert themes["klotter"]["by_source"]["public_form"] == 1
    assert "Skadegörelsebrott" in themes["klotter"]["categories"]
    assert themes["trafik"]["categories"] == ["Trafikbrott"]
    assert section["is_example"] is False


def test_it_is_empty_for_another_period(mullsjo):
    section = dialogue_section(mullsjo, datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))
    assert section["available"] is False
    assert section["themes"] == []


def test_the_demo_has_about_150_example_entries_from_november_2023(mullsjo):
    load_dialogues_demo()
    load_dialogues_demo()
    section = dialogue_section(mullsjo, *NOV)
    assert 140 <= section["total_entries"] <= 170
    assert section["is_example"] is True
    assert {t["key"] for t in section["themes"]} >= {"klotter", "narkotika", "trafik"}
