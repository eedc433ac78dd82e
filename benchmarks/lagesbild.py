"""Benchmark: compose one kommun's lägesbild with national-scale data loaded; its PDF.

    .venv/bin/python -m benchmarks.lagesbild [--dialogues 100000] [--repeat 20] [--database sqlite|postgres]

Self-contained: a temporary SQLite file (or a throwaway PostgreSQL database
`mlbench_lb_<pid>`, dropped at the end); `migrate`; `load_demo` (Mullsjö's lägesbild
2023 with four problems). Then national-scale data, inserted in bulk:

- crime statistics: every kommun × every taxonomy category × 2021–2023 × 12 months
  (about 290 × 62 × 36 ≈ 650 000 rows) with the county and national totals;
- 100 000 dialogue entries spread over the 290 kommuner (Mullsjö gets its share),
  each with one or two themes.

It times compose(lägesbild) — what the page, the frozen version, the PDF and the export
use — and render_pdf() of the document, prints median and p95 of --repeat runs, the
machine, and the ratio to the targets (compose ≤ 500 ms, PDF ≤ 3 s).
"""

import argparse
import datetime
import random
import secrets
import statistics
import time

from benchmarks import harness
from benchmarks.harness import log

TARGET_COMPOSE_MS = 500
TARGET_PDF_MS = 3000


def insert_statistics(seed: int) -> int:
    from django.db import transaction

    from medborgarlofte.crimestats.models import AreaTotal, CrimeCategory, CrimeStatistic, ImportRun
    from medborgarlofte.kommuner.models import Municipality

    rng = random.Random(seed)
    run = ImportRun.objects.create(source="tidy", file_name="bench.csv", sha256="0" * 64)
    kommuner = list(Municipality.objects.select_related("county"))
    categories = list(CrimeCategory.objects.values_list("pk", flat=True))
    done = set(
        CrimeStatistic.objects.values_list(
            "municipality_id", "category_id", "year", "month", "source"
        )
    )
    totals: dict = {}
    batch, total = [], 0
    with transaction.atomic():
        for kommun in kommuner:
            for category in categories:
                for year in (2021, 2022, 2023):
                    for month in range(1, 13):
                        if (kommun.pk, category, year, month, "tidy") in done:
                            continue
                        count = rng.randint(0, 40)
                        batch.append(
                            CrimeStatistic(
                                municipality_id=kommun.pk,
                                category_id=category,
                                year=year,
                                month=month,
                                count=count,
                                source="tidy",
                                import_run=run,
                            )
                        )
                        for area in (kommun.county.code, "SE"):
                            key = (area, category, year, month)
                            totals[key] = totals.get(key, 0) + count
                        if len(batch) >= 20_000:
                            CrimeStatistic.objects.bulk_create(batch)
                            total += len(batch)
                            batch = []
        CrimeStatistic.objects.bulk_create(batch)
        total += len(batch)
        AreaTotal.objects.bulk_create(
            [
                AreaTotal(
                    area=a,
                    category_id=c,
                    year=y,
                    month=m,
                    source="tidy",
                    count=n,
                    municipalities=290,
                )
                for (a, c, y, m), n in totals.items()
            ],
            ignore_conflicts=True,
        )
    return total


def insert_dialogues(rows: int, seed: int) -> int:
    from django.db import transaction

    from medborgarlofte.dialogues.models import DialogueEntry, EntryTheme
    from medborgarlofte.dialogues.themes import load_themes
    from medborgarlofte.kommuner.models import Municipality

    rng = random.Random(seed)
    kommuner = list(Municipality.objects.values_list("pk", flat=True))
    themes = [t.key for t in load_themes()]
    start = datetime.date(2023, 1, 1)
    areas = ["Centrum", "Resecentrum", "Skolan", ""]
    with transaction.atomic():
        for offset in range(0, rows, 10_000):
            entries = []
            for i in range(offset, min(rows, offset + 10_000)):
                entries.append(
                    DialogueEntry(
                        municipality_id=rng.choice(kommuner),
                        source=rng.choice(["citizen", "staff"]),
                        date=start + datetime.timedelta(days=rng.randrange(365)),
                        area=rng.choice(areas),
                        text=f"Benchmarktext {i} om klotter och mopeder",
                        fingerprint=f"bench-{seed}-{i}",
                    )
                )
            created = DialogueEntry.objects.bulk_create(entries)
            EntryTheme.objects.bulk_create(
                [
                    EntryTheme(
                        municipality_id=e.municipality_id,
                        entry_id=e.pk,
                        theme=theme,
                        date=e.date,
                        area=e.area,
                        source=e.source,
                    )
                    for e in created
                    for theme in rng.sample(themes, rng.choice([1, 2]))
                ]
            )
    return rows


def timed(function, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        out.append((time.perf_counter() - began) * 1000)
    return out


def report(name: str, times: list[float], target: float) -> None:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    median = statistics.median(times)
    print(
        f"{name}: median {median:.0f} ms, p95 {p95:.0f} ms, target {target:.0f} ms "
        f"(median is {median / target:.2f} × target)"
    )


def run(args) -> None:
    from medborgarlofte.demo.loader import load_demo
    from medborgarlofte.lagesbild.composition import compose
    from medborgarlofte.lagesbild.models import Lagesbild
    from medborgarlofte.reports.pdf import render_pdf

    load_demo(secrets.token_urlsafe(12))
    began = time.perf_counter()
    stats = insert_statistics(args.seed)
    dialogues = insert_dialogues(args.dialogues, args.seed)
    log(
        f"inserted {stats} statistics rows and {dialogues} dialogue entries "
        f"in {time.perf_counter() - began:.0f} s"
    )
    lagesbild = Lagesbild.objects.get(municipality__code="0642", period_start__year=2023)
    doc = compose(lagesbild)
    log(f"sections with data: {[s['key'] for s in doc['sections'] if s['available']]}")
    compose_times = timed(lambda: compose(lagesbild), args.repeat)

    def pdf():
        document = compose(lagesbild)
        return render_pdf(
            "lagesbild/document.html",
            {
                "base_template": "reports/print_base.html",
                "live": True,
                "lagesbild": lagesbild,
                "municipality": lagesbild.municipality,
                "doc": document,
                "police_sections": [],
                "problem_rows": [{"problem": p} for p in document["problems"]],
            },
        )

    pages = pdf()
    pdf_times = timed(pdf, max(3, args.repeat // 4))
    print(f"machine: {harness.machine()}, database {args.database}")
    report("compose lägesbild (Mullsjö)", compose_times, TARGET_COMPOSE_MS)
    report(f"PDF ({len(pages) // 1024} KiB)", pdf_times, TARGET_PDF_MS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dialogues", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    with harness.temporary(args.database, prefix="medborgarlofte-lagesbild-") as (tmp, url):
        try:
            harness.setup_django(url or f"sqlite:///{tmp / 'bench.sqlite3'}")
            run(args)
        finally:
            from django.db import connections

            connections.close_all()


if __name__ == "__main__":
    main()
