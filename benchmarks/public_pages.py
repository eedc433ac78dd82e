"""Benchmark: the public agreement page served by gunicorn, as in production.

    .venv/bin/python benchmarks/public_pages.py [--seconds 20] [--workers 2] [--clients 4]

Self-contained: makes a temporary SQLite database and STATIC_ROOT, runs `migrate`,
`collectstatic` and `load_demo` (Mullsjö 2024, published), starts gunicorn (`medborgarlofte.wsgi`, sync workers as in
docs/deploy.md) on a free 127.0.0.1 port, then loads
/kommun/0642/medborgarlofte/2024/ for N seconds from separate client processes, each
one keep-alive connection with the standard library's http.client (the sync worker
closes after each response; the client then reconnects, which is what production does
too). Prints requests/s, latency percentiles, errors, the machine, and the ratio to the
targets (300 requests/s, p99 100 ms). Talks to 127.0.0.1 only; stops gunicorn at the
end; deletes the temporary directory.
"""

import argparse
import http.client
import multiprocessing
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PATH = "/kommun/0642/medborgarlofte/2024/"
TARGET_RPS = 300
TARGET_P99_MS = 100
HOST = "127.0.0.1"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def environment(tmp: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        {
            "MEDBORGARLOFTE_SQLITE_PATH": str(tmp / "bench.sqlite3"),
            "STATIC_ROOT": str(tmp / "static"),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "MEDBORGARLOFTE_HTTPS": "0",
            "MEDBORGARLOFTE_DEBUG": "0",
            "MEDBORGARLOFTE_TESTING": "0",
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "DEMO_PASSWORD": secrets.token_urlsafe(16),
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "medborgarlofte.settings",
        }
    )
    return env


def manage(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [str(BIN / "medborgarlofte"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        timeout=300,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
    )
    return result.stdout or ""


def prepare(env: dict) -> None:
    log("migrate …")
    manage(env, "migrate", "--no-input")
    log("collectstatic …")
    manage(env, "collectstatic", "--no-input")
    if not (Path(env["STATIC_ROOT"]) / "css" / "site.css").exists():
        raise SystemExit("css/site.css was not collected: check STATICFILES_DIRS")
    log("load_demo …")
    manage(env, "load_demo")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict, port: int, workers: int, tmp: Path) -> subprocess.Popen:
    command = [
        str(BIN / "gunicorn"),
        "medborgarlofte.wsgi",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "60",
        "--error-logfile",
        str(tmp / "gunicorn.log"),
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def get(connection: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    connection.request("GET", path, headers={"Host": HOST, "Connection": "keep-alive"})
    response = connection.getresponse()
    body = response.read()
    if response.will_close:
        connection.close()  # the next request reconnects
    return response.status, body


def wait_until_up(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with code {process.returncode}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            status, body = get(connection, PATH)
            connection.close()
            if status == 200 and "Mullsjö".encode() in body:
                return
            raise SystemExit(f"{PATH} answered {status}; is the agreement published?")
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer within {timeout:.0f} s")


def client(port: int, start_at: float, stop_at: float, results) -> None:
    """One keep-alive client: request the page back to back until stop_at."""
    latencies: list[float] = []
    errors = 0
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    while time.monotonic() < start_at:  # warm-up, not counted
        try:
            get(connection, PATH)
        except (OSError, http.client.HTTPException):
            connection.close()
    while True:
        began = time.monotonic()
        if began >= stop_at:
            break
        try:
            status, _body = get(connection, PATH)
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


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load(port: int, seconds: float, clients: int, warmup: float) -> tuple[list[float], int, float]:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    start_at = time.monotonic() + warmup + 1.0  # leave time for the processes to spawn
    stop_at = start_at + seconds
    processes = [
        context.Process(target=client, args=(port, start_at, stop_at, results))
        for _ in range(clients)
    ]
    for process in processes:
        process.start()
    latencies: list[float] = []
    errors = 0
    for _ in processes:
        got, failed = results.get(timeout=seconds + warmup + 60)
        latencies.extend(got)
        errors += failed
    for process in processes:
        process.join(timeout=10)
    return latencies, errors, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20, help="measured duration (default 20)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--clients", type=int, default=4, help="concurrent client processes (default 4)"
    )
    parser.add_argument("--warmup", type=float, default=2, help="seconds of warm-up (default 2)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="medborgarlofte-bench-"))
    process = None
    try:
        env = environment(tmp)
        prepare(env)
        port = free_port()
        log(f"gunicorn on {HOST}:{port} with {args.workers} workers …")
        process = start_gunicorn(env, port, args.workers, tmp)
        wait_until_up(port, process)
        log(f"loading {PATH} for {args.seconds:g} s with {args.clients} clients …")
        latencies, errors, seconds = load(port, args.seconds, args.clients, args.warmup)
    finally:
        if process is not None:
            stop_gunicorn(process)
        shutil.rmtree(tmp, ignore_errors=True)

    latencies.sort()
    rps = len(latencies) / seconds
    p50, p90, p99 = (percentile(latencies, f) * 1000 for f in (0.50, 0.90, 0.99))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"page        GET {PATH} (gunicorn, {args.workers} sync workers, SQLite)")
    print(f"machine     nproc {cores}, {cpu_model()}, Python {platform.python_version()}")
    print(
        f"load        {args.clients} keep-alive clients, {seconds:g} s after {args.warmup:g} s warm-up"
    )
    print(f"requests    {len(latencies)} ok, {errors} errors")
    print(f"throughput  {rps:.1f} requests/s")
    print(f"latency     p50 {p50:.1f} ms, p90 {p90:.1f} ms, p99 {p99:.1f} ms")
    print(
        f"target      {rps / TARGET_RPS:.2f} × {TARGET_RPS} req/s (≥ 1 meets it); "
        f"p99 {p99 / TARGET_P99_MS:.2f} × {TARGET_P99_MS} ms (≤ 1 meets it)"
    )


if __name__ == "__main__":
    main()
