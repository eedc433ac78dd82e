#!/usr/bin/env python3
"""Run the test suite on both cores, in two phases (what `make test` calls).

pytest-xdist hands tests to its workers in no particular order, but a transactional
test (the browser tests, whose live server runs in another thread, and the PostgreSQL
backup tests) empties the tables when it ends, reference data included; the ordinary
tests after it in the same worker would find no kommuner. So the suite runs twice:

1. every ordinary test, in parallel (`-m "not serial"`);
2. the transactional tests (marked `serial` by conftest.py), in parallel among
   themselves: each restores the reference data it needs (serialized rollback).

Arguments are passed to both runs (`make test PYTEST_ARGS="-k agreement"`). A phase
that selects no test is not an error. At the end one line sums both:
"N passed, N failed, N skipped". Set TEST_WORKERS=1 to run without xdist, and
TEST_MARKERS to a marker expression to narrow both phases (not `-m`, which would replace
the phase's own).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTEST = Path(sys.executable).parent / "pytest"
NO_TESTS = 5
COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped)")


def run(marker: str, args: list[str]) -> tuple[int, dict[str, int]]:
    workers = os.environ.get("TEST_WORKERS", "2")
    # Small chunks: the slow tests come first (conftest.py) and go out a few at a time, so
    # that one worker does not get all of them in its first batch.
    parallel = ["-n", workers, "--maxschedchunk", "4"] if workers != "1" else []
    extra = os.environ.get("TEST_MARKERS", "").strip()
    if extra:  # e.g. TEST_MARKERS="not (browser and slow)"; a -m in the arguments would
        marker = f"({marker}) and ({extra})"  # replace the phase's own, so use this
    command = [str(PYTEST), *parallel, "-m", marker, *args]
    print("$ " + " ".join(command), flush=True)
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    closing = ""
    for line in process.stdout:
        sys.stdout.write(line)
        if re.match(r"^=+ .* in [0-9.]+s", line) or re.match(r"^\d+ \w+.* in [0-9.]+s", line):
            closing = line
    status = process.wait()
    counts = {"passed": 0, "failed": 0, "error": 0, "skipped": 0}
    for number, word in COUNT.findall(closing):
        counts["error" if word.startswith("error") else word] += int(number)
    return status, counts


def main() -> int:
    args = sys.argv[1:]
    results = [run("not serial", args), run("serial", args)]
    total = {key: sum(r[1][key] for r in results) for key in results[0][1]}
    statuses = [status for status, _counts in results]
    print(
        f"tests: {total['passed']} passed, {total['failed'] + total['error']} failed, "
        f"{total['skipped']} skipped",
        flush=True,
    )
    if all(status == NO_TESTS for status in statuses):
        return NO_TESTS
    return max((s for s in statuses if s != NO_TESTS), default=0)


if __name__ == "__main__":
    raise SystemExit(main())
