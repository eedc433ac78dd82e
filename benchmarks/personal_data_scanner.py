"""Benchmark: precision and recall of the personal-data scanner per kind, and its speed.

    .venv/bin/python benchmarks/personal_data_scanner.py [--corpus PATH] [--repeat 20]

Reads the labelled corpus (medborgarlofte/privacy/tests/corpus/personal_data.jsonl),
prints true/false positives, false negatives, precision and recall per kind, lists
every miss and false alarm, and the time per sentence. No database needed.
"""

import argparse
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medborgarlofte.settings")
os.environ.setdefault("MEDBORGARLOFTE_DEBUG", "1")


def main() -> None:
    import django

    django.setup()
    from collections import Counter

    from medborgarlofte.privacy.scanner import scan
    from medborgarlofte.privacy.tests.test_personal_data_corpus import CORPUS, load_corpus, score

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    items = load_corpus(args.corpus)
    rows = score(items)
    print(f"corpus: {args.corpus.relative_to(ROOT)}, {len(items)} sentences, "
          f"{sum(len(i['hits']) for i in items)} labelled hits, "
          f"{sum(1 for i in items if not i['hits'])} sentences with look-alikes only")  # fmt: skip
    print(f"{'kind':<18}{'tp':>5}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}")
    for kind, row in rows.items():
        print(
            f"{kind:<18}{row['tp']:>5}{row['fp']:>5}{row['fn']:>5}"
            f"{row['precision']:>11.3f}{row['recall']:>8.3f}"
        )
    for item in items:
        found = Counter((h.kind, h.text) for h in scan(item["text"]))
        expected = Counter((h["kind"], h["text"]) for h in item["hits"])
        for miss in expected - found:
            print(f"  missed {miss}: {item['text']}")
        for extra in found - expected:
            print(f"  false alarm {extra}: {item['text']}")
    start = time.perf_counter()
    for _ in range(args.repeat):
        for item in items:
            scan(item["text"])
    elapsed = time.perf_counter() - start
    per = elapsed / (args.repeat * len(items)) * 1e6
    print(f"speed: {per:.1f} µs per sentence ({args.repeat} passes)")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")  # fmt: skip


if __name__ == "__main__":
    main()
