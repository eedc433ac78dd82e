#!/usr/bin/env python3
"""Coverage-guided fuzzing of the importers' parse layer with atheris (libFuzzer).

    .venv/bin/python scripts/fuzz_importers.py [--seconds 60] [--target NAME ...] [--list]
    .venv/bin/python scripts/fuzz_importers.py --seconds 10      # the short CI-sized run
    .venv/bin/python scripts/fuzz_importers.py --target kolada --reproduce crash-kolada-…

The targets are those of tests/fuzz_targets.py: the parse and validation step of every
importer (crime statistics Brå/tidy CSV/tidy XLSX, SCB population, Kolada, Swedish
numbers, surveys, dialogues, activities, police events, agreement YAML/JSON). They only
read the database (kommuner, crime taxonomy): the script migrates a throwaway SQLite
database in a temporary directory first; nothing else is touched.

Each target runs in its own process for --seconds, starting from a seed corpus (the
repository's examples and test fixtures, tests/fuzz_targets.py). An exception other
than the importer's own error types is a crash: the process prints the input and the
traceback, saves the input under --keep (default: a temporary directory, printed) and
the target fails. A single input running longer than --timeout seconds, or the process
growing beyond --rss-limit-mb, fails the target too. The script prints one line per
target (executions, executions/s, coverage, crash) and exits 1 if any target failed.
"""

import argparse
import contextlib
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The modules atheris instruments for coverage: the parse layer and the libraries it uses.
INSTRUMENTED = [
    "medborgarlofte.crimestats.importers",
    "medborgarlofte.crimestats.importers.bra",
    "medborgarlofte.crimestats.importers.kolada",
    "medborgarlofte.crimestats.importers.numbers",
    "medborgarlofte.crimestats.importers.scb",
    "medborgarlofte.crimestats.importers.tidy",
    "medborgarlofte.crimestats.taxonomy",
    "medborgarlofte.importing.files",
    "medborgarlofte.importing.problems",
    "medborgarlofte.importing.tables",
    "medborgarlofte.surveys.importing",
    "medborgarlofte.dialogues.importing",
    "medborgarlofte.followup.importing",
    "medborgarlofte.incidents.police_events",
    "medborgarlofte.agreements.exchange.issues",
    "medborgarlofte.agreements.exchange.loading",
    "medborgarlofte.agreements.exchange.validation",
    "medborgarlofte.privacy.scanner",
    "medborgarlofte.privacy.uploads",
    "openpyxl",
    "yaml",
    "tests.fuzz_targets",
]


def _environment(work: Path) -> dict:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="medborgarlofte.settings",
        MEDBORGARLOFTE_TESTING="1",
        MEDBORGARLOFTE_SQLITE_PATH=str(work / "fuzz.sqlite3"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    )
    return env


# --- the child process: one target under atheris ------------------------------------------


def _child(name, work: Path, keep: Path, seconds, timeout, rss, reproduce=None) -> None:
    import atheris
    import django

    django.setup()
    with atheris.instrument_imports(include=["medborgarlofte", "openpyxl", "yaml", "tests"]):
        import importlib

        for module in INSTRUMENTED:
            with contextlib.suppress(ImportError):
                importlib.import_module(module)
        from tests import fuzz_targets
    from django.utils import translation

    translation.activate("sv")  # the messages users see
    target = fuzz_targets.targets()[name]
    corpus = work / f"corpus-{name}"
    corpus.mkdir(exist_ok=True)
    seeds = target.seeds()
    for index, seed in enumerate(seeds):
        (corpus / f"seed-{index}").write_bytes(seed)
    max_len = min(max(4096, 2 * max(len(seed) for seed in seeds)), 256 * 1024)

    def one_input(data: bytes) -> None:
        try:
            target.parse(data)
        except target.errors:
            pass
        except Exception:
            path = keep / f"crash-{name}-{hashlib.sha1(data).hexdigest()[:12]}"
            path.write_bytes(data)
            print(f"\nCRASH in {name}: saved to {path}", file=sys.stderr)
            traceback.print_exc()
            print(f"input ({len(data)} bytes, the first 500): {data[:500]!r}", file=sys.stderr)
            sys.stderr.flush()
            os._exit(1)

    atheris.Setup(
        [
            sys.argv[0],
            reproduce or str(corpus),  # a file: libFuzzer runs just that input
            f"-max_total_time={seconds}",
            f"-timeout={timeout}",
            f"-rss_limit_mb={rss}",
            f"-max_len={max_len}",
            f"-artifact_prefix={keep}/{name}-",
            "-print_final_stats=1",
        ],
        one_input,
    )
    atheris.Fuzz()


# --- the parent: migrate once, run every target, report ---------------------------------

_DONE = re.compile(r"Done (\d+) runs in (\d+) second")
_STATS = re.compile(r"cov: (\d+) ft: (\d+) corp: (\d+)")


def _run_target(name, args, work, keep, env) -> dict:
    command = [
        sys.executable,
        __file__,
        "--child",
        name,
        "--work",
        str(work),
        "--keep",
        str(keep),
        "--seconds",
        str(args.seconds),
        "--timeout",
        str(args.timeout),
        "--rss-limit-mb",
        str(args.rss_limit_mb),
    ]
    started = time.monotonic()
    process = subprocess.run(
        command,
        env=env,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=args.seconds + args.timeout + 300,
    )
    output = process.stderr
    done = _DONE.search(output)
    stats = _STATS.findall(output)
    result = {
        "name": name,
        "returncode": process.returncode,
        "runs": int(done[1]) if done else None,
        "seconds": time.monotonic() - started,
        "coverage": int(stats[-1][0]) if stats else None,
        "corpus": int(stats[-1][2]) if stats else None,
        "output": output,
    }
    if process.returncode == 0:
        result["outcome"] = "ok"
    elif "CRASH in" in output:
        result["outcome"] = "CRASH"
    elif "timeout" in output.lower() and "ALARM" in output:
        result["outcome"] = "TIMEOUT"
    elif "out-of-memory" in output:
        result["outcome"] = "OUT OF MEMORY"
    else:
        result["outcome"] = f"FAILED (exit {process.returncode})"
    return result


def _migrate(env) -> None:
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--no-input", "-v", "0"],
        env=env,
        check=True,
        cwd=ROOT,
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="fuzzing time per target")
    parser.add_argument(
        "--target", action="append", default=[], help="a target name (repeatable; default all)"
    )
    parser.add_argument("--list", action="store_true", help="list the targets and exit")
    parser.add_argument("--timeout", type=int, default=30, help="seconds one input may take")
    parser.add_argument("--rss-limit-mb", type=int, default=2048, help="memory limit per target")
    parser.add_argument("--keep", help="directory for crashing inputs (default: temporary)")
    parser.add_argument(
        "--reproduce", metavar="FILE", help="run one saved input through --target and exit"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        _child(
            args.child,
            Path(args.work),
            Path(args.keep),
            args.seconds,
            args.timeout,
            args.rss_limit_mb,
            args.reproduce,
        )
        return 0

    sys.path.insert(0, str(ROOT))
    from tests.fuzz_targets import TARGET_NAMES

    if args.list:
        print("\n".join(TARGET_NAMES))
        return 0
    names = args.target or list(TARGET_NAMES)
    unknown = sorted(set(names) - set(TARGET_NAMES))
    if unknown:
        parser.error(f"unknown target(s): {', '.join(unknown)}; see --list")
    if args.reproduce and len(names) != 1:
        parser.error("--reproduce needs exactly one --target")
    with tempfile.TemporaryDirectory(prefix="medborgarlofte-fuzz-") as tmp:
        work = Path(tmp)
        keep = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="fuzz-crashes-"))
        keep.mkdir(parents=True, exist_ok=True)
        env = _environment(work)
        _migrate(env)
        if args.reproduce:
            command = [sys.executable, __file__, "--child", names[0], "--work", str(work)]
            command += ["--keep", str(keep), "--reproduce", str(Path(args.reproduce).resolve())]
            return subprocess.run(command, env=env).returncode
        print(f"atheris, {args.seconds} s per target, crashing inputs go to {keep}")
        print(f"{'target':<18} {'runs':>10} {'runs/s':>8} {'cov':>6} {'corpus':>7}  result")
        failed = []
        for name in names:
            result = _run_target(name, args, work, keep, env)
            runs = result["runs"]
            rate = f"{runs / args.seconds:.0f}" if runs else "-"
            print(
                f"{name:<18} {runs if runs is not None else '-':>10} {rate:>8} "
                f"{result['coverage'] or '-':>6} {result['corpus'] or '-':>7}  {result['outcome']}",
                flush=True,
            )
            if result["outcome"] != "ok":
                failed.append(result)
        for result in failed:
            print(f"\n==== {result['name']}: {result['outcome']} ====")
            print(_crash_report(result["output"]))
        if failed:
            print(f"\n{len(failed)} of {len(names)} targets failed.")
            return 1
        print(f"\nAll {len(names)} targets ran without a crash.")
        if not args.keep:
            with contextlib.suppress(OSError):
                keep.rmdir()  # empty: nothing crashed
        return 0


def _crash_report(output: str) -> str:
    """The part of libFuzzer's output that explains the failure."""
    start = output.find("CRASH in")
    if start < 0:
        start = max(output.find("==ERROR"), output.find("ALARM"), 0)
    return output[start : start + 6000]


if __name__ == "__main__":
    sys.exit(main())
