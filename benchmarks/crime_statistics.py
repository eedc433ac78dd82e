"""Crime statistics at national scale: import speed, peak memory, one kommun's summary.

    .venv/bin/python -m benchmarks.crime_statistics [--db sqlite|postgres|both] [--years 10]

For each database, in a child process with a fresh database (a temporary SQLite file, or
a temporary PostgreSQL database on DATABASE_URL's server, default
postgres://postgres@127.0.0.1:5432/postgres):

1. generates the national Exempeldata set (290 kommuner × --years years × 12 months ×
   every taxonomy category) as tidy CSV files, one per year;
2. imports them with the real importer (parse + validate + write, one transaction per
   file) and reports rows/s;
3. times `crime_summary`'s work (build_summary + JSON) for one kommun: median and
   fastest of 9, and (PostgreSQL) the time inside the database, the sum of EXPLAIN
   ANALYZE's execution times over its queries;
4. imports as many years again (the years before), doubling the national table, and
   times the summary again: it must stay flat;
5. computes the same yearly counts with DuckDB straight from the CSV files (reference);
6. prints peak memory (ru_maxrss of the child).

Targets (issue 3): import ≥ 50 000 rows/s, summary ≤ 150 ms, peak memory < 500 MB.
"""

import argparse
import csv
import json
import resource
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks import harness

TARGETS = {"rows_per_s": 50_000, "write_rows_per_s": 100_000, "summary_ms": 150, "peak_mb": 500}


def _write_year_files(directory: Path, years) -> list[Path]:
    from medborgarlofte.crimestats.demo import demo_populations, generate_rows
    from medborgarlofte.crimestats.models import CrimeCategory

    categories = dict(CrimeCategory.objects.values_list("slug", "pk"))
    names = {pk: slug for slug, pk in categories.items()}
    populations = demo_populations([2024])
    pops = {code: p for (code, _y), p in populations.items()}
    files = []
    for year in years:
        path = directory / f"brott-{year}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["kommunkod", "brottskategori", "period", "antal", "status"])
            for code, category, y, month, count, _s in generate_rows(pops, categories, [year]):
                writer.writerow([code, names[category], f"{y}-{month:02d}", count, "slutlig"])
        files.append(path)
    return files


def _import(files) -> tuple[int, float, float]:
    """(rows, seconds in all, seconds in the storage/write path alone)."""
    from medborgarlofte.crimestats.importers.tidy import parse_tidy
    from medborgarlofte.crimestats.importers.writing import write_statistics

    rows = 0
    writing = 0.0
    start = time.perf_counter()
    for path in files:
        data = path.read_bytes()
        parsed = parse_tidy(data, path.name)
        began = time.perf_counter()
        result = write_statistics(parsed, data=data, file_name=path.name, source="tidy")
        writing += time.perf_counter() - began
        rows += result.created
        del parsed, data
    return rows, time.perf_counter() - start, writing


def _plans(code: str, year_from: int, year_to: int) -> list[str]:
    """EXPLAIN ANALYZE of every query build_summary runs (PostgreSQL only); the sum of their
    execution times is in `_database_ms`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from medborgarlofte.crimestats import queries
    from medborgarlofte.crimestats.summary import build_summary

    if connection.vendor != "postgresql":
        return []
    kommun = queries.municipality_by_code(code)
    with CaptureQueriesContext(connection) as ctx:
        build_summary(kommun, year_from, year_to)
    plans = []
    with connection.cursor() as cursor:
        for query in ctx.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS OFF, TIMING OFF) " + sql)
            plans.append(sql + "\n" + "\n".join(row[0] for row in cursor.fetchall()))
    return plans


def _database_ms(code: str, year_from: int, year_to: int) -> float | None:
    """The summary's time inside PostgreSQL: the sum of the "Execution Time" of EXPLAIN
    ANALYZE over its queries, best of 3. What the data's size can change, without the
    Python around it (which a busy machine slows as much as it likes)."""
    sums = []
    for _ in range(3):
        total = 0.0
        for plan in _plans(code, year_from, year_to):
            for line in plan.splitlines():
                if line.startswith("Execution Time:"):
                    total += float(line.split()[2])
        sums.append(total)
    return min(sums) if sums and any(sums) else None


def _summary_ms(code: str, year_from: int, year_to: int) -> tuple[float, int, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from medborgarlofte.crimestats import queries
    from medborgarlofte.crimestats.summary import build_summary, to_json

    kommun = queries.municipality_by_code(code)
    to_json(build_summary(kommun, year_from, year_to))  # warm-up
    times = []
    for _ in range(9):
        start = time.perf_counter()
        to_json(build_summary(kommun, year_from, year_to))
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        to_json(build_summary(kommun, year_from, year_to))
    return statistics.median(times), len(ctx.captured_queries), min(times)


def _duckdb_ms(files, code: str, year_from: int, year_to: int) -> float:
    import duckdb

    pattern = [str(f) for f in files]
    start = time.perf_counter()
    duckdb.sql(
        "SELECT brottskategori, substr(period, 1, 4) AS year, sum(antal) FROM read_csv($files, header=true, "
        "columns={'kommunkod':'VARCHAR','brottskategori':'VARCHAR','period':'VARCHAR','antal':'BIGINT','status':'VARCHAR'}) "
        "WHERE kommunkod = $code AND substr(period, 1, 4) BETWEEN $a AND $b GROUP BY 1, 2",
        params={"files": pattern, "code": code, "a": str(year_from), "b": str(year_to)},
    ).fetchall()
    return (time.perf_counter() - start) * 1000


def child(args) -> None:
    harness.setup_django()
    from medborgarlofte.crimestats.demo import _ensure_populations

    last = 2024
    years = list(range(last - args.years + 1, last + 1))
    earlier = list(range(years[0] - args.years, years[0]))
    _ensure_populations(range(years[0] - args.years, last + 1))
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        files = _write_year_files(Path(tmp), years)
        generated = time.perf_counter() - start
        rows, seconds, writing = _import(files)
        summary_ms, summary_queries, summary_min = _summary_ms(args.kommun, last - 3, last)
        database_ms = _database_ms(args.kommun, last - 3, last)
        duck_ms = _duckdb_ms(files, args.kommun, last - 3, last)
        for path in files:
            path.unlink()
        more = _write_year_files(Path(tmp), earlier)
        rows2, seconds2, writing2 = _import(more)
        doubled_ms, _q, doubled_min = _summary_ms(args.kommun, last - 3, last)
        doubled_database_ms = _database_ms(args.kommun, last - 3, last)
        plans = _plans(args.kommun, last - 3, last) if args.explain else []
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "rows": rows,
                "import_s": seconds,
                "rows_per_s": rows / seconds,
                "write_rows_per_s": rows / writing,
                "write_rows_per_s_second_half": rows2 / writing2,
                "plans": plans,
                "generate_s": generated,
                "summary_ms": summary_ms,
                "summary_queries": summary_queries,
                "duckdb_ms": duck_ms,
                "rows_after_doubling": rows + rows2,
                "rows_per_s_second_half": rows2 / seconds2,
                "summary_ms_doubled": doubled_ms,
                "summary_min_ms": summary_min,
                "summary_min_ms_doubled": doubled_min,
                "database_ms": database_ms,
                "database_ms_doubled": doubled_database_ms,
                "peak_mb": peak_mb,
            }
        )
    )


def _run(db: str, args) -> dict:
    with harness.temporary(db, prefix="medborgarlofte-crimestats-") as (tmp, url):
        env = harness.environment(tmp, url, MEDBORGARLOFTE_DEBUG="0")
        options = ["--years", str(args.years), "--kommun", args.kommun]
        options += ["--explain"] if args.explain else []
        out = harness.run_module("crime_statistics", "--child", *options, env=env)
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--kommun", default="0642")
    parser.add_argument(
        "--explain", action="store_true", help="print the summary's plans (PostgreSQL)"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    print(f"machine: {harness.machine()}")
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        r = _run(db, args)
        print(
            f"\n[{db}] {r['rows']:,} rows imported in {r['import_s']:.1f} s: {r['rows_per_s']:,.0f} rows/s "
            f"(target ×{r['rows_per_s'] / TARGETS['rows_per_s']:.2f}); generating the CSV took {r['generate_s']:.1f} s"
        )
        print(
            f"[{db}] storage/write path alone (parsed rows → database): {r['write_rows_per_s']:,.0f} rows/s "
            f"(target ×{r['write_rows_per_s'] / TARGETS['write_rows_per_s']:.2f}); "
            f"second half {r['write_rows_per_s_second_half']:,.0f} rows/s"
        )
        print(
            f"[{db}] crime_summary {args.kommun}: {r['summary_ms']:.1f} ms, {r['summary_queries']} queries "
            f"(target ≤ {TARGETS['summary_ms']} ms); DuckDB from the CSV: {r['duckdb_ms']:.1f} ms "
            f"(ratio ours/DuckDB {r['summary_ms'] / r['duckdb_ms']:.2f})"
        )
        print(
            f"[{db}] after doubling to {r['rows_after_doubling']:,} rows: summary {r['summary_ms_doubled']:.1f} ms "
            f"(×{r['summary_ms_doubled'] / r['summary_ms']:.2f}); import of the second half {r['rows_per_s_second_half']:,.0f} rows/s"
        )
        print(
            f"[{db}] fastest of 9: {r['summary_min_ms']:.1f} ms → {r['summary_min_ms_doubled']:.1f} ms "
            f"(×{r['summary_min_ms_doubled'] / r['summary_min_ms']:.2f})"
        )
        if r["database_ms"]:
            print(
                f"[{db}] inside PostgreSQL (EXPLAIN ANALYZE, sum over the queries, best of 3): "
                f"{r['database_ms']:.2f} ms → {r['database_ms_doubled']:.2f} ms "
                f"(×{r['database_ms_doubled'] / r['database_ms']:.2f})"
            )
        for plan in r["plans"]:
            print(f"\n[{db}] EXPLAIN ANALYZE after doubling:\n{plan}")
        print(f"[{db}] peak memory {r['peak_mb']:.0f} MB (target < {TARGETS['peak_mb']} MB)")


if __name__ == "__main__":
    main()
