"""The readable diff between two agreement versions (agreements/diff.py, issue 18):
pure functions on small documents, in Swedish."""

import copy

import pytest
from django.utils import translation

from medborgarlofte.accounts.diffing import (
    ADDED,
    REMOVED,
    SAME,
    Segment,
    moved_items,
    word_diff,
)
from medborgarlofte.agreements.diff import diff_agreements


@pytest.fixture(autouse=True)
def _swedish():
    with translation.override("sv"):
        yield


def _doc():
    return {
        "format": "medborgarlofte/1",
        "municipality": "0642",
        "title": "Medborgarlöfte Mullsjö 2024",
        "period": {"start": "2024-01-01", "end": "2024-12-31"},
        "parties": [
            {"key": "polisen", "kind": "police", "name": "Polisen"},
            {"key": "kommunen", "kind": "municipality", "name": "Mullsjö kommun"},
        ],
        "focus_areas": [{"key": "centrum", "title": "Trygghet i centrum"}],
        "crime_categories": ["Skadegörelse"],
        "sections": [
            {
                "heading": "Centrum",
                "focus_area": "centrum",
                "commitments": [
                    {
                        "text": "Polisen genomför hundsök vid skolorna varje månad.",
                        "owners": ["polisen"],
                        "level": "operational",
                        "cadence": "monthly",
                        "indicators": [
                            {
                                "title": "Antal hundsök",
                                "kind": "output",
                                "target": 10,
                                "direction": "increase",
                            }
                        ],
                        "ref": "s1-c1",
                    },
                    {
                        "text": "Kommunen lagar belysningen i parken.",
                        "owners": ["kommunen"],
                        "ref": "s1-c2",
                    },
                    {
                        "text": "Vi håller trygghetsvandringar.",
                        "owners": ["kommunen"],
                        "ref": "s1-c3",
                    },
                ],
            },
            {
                "heading": "Skolan",
                "commitments": [
                    {"text": "Skolan har öppet hus.", "owners": ["kommunen"], "ref": "s2-c1"}
                ],
            },
        ],
    }


def _commitment(doc, ref):
    return next(c for s in doc["sections"] for c in s["commitments"] if c["ref"] == ref)


def _sentences(changes):
    return [c.sentence for c in changes]


def _all_text(changes):
    """Everything a reader sees, as one string."""
    parts = []
    for c in changes:
        parts += [c.sentence, "".join(s.text for s in c.words), *c.details]
    return "\n".join(parts)


def test_word_diff_marks_only_the_changed_words():
    segments = word_diff("Polisen gör hundsök varje månad.", "Polisen gör hundsök varje vecka.")
    assert segments == (
        Segment("Polisen gör hundsök varje ", SAME),
        Segment("månad", REMOVED),
        Segment("vecka", ADDED),
        Segment(".", SAME),
    )


def test_word_diff_joins_neighbouring_changed_words():
    segments = word_diff("a b c d", "a x y d")
    assert segments == (
        Segment("a ", SAME),
        Segment("b c", REMOVED),
        Segment("x y", ADDED),
        Segment(" d", SAME),
    )
    # the new text can always be read back from the unchanged and added parts
    assert "".join(s.text for s in segments if s.kind != REMOVED) == "a x y d"


def test_moved_items_are_those_outside_the_longest_common_order():
    assert moved_items(["a", "b", "c"], ["a", "c"]) == set()  # b removed: nothing moved
    assert moved_items(["a", "b", "c"], ["c", "a", "b"]) == {"c"}
    assert moved_items(["a", "b"], ["a", "b"]) == set()


def test_identical_documents_have_no_changes():
    assert diff_agreements(_doc(), _doc()) == []


def test_a_changed_commitment_shows_the_changed_words_and_owners_in_swedish():
    old, new = _doc(), _doc()
    c = _commitment(new, "s1-c1")
    c["text"] = "Polisen genomför hundsök vid skolorna varje vecka."
    c["owners"] = ["polisen", "kommunen"]
    c["cadence"] = "weekly"
    c["level"] = "tactical"
    (change,) = diff_agreements(old, new)
    assert change.kind == "changed"
    assert change.sentence == "Löfte ändrat under ”Centrum”:"
    assert Segment("månad", REMOVED) in change.words
    assert Segment("vecka", ADDED) in change.words
    assert "Ansvariga: Polisen → Polisen och Mullsjö kommun" in change.details
    assert "Nivå: Operativ → Taktisk" in change.details
    assert "Intervall: Månadsvis → Veckovis" in change.details


def test_indicators_added_removed_and_changed_in_words_not_keys():
    old, new = _doc(), _doc()
    indicators = _commitment(new, "s1-c1")["indicators"]
    indicators[0]["target"] = 12.5
    indicators[0]["direction"] = "decrease"
    indicators.append({"title": "Antal trygghetsvandringar", "kind": "process", "target": 4})
    _commitment(new, "s1-c2")["indicators"] = [{"title": "Trasiga lampor", "kind": "effect"}]
    changes = diff_agreements(old, new)
    text = _all_text(changes)
    assert "Indikatorn ”Antal hundsök”: Målvärde: 10 → 12,5; Riktning: Ökning → Minskning." in text
    assert "Indikatorn ”Antal trygghetsvandringar” lades till (Process, målvärde 4)." in text
    assert "Indikatorn ”Trasiga lampor” lades till (Effekt)." in text
    old2 = copy.deepcopy(new)
    _commitment(new, "s1-c2")["indicators"] = []
    assert "Indikatorn ”Trasiga lampor” togs bort." in _all_text(diff_agreements(old2, new))
    for raw in ("output", "increase", "decrease", "kind:", "direction:", "s1-c1"):
        assert raw not in text


def test_added_and_removed_commitments():
    old, new = _doc(), _doc()
    new["sections"][1]["commitments"].append(
        {"text": "Fältassistenter finns på plats.", "owners": ["kommunen"], "ref": "s2-c2"}
    )
    del new["sections"][0]["commitments"][1]  # s1-c2 removed
    changes = diff_agreements(old, new)
    assert sorted(c.kind for c in changes) == ["added", "removed"]
    added, removed = changes
    assert removed.sentence == "Löfte borttaget från ”Centrum”:"
    assert removed.words == (Segment("Kommunen lagar belysningen i parken.", REMOVED),)
    assert added.sentence == "Löfte tillagt under ”Skolan”:"
    assert added.words == (Segment("Fältassistenter finns på plats.", ADDED),)
    assert "Ansvariga: Mullsjö kommun" in added.details
    # removing s1-c2 does not make s1-c3 "moved"
    assert not any(c.kind == "moved" for c in changes)


def test_moved_within_a_section_and_to_another_section():
    old, new = _doc(), _doc()
    first, second, third = new["sections"][0]["commitments"]
    new["sections"][0]["commitments"] = [third, first, second]
    (within,) = diff_agreements(old, new)
    assert within.kind == "moved"
    assert within.details == ("Flyttat från plats 3 till plats 1 i avsnittet.",)

    new = _doc()
    moving = new["sections"][0]["commitments"].pop(1)
    new["sections"][1]["commitments"].append(moving)
    (across,) = diff_agreements(old, new)
    assert across.kind == "moved"
    assert across.sentence == "Löfte flyttat (nu under ”Skolan”):"
    assert across.details == ("Flyttat från avsnittet ”Centrum” till ”Skolan”.",)


def test_moved_and_changed_is_one_change_saying_both():
    old, new = _doc(), _doc()
    moving = new["sections"][0]["commitments"].pop(1)
    moving["text"] = "Kommunen lagar belysningen i parken och vid skolan."
    new["sections"][1]["commitments"].append(moving)
    (change,) = diff_agreements(old, new)
    assert change.kind == "changed"
    assert change.details[0] == "Flyttat från avsnittet ”Centrum” till ”Skolan”."
    assert Segment(" och vid skolan", ADDED) in change.words


def test_general_parts_in_plain_swedish():
    old, new = _doc(), _doc()
    new["title"] = "Medborgarlöfte Mullsjö 2024–2025"
    new["parties"].append({"key": "region", "kind": "other", "name": "Region Jönköpings län"})
    new["parties"][1]["name"] = "Mullsjö kommun, socialtjänsten"
    new["focus_areas"].append({"key": "skola", "title": "Tryggare skolväg"})
    new["crime_categories"] = ["Skadegörelse", "Narkotikabrott"]
    new["signed"] = {
        "date": "2024-03-01",
        "signatories": [{"party": "polisen", "role": "Lokalpolisområdeschef", "name": "Anna"}],
    }
    new["basis"] = [{"kind": "safety_survey", "description": "Trygghetsmätningen", "years": [2023]}]
    new["sections"][1]["heading"] = "Skolan och fritidsgården"
    text = _all_text(diff_agreements(old, new))
    assert "Titel ändrades:" in text
    assert "Part tillagd: Region Jönköpings län (Övrigt)." in text
    assert "Parten ”Mullsjö kommun” bytte namn till ”Mullsjö kommun, socialtjänsten”." in text
    assert "Fokusområde tillagt: ”Tryggare skolväg”." in text
    assert "Prioriterad brottskategori tillagd: Narkotikabrott." in text
    assert "Undertecknat: inte angivet → 1 mars 2024" in text
    assert "Undertecknare tillagd: Lokalpolisområdeschef Anna (Polisen)." in text
    assert "Trygghetsundersökning: Trygghetsmätningen (2023)" in text
    assert "Avsnittets rubrik ändrades:" in text
    for raw in ("safety_survey", "other", "region", "skola"):
        assert raw not in text.split()


def test_public_diff_leaves_out_extensions():
    old, new = _doc(), _doc()
    new["extensions"] = {"x-police": {"note": "internt"}}
    assert _sentences(diff_agreements(old, new, public=True)) == []
    staff = diff_agreements(old, new)
    assert len(staff) == 1 and "internt" not in _all_text(staff)
