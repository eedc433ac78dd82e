"""The one harness every benchmark uses (run them as ``python -m benchmarks.<name>``).

Temporary environment and database, prepare (migrate / collectstatic / load_demo), a free
port, gunicorn started and stopped, waiting until it answers, load from N client
processes for S seconds, percentiles, a description of the machine (with its load
average: the 2 cores are often shared), and Django set up in-process for the benchmarks
that call the code directly. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import contextlib
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
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
PG_SERVER = f"postgres://postgres@{HOST}:5432/"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- machine -------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def machine() -> str:
    """One line: cores, CPU, Python and the load average (1, 5, 15 min) right now."""
    return (
        f"nproc {cores()}, {cpu_model()}, Python {platform.python_version()}, "
        f"load average {load_average()}"
    )


# --- environment and databases -------------------------------------------------------


def environment(tmp: Path, database_url: str = "", **extra: str) -> dict:
    """Production-like settings for a server or command on 127.0.0.1, data under tmp.

    A SQLite file in tmp unless database_url is given; `extra` adds or overrides
    variables (e.g. LOGIN_THROTTLING="0").
    """
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PYTEST_VERSION"}}
    env.update(
        {
            "STATIC_ROOT": str(tmp / "static"),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "MEDBORGARLOFTE_HTTPS": "0",
            "MEDBORGARLOFTE_DEBUG": "0",
            "MEDBORGARLOFTE_TESTING": "0",
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "DEMO_PASSWORD": secrets.token_urlsafe(16),
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "medborgarlofte.settings",
            # benchmarks.slow_mail and friends are importable by the server too
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p
            ),
        }
    )
    (tmp / "static").mkdir(parents=True, exist_ok=True)
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env["MEDBORGARLOFTE_SQLITE_PATH"] = str(tmp / "bench.sqlite3")
    env.update(extra)
    return env


def create_database(kind: str, prefix: str = "mlbench") -> tuple[str, str | None]:
    """A fresh database: ("", None) for SQLite (a file in the temporary directory) or a
    new PostgreSQL database on 127.0.0.1 (url, name)."""
    if kind == "sqlite":
        return "", None
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
    subprocess.run(["createdb", "-h", HOST, "-U", "postgres", name], check=True)
    return PG_SERVER + name, name


def drop_database(name: str | None) -> None:
    if name:
        subprocess.run(
            ["dropdb", "-h", HOST, "-U", "postgres", "--if-exists", "--force", name], check=False
        )


@contextlib.contextmanager
def temporary(kind: str = "sqlite", prefix: str = "medborgarlofte-bench-"):
    """(tmp, database_url) for one run; both are removed at the end."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    name = None
    try:
        url, name = create_database(kind)
        yield tmp, url
    finally:
        drop_database(name)
        shutil.rmtree(tmp, ignore_errors=True)


def manage(env: dict, *args: str, capture: bool = False, timeout: float = 600) -> str:
    result = subprocess.run(
        [str(BIN / "medborgarlofte"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        timeout=timeout,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
    )
    return result.stdout or ""


def prepare(env: dict, *, static: bool = True, demo: bool = True) -> None:
    log("migrate …")
    manage(env, "migrate", "--no-input")
    if static:
        log("collectstatic …")
        manage(env, "collectstatic", "--no-input")
        if not (Path(env["STATIC_ROOT"]) / "css" / "site.css").exists():
            raise SystemExit("css/site.css was not collected: check STATICFILES_DIRS")
    if demo:
        log("load_demo …")
        manage(env, "load_demo")


def setup_django(database_url: str | None = None, *, migrate: bool = True, **extra: str) -> None:
    """Django in this process (for benchmarks that call the code directly).

    database_url None keeps the environment's database (or the development SQLite);
    "" uses MEDBORGARLOFTE_SQLITE_PATH from `extra`.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medborgarlofte.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("MEDBORGARLOFTE_HTTPS", "0")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    elif database_url == "":
        os.environ.pop("DATABASE_URL", None)
    os.environ.update(extra)
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def run_module(module: str, *args: str, env: dict | None = None, timeout: float | None = None):
    """Run `python -m benchmarks.<module> args` (a child with its own Django); its stdout."""
    result = subprocess.run(
        [sys.executable, "-m", f"benchmarks.{module}", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        timeout=timeout,
        stdout=subprocess.PIPE,
    )
    return result.stdout


# --- the server ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_gunicorn(
    env: dict, port: int, workers: int, tmp: Path, *, threads: int = 1, timeout: int = 60
) -> subprocess.Popen:
    """gunicorn medborgarlofte.wsgi as in docs/deploy.md (sync workers unless threads > 1)."""
    command = [
        str(BIN / "gunicorn"),
        "medborgarlofte.wsgi",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--threads",
        str(threads),
        "--backlog",
        "2048",
        "--timeout",
        str(timeout),
        "--error-logfile",
        str(tmp / "gunicorn.log"),
        "--capture-output",  # Django's error log (tracebacks) goes to the same file
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


@contextlib.contextmanager
def gunicorn(env: dict, tmp: Path, *, workers: int = 2, threads: int = 1, up: str = "/"):
    """A running server on a free port (yields the port); stopped at the end."""
    port = free_port()
    log(f"gunicorn on {HOST}:{port} with {workers} workers …")
    process = start_gunicorn(env, port, workers, tmp, threads=threads)
    try:
        wait_until_up(port, process, up)
        yield port
    finally:
        stop_gunicorn(process)


def get(
    connection: http.client.HTTPConnection, path: str, headers: dict | None = None
) -> tuple[int, bytes, http.client.HTTPResponse]:
    connection.request(
        "GET", path, headers={"Host": HOST, "Connection": "keep-alive", **(headers or {})}
    )
    response = connection.getresponse()
    body = response.read()
    if response.will_close:
        connection.close()  # the next request reconnects
    return response.status, body, response


def wait_until_up(
    port: int, process: subprocess.Popen, path: str = "/", *, contains: str = "", timeout=60
) -> None:
    """Until `path` answers 200 (and contains `contains`); exits if gunicorn dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with code {process.returncode}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            status, body, _response = get(connection, path)
            connection.close()
        except OSError:
            time.sleep(0.2)
            continue
        if status == 200 and contains.encode() in body:
            return
        raise SystemExit(f"{path} answered {status}; is the demo loaded and published?")
    raise SystemExit(f"gunicorn did not answer within {timeout:.0f} s")


# --- load ----------------------------------------------------------------------------


@dataclass
class Load:
    latencies: list[float] = field(default_factory=list)  # seconds, sorted
    errors: int = 0
    seconds: float = 0.0
    statuses: set = field(default_factory=set)

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def ms(self, fraction: float) -> float:
        return percentile(self.latencies, fraction) * 1000


def _client(port, path, headers, expect, start_at, stop_at, results) -> None:
    """One keep-alive client: GET path back to back until stop_at (warm-up not counted)."""
    latencies: list[float] = []
    errors = 0
    statuses: set[int] = set()
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    while time.monotonic() < start_at:
        try:
            get(connection, path, headers)
        except (OSError, http.client.HTTPException):
            connection.close()
    while (began := time.monotonic()) < stop_at:
        try:
            status, _body, _response = get(connection, path, headers)
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()
            continue
        statuses.add(status)
        if status != expect:
            errors += 1
            continue
        latencies.append(time.monotonic() - began)
    connection.close()
    results.put((latencies, errors, statuses))


def load(
    port: int,
    path: str,
    seconds: float,
    clients: int,
    warmup: float = 2,
    *,
    headers: dict | None = None,
    expect: int = 200,
) -> Load:
    """GET `path` from `clients` separate processes for `seconds` after `warmup`."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    start_at = time.monotonic() + warmup + 1.0  # leave time for the processes to spawn
    stop_at = start_at + seconds
    processes = [
        context.Process(
            target=_client, args=(port, path, headers, expect, start_at, stop_at, results)
        )
        for _ in range(clients)
    ]
    for process in processes:
        process.start()
    out = Load(seconds=seconds)
    for _ in processes:
        got, failed, statuses = results.get(timeout=seconds + warmup + 60)
        out.latencies.extend(got)
        out.errors += failed
        out.statuses |= statuses
    for process in processes:
        process.join(timeout=10)
    out.latencies.sort()
    return out


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def alarm(seconds: int) -> None:
    """Bound a benchmark in time: SIGALRM raises SystemExit, so finally-blocks clean up."""

    def give_up(signum, frame):
        raise SystemExit(f"gave up after {seconds} s")

    signal.signal(signal.SIGALRM, give_up)
    signal.alarm(seconds)
