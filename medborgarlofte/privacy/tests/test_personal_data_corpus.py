"""The scanner measured on a labelled corpus of Swedish sentences (corpus/personal_data.jsonl).

Each line: {"text": ..., "hits": [{"kind": ..., "text": ...}]}: every piece of personal
data in the sentence, and nothing else (dates, times, amounts, case numbers,
postcodes, reference numbers, streets without a number, places and organisations are
look-alikes without hits). A name hit written as a first name alone carries
"first_name": true, so its recall can be measured apart. All numbers are invented:
personnummer are Luhn-valid but made up; possible_personnummer have a wrong check digit.
benchmarks/personal_data_scanner.py prints the same figures per kind, also for the
held-out file corpus/personal_data_holdout.jsonl, which is never tuned against (and so
not tested here).
"""

import json
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from medborgarlofte.privacy.scanner import KINDS, redact, scan

CORPUS = Path(__file__).parent / "corpus" / "personal_data.jsonl"
HOLDOUT = Path(__file__).parent / "corpus" / "personal_data_holdout.jsonl"


def load_corpus(path=CORPUS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def score(items) -> dict:
    """Per kind: true positives, false positives, false negatives, precision, recall."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for item in items:
        found = Counter((h.kind, h.text) for h in scan(item["text"]))
        expected = Counter((h["kind"], h["text"]) for h in item["hits"])
        for (kind, _text), count in (found & expected).items():
            tp[kind] += count
        for (kind, _text), count in (found - expected).items():
            fp[kind] += count
        for (kind, _text), count in (expected - found).items():
            fn[kind] += count
    rows = {}
    for kind in (*KINDS, "all"):
        t = sum(tp.values()) if kind == "all" else tp[kind]
        p = sum(fp.values()) if kind == "all" else fp[kind]
        n = sum(fn.values()) if kind == "all" else fn[kind]
        rows[kind] = {
            "tp": t, "fp": p, "fn": n,
            "precision": t / (t + p) if t + p else 1.0,
            "recall": t / (t + n) if t + n else 1.0,
        }  # fmt: skip
    return rows


def name_recall(items) -> dict:
    """Recall of full names and of first names alone (the "first_name" label)."""
    found_by, total_by = Counter(), Counter()
    for item in items:
        found = Counter((h.kind, h.text) for h in scan(item["text"]))
        for hit in item["hits"]:
            if hit["kind"] != "name":
                continue
            form = "first_name" if hit.get("first_name") else "full_name"
            total_by[form] += 1
            if found[("name", hit["text"])]:
                found[("name", hit["text"])] -= 1
                found_by[form] += 1
    return {
        form: {"found": found_by[form], "total": total_by[form],
               "recall": found_by[form] / total_by[form] if total_by[form] else 1.0}
        for form in ("full_name", "first_name")
    }  # fmt: skip


def look_alike_share(items) -> tuple[int, int]:
    """(sentences without personal data that get any hit, sentences without personal data)."""
    clean = [item for item in items if not item["hits"]]
    return sum(1 for item in clean if scan(item["text"])), len(clean)


def test_the_corpus_is_large_and_covers_every_kind_and_look_alikes():
    items = load_corpus()
    assert len(items) >= 300
    kinds = Counter(h["kind"] for item in items for h in item["hits"])
    assert set(kinds) == set(KINDS)
    assert sum(1 for item in items if not item["hits"]) >= 60


def test_it_meets_the_recall_and_precision_bars_on_the_corpus():
    rows = score(load_corpus())
    for kind in ("personnummer", "samordningsnummer", "phone", "email"):
        assert rows[kind]["recall"] >= 0.99, (kind, rows[kind])
    assert rows["all"]["precision"] >= 0.95, rows["all"]
    names = name_recall(load_corpus())
    assert names["full_name"]["recall"] >= 0.95, names
    assert names["first_name"]["recall"] >= 0.80, names


def test_at_most_five_percent_of_look_alike_sentences_get_a_hit():
    with_hits, total = look_alike_share(load_corpus())
    assert total >= 100
    assert with_hits / total <= 0.05, (with_hits, total)


def test_redaction_leaves_nothing_the_scanner_finds_in_the_corpus():
    for item in load_corpus():
        assert scan(redact(item["text"])) == []


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="0123456789 -+()@.abcåäö:/", max_size=60))
def test_redact_is_idempotent_and_complete(text):
    once = redact(text)
    assert redact(once) == once
    assert scan(once) == []
