"""Benchmark: one kommun's weekly lägesbild with 1 million incidents nationally, then 2.

    .venv/bin/python -m benchmarks.weekly_lagesbild [--rows 1000000] [--database sqlite|postgres|both]

Self-contained: a temporary SQLite file and/or a throwaway PostgreSQL database
(`createdb -h 127.0.0.1 -U postgres mlbench_<pid>`, dropped at the end); `migrate`;
then ROWS incidents spread over the 290 kommuner in proportion to their population
(one year, half at a named place, half as generalised points; Mullsjö also has its
places), inserted in bulk. It times `weekly_lagesbild(Mullsjö, this week)` — the same
function the page and the PDF use, including the map — then adds as many incidents
again to the OTHER kommuner (the national total doubles, Mullsjö's data does not) and
times it again. Prints median and p95 of --repeat runs, and the ratio to the target
(≤ 200 ms, flat when the national total doubles).
"""

import argparse
import datetime
import random
import statistics
import time

from benchmarks import harness
from benchmarks.harness import log

TARGET_MS = 200


def _fixtures():
    from medborgarlofte.accounts.models import User
    from medborgarlofte.incidents.demo import _places
    from medborgarlofte.incidents.models import IncidentCategory, Report
    from medborgarlofte.incidents.services import ensure_categories
    from medborgarlofte.kommuner.models import Municipality

    user = User.objects.create(username="bench")
    kommuner = list(Municipality.objects.prefetch_related("populations"))
    for kommun in kommuner:
        ensure_categories(kommun)
    mullsjo = next(k for k in kommuner if k.code == "0642")
    places = _places(mullsjo)
    categories = {}
    for kommun_id, pk in IncidentCategory.objects.values_list("municipality_id", "pk"):
        categories.setdefault(kommun_id, []).append(pk)
    reports = {
        k.pk: Report.objects.create(municipality=k, reporter=user, organisation="bench").pk
        for k in kommuner
    }
    return user, kommuner, mullsjo, places, categories, reports


def _weights(kommuner):
    out = []
    for kommun in kommuner:
        pops = [p.population for p in kommun.populations.all()]
        out.append(pops[-1] if pops else 10_000)
    return out


def insert(rows: int, fixtures, *, exclude_code: str | None, seed: int) -> float:
    from django.db import connection, transaction

    user, kommuner, mullsjo, places, categories, reports = fixtures
    pool = [k for k in kommuner if k.code != exclude_code]
    weights = _weights(pool)
    rng = random.Random(seed)
    today = datetime.date.today()
    now = datetime.datetime.now(datetime.UTC).isoformat(sep=" ")
    chosen = rng.choices(pool, weights, k=rows)
    sql = (
        "INSERT INTO incidents_incident (municipality_id, report_id, reporter_id, category_id, "
        "place_id, latitude, longitude, date, time_band, description, personal_data_checked, "
        "status, action_taken, is_example, created_at, updated_at) VALUES "
        "(%s, %s, %s, %s, %s, %s, %s, %s, %s, '', false, %s, '', true, %s, %s)"
    )
    started = time.perf_counter()
    batch = []
    with transaction.atomic(), connection.cursor() as cursor:
        for kommun in chosen:
            place = (
                rng.choice(places).pk if kommun.pk == mullsjo.pk and rng.random() < 0.8 else None
            )
            lat = lon = None
            if place is None and rng.random() < 0.5:
                lat, lon = 57.9 + rng.random() / 50, 13.87 + rng.random() / 50
            batch.append(
                (
                    kommun.pk,
                    reports[kommun.pk],
                    user.pk,
                    rng.choice(categories[kommun.pk]),
                    place,
                    lat,
                    lon,
                    today - datetime.timedelta(days=rng.randint(0, 364)),
                    "unknown",
                    "new" if rng.random() < 0.3 else "handled",
                    now,
                    now,
                )
            )
            if len(batch) == 20_000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE incidents_incident")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return time.perf_counter() - started


def measure(mullsjo, repeat: int) -> list[float]:
    from medborgarlofte.incidents.weekly import current_week, weekly_lagesbild

    year, week = current_week()
    weekly_lagesbild(mullsjo, year, week)  # warm-up (imports, caches)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        weekly_lagesbild(mullsjo, year, week, map_title="bench")
        times.append((time.perf_counter() - started) * 1000)
    return times


def worker(args) -> None:
    harness.setup_django(args.database_url)
    from django.db import connection

    from medborgarlofte.incidents.models import Incident

    fixtures = _fixtures()
    mullsjo = fixtures[2]
    seconds = insert(args.rows, fixtures, exclude_code=None, seed=1)
    total = Incident.objects.count()
    own = Incident.objects.filter(municipality=mullsjo).count()
    log(
        f"{connection.vendor}: inserted {args.rows:,} in {seconds:.1f} s ({args.rows / seconds:,.0f} rows/s)"
    )
    first = measure(mullsjo, args.repeat)
    seconds = insert(args.rows, fixtures, exclude_code="0642", seed=2)
    log(f"{connection.vendor}: inserted {args.rows:,} more (other kommuner) in {seconds:.1f} s")
    second = measure(mullsjo, args.repeat)
    total2 = Incident.objects.count()
    for label, _n, times in (
        (f"{total:,} nationally", total, first),
        (f"{total2:,} nationally", total2, second),
    ):
        p50 = statistics.median(times)
        p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
        print(
            f"{connection.vendor:<10} {label:<22} Mullsjö {own:,} incidents   "
            f"median {p50:6.1f} ms  p95 {p95:6.1f} ms   target {p50 / TARGET_MS:.2f} × {TARGET_MS} ms"
        )
    ratio = statistics.median(second) / statistics.median(first)
    print(f"{connection.vendor:<10} doubling the national total: median × {ratio:.2f} (flat ≈ 1)")


def run(database: str, args) -> None:
    """One child process per database: Django is set up once per process."""
    with harness.temporary(database) as (tmp, url):
        url = url or f"sqlite:///{tmp / 'bench.sqlite3'}"
        options = ["--rows", str(args.rows), "--repeat", str(args.repeat)]
        out = harness.run_module(
            "weekly_lagesbild", "--worker", *options, "--database-url", url, timeout=args.timeout
        )
        print(out, end="")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds per database")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    print(f"machine: {harness.machine()}")
    for database in ["sqlite", "postgres"] if args.database == "both" else [args.database]:
        run(database, args)


if __name__ == "__main__":
    main()
