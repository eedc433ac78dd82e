"""Benchmark: precision and recall of dialogue theme tagging per theme, and its speed.

    .venv/bin/python -m benchmarks.theme_tagging [--show-errors]

Reads the labelled dialogue texts (medborgarlofte/privacy/tests/corpus/themes.jsonl)
and the taxonomy (medborgarlofte/dialogues/data/themes.csv); prints true/false
positives, false negatives, precision, recall and F1 per theme and micro-averaged.
No database needed.
"""

import argparse
import time

from benchmarks import harness

ROOT = harness.ROOT


def main() -> None:
    harness.setup_django(migrate=False, MEDBORGARLOFTE_DEBUG="1")
    from medborgarlofte.dialogues.tests.test_themes import load_labelled, score
    from medborgarlofte.dialogues.themes import matches, tag

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    items = load_labelled()
    rows = score(items)
    print(f"labelled texts: {len(items)}, "
          f"{sum(1 for i in items if not i['themes'])} without any theme")  # fmt: skip
    print(f"{'theme':<14}{'tp':>5}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}{'F1':>7}")
    for key, row in rows.items():
        print(
            f"{key:<14}{row['tp']:>5}{row['fp']:>5}{row['fn']:>5}"
            f"{row['precision']:>11.3f}{row['recall']:>8.3f}{row['f1']:>7.3f}"
        )
    if args.show_errors:
        for item in items:
            found, expected = set(tag(item["text"])), set(item["themes"])
            if found != expected:
                print(f"  expected {sorted(expected)} got {sorted(found)}: {item['text']}")
                print(f"    matched words: {matches(item['text'])}")
    start = time.perf_counter()
    for _ in range(20):
        for item in items:
            tag(item["text"])
    per = (time.perf_counter() - start) / (20 * len(items)) * 1e6
    print(f"speed: {per:.1f} µs per text")
    print(f"machine: {harness.machine()}")


if __name__ == "__main__":
    main()
