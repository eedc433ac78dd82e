"""Benchmark: the yearly follow-up PDF for the demo, and the citizen follow-up page under
gunicorn (2 sync workers), with benchmarks.harness.

    .venv/bin/python -m benchmarks.followup [--seconds 20] [--workers 2] [--clients 4] [--pdf-runs 5]

Self-contained: temporary SQLite database and STATIC_ROOT, `migrate`, `collectstatic`,
`load_demo` (Mullsjö 2024 with its published follow-ups), then
1. renders the yearly report PDF `--pdf-runs` times in one process (first run = cold:
   templates, fonts, matplotlib) and prints each time;
2. starts gunicorn on 127.0.0.1 and loads /kommun/0642/medborgarlofte/2024/uppfoljning/
   from separate client processes; prints requests/s, p50/p90/p99 and the targets
   (PDF ≤ 3 s; ≥ 300 requests/s with p99 < 100 ms). Deletes the temporary directory.
"""

import argparse

from benchmarks import harness

PATH = "/kommun/0642/medborgarlofte/2024/uppfoljning/"
TARGET_PDF_S = 3.0
TARGET_RPS = 300
TARGET_P99_MS = 100
PDF_SCRIPT = """
import time
from medborgarlofte.agreements.models import Agreement
from medborgarlofte.followup.models import FollowUp
from medborgarlofte.followup.report import report_context, report_pdf
agreement = Agreement.objects.get(municipality__code="0642", period_start__year=2024)
version = agreement.published_version()
followup = FollowUp.objects.get(agreement=agreement, period="year")
for _ in range({runs}):
    began = time.perf_counter()
    size = len(report_pdf(report_context(agreement, version, followup)))
    print(f"PDF {{time.perf_counter() - began:.3f}} {{size}}")
"""


def pdf_times(env: dict, runs: int) -> list[float]:
    out = harness.manage(env, "shell", "-c", PDF_SCRIPT.format(runs=runs), capture=True)
    return [float(line.split()[1]) for line in out.splitlines() if line.startswith("PDF ")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--pdf-runs", type=int, default=5)
    args = parser.parse_args()
    with harness.temporary(prefix="medborgarlofte-bench-followup-") as (tmp, url):
        env = harness.environment(tmp, url)
        harness.prepare(env)
        harness.log(f"rendering the yearly PDF {args.pdf_runs} times …")
        times = pdf_times(env, args.pdf_runs)
        with harness.gunicorn(env, tmp, workers=args.workers, up=PATH) as port:
            harness.log(f"loading {PATH} for {args.seconds:g} s with {args.clients} clients …")
            result = harness.load(port, PATH, args.seconds, args.clients, args.warmup)
    warm = sorted(times[1:]) or times
    print(f"machine     {harness.machine()}")
    print(
        f"pdf         cold {times[0]:.2f} s; warm median {warm[len(warm) // 2]:.2f} s, max {max(warm):.2f} s (target ≤ {TARGET_PDF_S:g} s)"
    )
    print(f"page        GET {PATH} (gunicorn, {args.workers} sync workers, SQLite)")
    print(
        f"requests    {len(result.latencies)} ok, {result.errors} errors, {args.clients} clients, {args.seconds:g} s"
    )
    print(f"throughput  {result.rps:.1f} requests/s (target ≥ {TARGET_RPS})")
    print(
        f"latency     p50 {result.ms(0.5):.1f} ms, p90 {result.ms(0.9):.1f} ms, p99 {result.ms(0.99):.1f} ms (target p99 < {TARGET_P99_MS} ms)"
    )


if __name__ == "__main__":
    main()
