"""Benchmark: the yearly follow-up PDF for the demo, and the citizen follow-up page under
gunicorn (2 sync workers), as benchmarks/public_pages.py does for the agreement page.

    .venv/bin/python benchmarks/followup.py [--seconds 20] [--workers 2] [--clients 4] [--pdf-runs 5]

Self-contained: temporary SQLite database and STATIC_ROOT, `migrate`, `collectstatic`,
`load_demo` (Mullsjö 2024 with its published follow-ups), then
1. renders the yearly report PDF `--pdf-runs` times in one process (first run = cold:
   templates, fonts, matplotlib) and prints each time;
2. starts gunicorn on 127.0.0.1 and loads /kommun/0642/medborgarlofte/2024/uppfoljning/
   from separate client processes; prints requests/s, p50/p90/p99 and the targets
   (PDF ≤ 3 s; ≥ 300 requests/s with p99 < 100 ms). Deletes the temporary directory.
"""

import argparse
import http.client
import multiprocessing
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import public_pages as pp  # noqa: E402

PATH = "/kommun/0642/medborgarlofte/2024/uppfoljning/"
TARGET_PDF_S = 3.0
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
    out = pp.manage(env, "shell", "-c", PDF_SCRIPT.format(runs=runs), capture=True)
    return [float(line.split()[1]) for line in out.splitlines() if line.startswith("PDF ")]


def client(port: int, start_at: float, stop_at: float, results) -> None:
    latencies, errors = [], 0
    connection = http.client.HTTPConnection(pp.HOST, port, timeout=10)
    while time.monotonic() < start_at:
        try:
            pp.get(connection, PATH)
        except (OSError, http.client.HTTPException):
            connection.close()
    while (began := time.monotonic()) < stop_at:
        try:
            status, _body = pp.get(connection, PATH)
            if status != 200:
                errors += 1
                continue
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()
            continue
        latencies.append(time.monotonic() - began)
    connection.close()
    results.put((latencies, errors))


def load(port: int, seconds: float, clients: int, warmup: float):
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    start_at = time.monotonic() + warmup + 1.0
    stop_at = start_at + seconds
    processes = [
        context.Process(target=client, args=(port, start_at, stop_at, results))
        for _ in range(clients)
    ]
    for process in processes:
        process.start()
    latencies, errors = [], 0
    for _ in processes:
        got, failed = results.get(timeout=seconds + warmup + 60)
        latencies.extend(got)
        errors += failed
    for process in processes:
        process.join(timeout=10)
    return sorted(latencies), errors


def wait_until_up(port: int, process, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with code {process.returncode}")
        try:
            connection = http.client.HTTPConnection(pp.HOST, port, timeout=2)
            status, _body = pp.get(connection, PATH)
            connection.close()
            if status == 200:
                return
            raise SystemExit(f"{PATH} answered {status}; is the demo follow-up published?")
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--pdf-runs", type=int, default=5)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="medborgarlofte-bench-followup-"))
    process = None
    try:
        env = pp.environment(tmp)
        pp.prepare(env)
        pp.log(f"rendering the yearly PDF {args.pdf_runs} times …")
        times = pdf_times(env, args.pdf_runs)
        port = pp.free_port()
        process = pp.start_gunicorn(env, port, args.workers, tmp)
        wait_until_up(port, process)
        pp.log(f"loading {PATH} for {args.seconds:g} s with {args.clients} clients …")
        latencies, errors = load(port, args.seconds, args.clients, args.warmup)
    finally:
        if process is not None:
            pp.stop_gunicorn(process)
        shutil.rmtree(tmp, ignore_errors=True)
    rps = len(latencies) / args.seconds
    p50, p90, p99 = (pp.percentile(latencies, f) * 1000 for f in (0.50, 0.90, 0.99))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    warm = sorted(times[1:]) or times
    print(f"machine     nproc {cores}, {pp.cpu_model()}, Python {platform.python_version()}")
    print(
        f"pdf         cold {times[0]:.2f} s; warm median {warm[len(warm) // 2]:.2f} s, max {max(warm):.2f} s (target ≤ {TARGET_PDF_S:g} s)"
    )
    print(f"page        GET {PATH} (gunicorn, {args.workers} sync workers, SQLite)")
    print(
        f"requests    {len(latencies)} ok, {errors} errors, {args.clients} clients, {args.seconds:g} s"
    )
    print(f"throughput  {rps:.1f} requests/s (target ≥ {pp.TARGET_RPS})")
    print(
        f"latency     p50 {p50:.1f} ms, p90 {p90:.1f} ms, p99 {p99:.1f} ms (target p99 < {pp.TARGET_P99_MS} ms)"
    )


if __name__ == "__main__":
    main()
