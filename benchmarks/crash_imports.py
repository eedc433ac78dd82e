"""Imports killed with SIGKILL at random moments: nothing of the killed batch remains.

    .venv/bin/python -m benchmarks.crash_imports [--trials 20] [--database sqlite|postgres|both]
        [--rows 50000] [--moment mixed|random|writing] [--kill-within 0.1] [--seed N]
        [--database-url URL] [--json] [--timeout 3600]

For each database: a fresh, migrated temporary SQLite file (WAL, as in production), or a
throwaway PostgreSQL database (`createdb -h 127.0.0.1 -U postgres mlcrash_<pid>`, dropped at
the end); or, with --database-url, a database that is already migrated (kept).

Each trial writes a tidy crime-statistics CSV of about --rows rows (every kommun × enough
taxonomy categories × 12 months of one year that is not yet in the database; a few
seconds to import) and starts the real command `medborgarlofte import_crime_statistics
FILE --format tidy` as a subprocess. After a random delay, uniform between 0.05 s and the
duration of the previous trial's whole import (1.5 × a dry run before the first trial), it
probes whether the import is inside its write transaction (SQLite: `BEGIN IMMEDIATE`
with no wait fails; PostgreSQL: the process holds RowExclusiveLock on a crimestats
table), then sends SIGKILL. Most of a run is parsing and checking, so a random moment
seldom falls in the writes: with --moment writing the kill comes within --kill-within
seconds (0.1) after the write transaction was seen to begin (the quick test in
tests/test_durability.py uses it); --moment mixed (the default) alternates the two. Then:

1. all or nothing: either nothing of the batch (no ImportRun with the file's SHA-256, no
   statistics and no county/national totals of its year) or, when the kill came after the
   commit while the process was exiting, the whole batch; never a part of it, and no audit
   entry of an import run that does not exist;
2. a consistent database: SQLite `PRAGMA integrity_check` = ok and `PRAGMA
   foreign_key_check` empty; on both, every statistic points at an existing import run and
   the stored statistics equal the sum of `created` over the import runs;
3. the same import run again to completion succeeds and stores every row once; a second
   run ("already imported") adds nothing: the same import run, rows and totals.

Prints one line per trial and the totals; exits 1 on any inconsistency.
"""

import argparse
import hashlib
import json
import random
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import harness
from benchmarks.concurrent_submissions import server_environment
from benchmarks.harness import BIN, ROOT, log, manage

TABLES = {
    "run": "crimestats_importrun",
    "stat": "crimestats_crimestatistic",
    "total": "crimestats_areatotal",
    "audit": "accounts_auditentry",
}
LEAF_CATEGORIES = (
    "SELECT name FROM crimestats_crimecategory c WHERE composite = %s AND NOT EXISTS "
    "(SELECT 1 FROM crimestats_crimecategory d WHERE d.parent_id = c.id) ORDER BY position, name"
)


class Database:
    """Plain SQL on the database under test (no Django in this process)."""

    def __init__(self, url: str, sqlite_path: Path | None):
        self.url, self.sqlite_path = url, sqlite_path

    def query(self, sql: str, params=()) -> list[tuple]:
        if self.sqlite_path:
            connection = sqlite3.connect(self.sqlite_path, timeout=30, isolation_level=None)
            try:
                return connection.execute(sql.replace("%s", "?"), params).fetchall()
            finally:
                connection.close()
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as connection:
            return connection.execute(sql, params).fetchall()

    def one(self, sql: str, params=()):
        return self.query(sql, params)[0][0]

    def writing(self) -> bool:
        """Is another process inside a write transaction right now?"""
        if self.sqlite_path:
            connection = sqlite3.connect(self.sqlite_path, timeout=0, isolation_level=None)
            try:
                connection.execute("BEGIN IMMEDIATE")
                connection.execute("ROLLBACK")
                return False
            except sqlite3.OperationalError:
                return True
            finally:
                connection.close()
        return bool(
            self.one(
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "WHERE l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid() "
                "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                "AND c.relname IN (%s, %s, %s)",
                (TABLES["run"], TABLES["stat"], TABLES["total"]),
            )
        )

    def consistency(self) -> list[str]:
        problems = []
        if self.sqlite_path:
            integrity = self.query("PRAGMA integrity_check")
            if integrity != [("ok",)]:
                problems.append(f"integrity_check: {integrity[:3]}")
            foreign = self.query("PRAGMA foreign_key_check")
            if foreign:
                problems.append(f"foreign_key_check: {len(foreign)} rows, e.g. {foreign[:3]}")
        orphans = self.one(
            f"SELECT count(*) FROM {TABLES['stat']} s LEFT JOIN {TABLES['run']} r "
            "ON r.id = s.import_run_id WHERE r.id IS NULL"
        )
        if orphans:
            problems.append(f"{orphans} statistics without their import run")
        stored = self.one(f"SELECT count(*) FROM {TABLES['stat']} WHERE source = 'tidy'")
        created = self.one(
            f"SELECT coalesce(sum(created), 0) FROM {TABLES['run']} "
            "WHERE kind = 'crime' AND source = 'tidy'"
        )
        if stored != created:
            problems.append(f"{stored} statistics stored, import runs say {created}")
        lost_audit = self.one(
            f"SELECT count(*) FROM {TABLES['audit']} a WHERE a.object_type = 'importrun' "
            f"AND a.action = 'import-crime-statistics' AND NOT EXISTS (SELECT 1 FROM "
            f"{TABLES['run']} r WHERE CAST(r.id AS varchar(40)) = a.object_id)"
        )
        if lost_audit:
            problems.append(f"{lost_audit} audit entries of import runs that do not exist")
        return problems

    def batch(self, year: int, digest: str) -> dict:
        return {
            "runs": self.one(f"SELECT count(*) FROM {TABLES['run']} WHERE sha256 = %s", (digest,)),
            "rows": self.one(
                f"SELECT count(*) FROM {TABLES['stat']} WHERE source = 'tidy' AND year = %s",
                (year,),
            ),
            "totals": self.one(
                f"SELECT count(*) FROM {TABLES['total']} WHERE source = 'tidy' AND year = %s",
                (year,),
            ),
        }

    def used_years(self) -> set[int]:
        return {y for (y,) in self.query(f"SELECT DISTINCT year FROM {TABLES['stat']}")}


def write_file(path: Path, year: int, kommuner, categories, rows: int, rng) -> int:
    per_category = len(kommuner) * 12
    chosen = categories[: max(1, min(len(categories), -(-rows // per_category)))]
    lines = ["kommunkod;brottskategori;period;antal;status"]
    for code in kommuner:
        for name in chosen:
            for month in range(1, 13):
                lines.append(f"{code};{name};{year}-{month:02d};{rng.randint(0, 400)};slutlig")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1


def import_command(env: dict, path: Path, *extra: str) -> list[str]:
    return [str(BIN / "medborgarlofte"), "import_crime_statistics", str(path), "--format", "tidy", *extra]  # fmt: skip


def run_import(env: dict, path: Path, *extra: str) -> tuple[int, str, float]:
    began = time.monotonic()
    done = subprocess.run(
        import_command(env, path, *extra),
        cwd=ROOT,
        env=env,
        text=True,
        capture_output=True,
        timeout=600,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr, time.monotonic() - began


def wait_for_writing(db, process, limit: float) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and process.poll() is None and not db.writing():
        time.sleep(0.01)


def trial(number, env, db, path, year, expected, delay, moment) -> dict:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    out = {"trial": number, "year": year, "rows": expected}
    began = time.monotonic()
    process = subprocess.Popen(
        import_command(env, path),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if moment == "writing":  # wait until the write transaction has begun, then a little
        wait_for_writing(db, process, limit=300)
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.005)
    out["delay_s"] = round(time.monotonic() - began, 2)
    if process.poll() is None:
        out["in_write_transaction"] = db.writing()
        process.send_signal(signal.SIGKILL)
        process.wait()
        out["outcome"] = "killed"
    else:
        out["outcome"] = f"finished before the kill (exit {process.returncode})"
    problems = db.consistency()
    left = db.batch(year, digest)
    out["left_after_kill"] = left
    whole = left["runs"] == 1 and left["rows"] == expected and left["totals"] > 0
    if out["outcome"] == "killed" and not any(left.values()):
        out["outcome"] = "killed before the commit: nothing stored"
    elif out["outcome"] == "killed" and whole:  # killed while the process was exiting
        out["outcome"] = "killed after the commit: the whole batch stored"
    elif out["outcome"] == "killed":
        out["partial"] = True
        problems.append(f"the killed import left part of its batch: {left}")
    code, text, seconds = run_import(env, path)
    out["full_run_s"] = round(seconds, 2)
    after = db.batch(year, digest)
    if code != 0 or after["rows"] != expected or after["runs"] != 1:
        problems.append(f"the import afterwards: exit {code}, {after}: {text.strip()[-300:]}")
    code, text, _s = run_import(env, path)
    again = db.batch(year, digest)
    if code != 0 or again != after or after["rows"] != expected:
        problems.append(
            f"a second import: exit {code}, {again} (was {after}): {text.strip()[-200:]}"
        )
    problems += db.consistency()
    out["problems"] = problems
    return out


def run(kind: str, args) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="medborgarlofte-crash-"))
    dbname = None
    rng = random.Random(args.seed)
    try:
        url = args.database_url
        if not url:
            url, dbname = harness.create_database(kind, "mlcrash")
        env = server_environment(tmp, url)
        if not args.database_url:
            log(f"{kind}: migrate …")
            manage(env, "migrate", "--no-input")
        sqlite_path = None
        if kind == "sqlite":
            sqlite_path = Path(
                url.removeprefix("sqlite:///") if url else env["MEDBORGARLOFTE_SQLITE_PATH"]
            )
        db = Database(url, sqlite_path)
        reference = {
            "kommuner": [
                c for (c,) in db.query("SELECT code FROM kommuner_municipality ORDER BY code")
            ],
            "categories": [name for (name,) in db.query(LEAF_CATEGORIES, (False,))],
        }
        years = [y for y in range(2100, 1990, -1) if y not in db.used_years()][: args.trials]
        if len(years) < args.trials:
            raise SystemExit("not enough free years (1991–2100) in this database")
        estimate = None
        if args.moment != "writing":  # the first kill falls within 1.5 × a dry run
            path = tmp / "brott.csv"
            write_file(path, years[0], reference["kommuner"], reference["categories"], args.rows, rng)  # fmt: skip
            code, text, estimate = run_import(env, path, "--dry-run")
            if code != 0:
                raise SystemExit(f"the dry run failed: {text}")
        longest = (estimate or 0) * 1.5
        trials = []
        for number, year in enumerate(years, start=1):
            path = tmp / f"brott-{year}.csv"
            expected = write_file(
                path, year, reference["kommuner"], reference["categories"], args.rows, rng
            )
            moment = args.moment
            if moment == "mixed":  # odd trials at a random moment, even ones while writing
                moment = "random" if number % 2 else "writing"
            if moment == "writing":
                delay = rng.uniform(0.0, args.kill_within)
            else:
                delay = rng.uniform(0.05, longest)
            result = trial(number, env, db, path, year, expected, delay, moment)
            result["moment"] = moment
            longest = result["full_run_s"]  # the next kill falls within a whole import
            trials.append(result)
            log(line(kind, result))
        return {"database": kind, "trials": trials, "dry_run_s": estimate}
    finally:
        harness.drop_database(dbname)
        shutil.rmtree(tmp, ignore_errors=True)


def line(kind: str, r: dict) -> str:
    where = ""
    if "in_write_transaction" in r:
        inside = "inside" if r["in_write_transaction"] else "outside"
        where = f" (at the kill: {inside} the write transaction)"
    verdict = "ok" if not r["problems"] else "FAILED: " + "; ".join(r["problems"])
    return (
        f"{kind} trial {r['trial']:>2} ({r.get('moment', '')}): {r['rows']} rows, kill after {r['delay_s']:.2f} s of "
        f"{r['full_run_s']:.2f} s: {r['outcome']}{where}; left {r['left_after_kill']}; {verdict}"
    )


def summary(result: dict) -> dict:
    trials = result["trials"]

    def count(start):
        return sum(1 for t in trials if t["outcome"].startswith(start))

    return {
        "trials": len(trials),
        "killed": count("killed"),
        "killed_while_writing": sum(1 for t in trials if t.get("in_write_transaction")),
        "killed_before_commit": count("killed before"),
        "killed_after_commit": count("killed after"),
        "finished_before_kill": count("finished"),
        "partial_batches": sum(1 for t in trials if t.get("partial")),
        "rows_of_partial_batches": sum(
            t["left_after_kill"]["rows"] for t in trials if t.get("partial")
        ),
        "failed": sum(1 for t in trials if t["problems"]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--rows", type=int, default=50_000, help="rows per file (about)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument(
        "--moment",
        choices=["random", "writing", "mixed"],
        default="mixed",
        help="random: any moment of the run; writing: within --kill-within seconds after the "
        "write transaction began; mixed (default): odd trials random, even trials writing",
    )
    parser.add_argument(
        "--kill-within", type=float, default=0.1, help="for writing trials (default 0.1 s)"
    )
    parser.add_argument("--database-url", default="", help="an already migrated database")
    parser.add_argument("--json", action="store_true", help="one JSON line per database")
    parser.add_argument("--timeout", type=int, default=3600, help="overall limit in seconds")
    args = parser.parse_args()
    if args.seed is None:
        args.seed = secrets.randbelow(10**6)

    harness.alarm(args.timeout)
    kinds = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    if args.database_url:
        kinds = ["postgres" if args.database_url.startswith("postgres") else "sqlite"]
    failed = False
    for kind in kinds:
        result = run(kind, args)
        totals = summary(result)
        failed = failed or bool(totals["failed"])
        if args.json:
            print(json.dumps({**result, "totals": totals, "seed": args.seed}))
            continue
        print(f"{kind}: {harness.machine()}; seed {args.seed}")
        for trial_result in result["trials"]:
            print("  " + line(kind, trial_result))
        print(
            f"  {kind} totals: {totals['trials']} trials, {totals['killed']} killed "
            f"({totals['killed_while_writing']} inside the write transaction; "
            f"{totals['killed_before_commit']} before the commit, nothing stored; "
            f"{totals['killed_after_commit']} after it, the whole batch stored), "
            f"{totals['finished_before_kill']} finished first; partial batches: "
            f"{totals['partial_batches']} ({totals['rows_of_partial_batches']} rows); "
            + ("OK" if not totals["failed"] else f"FAILED in {totals['failed']} trials")
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
