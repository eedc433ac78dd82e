"""Theme tagging: inflected forms, compounds, the taxonomy's mapping, and a measured floor.

The labelled set (privacy/tests/corpus/themes.jsonl) holds invented dialogue texts
with the themes a coordinator would give them; benchmarks/theme_tagging.py prints
precision and recall per theme.
"""

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from medborgarlofte.dialogues.themes import load_themes, tag

LABELLED = Path(__file__).resolve().parents[2] / "privacy" / "tests" / "corpus" / "themes.jsonl"
CATEGORIES = Path(__file__).resolve().parents[2] / "crimestats" / "data" / "categories.csv"


def load_labelled() -> list[dict]:
    return [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]


def score(items) -> dict:
    tp, fp, fn = Counter(), Counter(), Counter()
    for item in items:
        found, expected = set(tag(item["text"])), set(item["themes"])
        for key in found & expected:
            tp[key] += 1
        for key in found - expected:
            fp[key] += 1
        for key in expected - found:
            fn[key] += 1
    rows = {}
    for key in [t.key for t in load_themes()] + ["micro"]:
        t = sum(tp.values()) if key == "micro" else tp[key]
        p = sum(fp.values()) if key == "micro" else fp[key]
        n = sum(fn.values()) if key == "micro" else fn[key]
        precision = t / (t + p) if t + p else 1.0
        recall = t / (t + n) if t + n else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows[key] = {"tp": t, "fp": p, "fn": n, "precision": precision, "recall": recall, "f1": f1}
    return rows


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("klotter på väggen", "klotter"),
        ("klottret i tunneln", "klotter"),
        ("vid klotterplanket", "klotter"),
        ("husväggsklotter", "klotter"),
        ("langning vid skolan", "narkotika"),
        ("någon langar", "narkotika"),
        ("mopeder på gångvägen", "trafik"),
        ("mopedåkare", "trafik"),
        ("buskörning", "trafik"),
        ("A-traktor i centrum", "trafik"),
        ("EPA-traktorer", "trafik"),
        ("epor i rondellen", "trafik"),
        ("ett bluffsamtal", "bedrageri"),
        ("inbrotten i villorna", "inbrott"),
    ],
)
def test_it_tags_inflected_forms_and_compounds(text, theme):
    assert theme in tag(text)


@pytest.mark.parametrize(
    "text", ["Vi kom från badplatsen", "Hotellet är fint", "Han drog iväg", "Svårt att fylla i"]
)
def test_it_ignores_look_alike_words(text):
    assert tag(text) == []


def test_every_mapped_category_exists_in_the_taxonomy():
    with CATEGORIES.open(encoding="utf-8", newline="") as fh:
        names = {row["name"] for row in csv.DictReader(fh)}
    mapped = {c for theme in load_themes() for c in theme.categories}
    assert mapped - names == set()
    assert {"Skadegörelsebrott", "Narkotikabrott", "Trafikbrott"} <= mapped


def test_it_meets_the_floor_on_the_labelled_set():
    items = load_labelled()
    assert len(items) >= 200
    assert score(items)["micro"]["f1"] >= 0.85
