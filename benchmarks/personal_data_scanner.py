"""Benchmark: precision and recall of the personal-data scanner per kind, and its speed.

    .venv/bin/python -m benchmarks.personal_data_scanner [--corpus PATH ...] [--repeat 20]

Reads the labelled tuning corpus (medborgarlofte/privacy/tests/corpus/personal_data.jsonl)
and the held-out one (personal_data_holdout.jsonl, never tuned against), and prints for
each: true/false positives, false negatives, precision and recall per kind; recall of
full names and of first names alone; the share of look-alike sentences (no personal
data) with any hit; every miss and false alarm; and the time per sentence. No database.
"""

import argparse
import time
from pathlib import Path

from benchmarks import harness

ROOT = harness.ROOT


def report(path: Path, repeat: int) -> None:
    from collections import Counter

    from medborgarlofte.privacy.scanner import scan
    from medborgarlofte.privacy.tests.test_personal_data_corpus import (
        load_corpus,
        look_alike_share,
        name_recall,
        score,
    )

    items = load_corpus(path)
    rows = score(items)
    shown = path.resolve().relative_to(ROOT) if path.resolve().is_relative_to(ROOT) else path
    print(f"corpus: {shown}, {len(items)} sentences, "
          f"{sum(len(i['hits']) for i in items)} labelled hits, "
          f"{sum(1 for i in items if not i['hits'])} sentences with look-alikes only")  # fmt: skip
    print(f"{'kind':<23}{'tp':>5}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}")
    for kind, row in rows.items():
        print(
            f"{kind:<23}{row['tp']:>5}{row['fp']:>5}{row['fn']:>5}"
            f"{row['precision']:>11.3f}{row['recall']:>8.3f}"
        )
    for form, row in name_recall(items).items():
        print(f"name recall, {form.replace('_', ' ')}: {row['found']}/{row['total']} = "
              f"{row['recall']:.3f}")  # fmt: skip
    with_hits, total = look_alike_share(items)
    print(f"look-alike sentences with any hit: {with_hits}/{total} = "
          f"{with_hits / total if total else 0:.3f}")  # fmt: skip
    for item in items:
        found = Counter((h.kind, h.text) for h in scan(item["text"]))
        expected = Counter((h["kind"], h["text"]) for h in item["hits"])
        for miss in expected - found:
            print(f"  missed {miss}: {item['text']}")
        for extra in found - expected:
            print(f"  false alarm {extra}: {item['text']}")
    start = time.perf_counter()
    for _ in range(repeat):
        for item in items:
            scan(item["text"])
    elapsed = time.perf_counter() - start
    per = elapsed / (repeat * len(items)) * 1e6
    print(f"speed: {per:.1f} µs per sentence ({repeat} passes)\n")


def main() -> None:
    harness.setup_django(migrate=False, MEDBORGARLOFTE_DEBUG="1")
    from medborgarlofte.privacy.tests.test_personal_data_corpus import CORPUS, HOLDOUT

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, action="append")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    for path in args.corpus or [CORPUS, HOLDOUT]:
        report(path, args.repeat)
    print(f"machine: {harness.machine()}")


if __name__ == "__main__":
    main()
