"""The scanner measured on a labelled corpus of Swedish sentences (corpus/personal_data.jsonl).

Each line: {"text": ..., "hits": [{"kind": ..., "text": ...}]}: every piece of personal
data in the sentence, and nothing else (dates, times, amounts, case numbers,
postcodes and reference numbers are look-alikes without hits). All numbers are
invented: personnummer are Luhn-valid but made up. benchmarks/personal_data_scanner.py
prints the same figures per kind.
"""

import json
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from medborgarlofte.privacy.scanner import KINDS, redact, scan

CORPUS = Path(__file__).parent / "corpus" / "personal_data.jsonl"


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


def test_redaction_leaves_nothing_the_scanner_finds_in_the_corpus():
    for item in load_corpus():
        assert scan(redact(item["text"])) == []


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="0123456789 -+()@.abcåäö:/", max_size=60))
def test_redact_is_idempotent_and_complete(text):
    once = redact(text)
    assert redact(once) == once
    assert scan(once) == []
