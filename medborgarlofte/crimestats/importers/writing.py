"""Writing parsed rows: one transaction, one ImportRun, idempotent by file hash and content.

Importing a file whose SHA-256 was imported before changes nothing. Otherwise each row
is compared with what is stored for the same kommun, category, period and source:
equal rows are left alone, changed rows (e.g. preliminary → final) are updated, new
rows are created with bulk_create. County and national totals are refreshed for the
categories and years the file touched.
"""

import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from medborgarlofte.accounts import audit
from medborgarlofte.crimestats.models import AreaTotal, CrimeStatistic, ImportRun, KpiValue
from medborgarlofte.kommuner.models import Municipality, Population

BATCH_SIZE = 5000
NATION = "SE"


@dataclass
class ImportResult:
    file_name: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    already_imported: ImportRun | None = None
    run: ImportRun | None = None
    notes: list[str] = field(default_factory=list)

    def summary_lines(self) -> list[str]:
        if self.already_imported is not None:
            return [
                _("%(file)s was already imported on %(date)s (run %(run)s); nothing changed.")
                % {
                    "file": self.file_name,
                    "date": f"{self.already_imported.at:%Y-%m-%d}",
                    "run": self.already_imported.pk,
                }
            ]
        prefix = _("Dry run, nothing saved: ") if self.dry_run else ""
        return [
            prefix
            + _(
                "%(file)s: %(rows)s rows, %(created)s new, %(updated)s changed, %(unchanged)s unchanged."
            )
            % {
                "file": self.file_name,
                "rows": self.rows,
                "created": self.created,
                "updated": self.updated,
                "unchanged": self.unchanged,
            },
            *self.notes,
        ]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _previous_run(digest: str, kind: str) -> ImportRun | None:
    return ImportRun.objects.filter(sha256=digest, kind=kind).order_by("at").first()


def _start_run(result, *, source, kind, digest, user) -> ImportRun:
    return ImportRun.objects.create(
        source=source,
        kind=kind,
        file_name=result.file_name[:300],
        sha256=digest,
        rows=result.rows,
        user=user if getattr(user, "is_authenticated", False) else None,
        user_label=audit.actor_label(user),
    )


def _finish_run(run, result, user, summary_kind) -> None:
    run.created, run.updated, run.unchanged = result.created, result.updated, result.unchanged
    run.save(update_fields=["created", "updated", "unchanged"])
    audit.record(
        user=user,
        action=f"import-{summary_kind}",
        obj=run,
        municipality=None,
        summary=f"{run.file_name}: {result.rows} rows, {result.created} new, {result.updated} changed",
        after={"sha256": run.sha256, "source": run.source},
    )


def write_statistics(
    rows, *, data: bytes, file_name: str, source: str, user=None, dry_run=False
) -> ImportResult:
    """Store parsed (kommunkod, category id, year, month, count, status) rows."""
    digest = sha256(data)
    result = ImportResult(file_name=file_name, rows=len(rows), dry_run=dry_run)
    previous = _previous_run(digest, "crime")
    if previous is not None:
        result.already_imported = previous
        return result
    from django.db import connection

    if connection.vendor == "postgresql":
        return _write_statistics_postgres(rows, result, source=source, digest=digest, user=user)
    municipality_ids = dict(Municipality.objects.values_list("code", "pk"))
    years = {row[2] for row in rows}
    existing = {
        (m, c, y, mo): (pk, count, status)
        for pk, m, c, y, mo, count, status in CrimeStatistic.objects.filter(
            source=source, year__in=years, category_id__in={row[1] for row in rows}
        )
        .values_list("pk", "municipality_id", "category_id", "year", "month", "count", "status")
        .iterator(chunk_size=20000)
    }
    with transaction.atomic():
        run = (
            None
            if dry_run
            else _start_run(result, source=source, kind="crime", digest=digest, user=user)
        )
        run_id = run.pk if run else None
        new, changed = [], []
        for code, category_id, year, month, count, status in rows:
            municipality_id = municipality_ids[code]
            found = existing.get((municipality_id, category_id, year, month))
            if found is None:
                new.append(
                    (municipality_id, category_id, year, month, count, status, source, run_id)
                )
            elif found[1:] != (count, status):
                changed.append(
                    CrimeStatistic(pk=found[0], count=count, status=status, import_run=run)
                )
            else:
                result.unchanged += 1
        result.created, result.updated = len(new), len(changed)
        if dry_run:
            return result
        insert_statistics(new)
        CrimeStatistic.objects.bulk_update(
            changed, ["count", "status", "import_run"], batch_size=BATCH_SIZE
        )
        if new or changed:
            refresh_area_totals(source, {row[1] for row in rows}, years)
        _finish_run(run, result, user, "crime-statistics")
        result.run = run
    return result


# --- PostgreSQL: COPY into a staging table, one set-based merge, ANALYZE -----------------

STAGING = "crimestat_staging"
# After this many written rows the planner's statistics are refreshed (ANALYZE): a bulk
# load that doubles the table otherwise leaves plans made for the old size.
ANALYZE_AFTER_ROWS = 10_000
COPY_CHUNK = 50_000
NULL = "\\N"  # COPY's text format

_MATCHED = """
    SELECT s.municipality_id, s.category_id, s.year, s.month, s.count, s.status,
           c.id AS existing_id, c.count AS old_count, c.status AS old_status
    FROM {staging} s
    LEFT JOIN {table} c
      ON c.municipality_id = s.municipality_id AND c.category_id = s.category_id
     AND c.year = s.year AND COALESCE(c.month, 0) = COALESCE(s.month, 0)
     AND c.source = %(source)s
"""
_MERGE = """
WITH matched AS ({matched}),
inserted AS (
    INSERT INTO {table} (municipality_id, category_id, year, month, count, status, source,
                         import_run_id)
    SELECT municipality_id, category_id, year, month, count, status, %(source)s, %(run)s
    FROM matched WHERE existing_id IS NULL
    RETURNING 1
),
updated AS (
    UPDATE {table} c SET count = m.count, status = m.status, import_run_id = %(run)s
    FROM matched m
    WHERE c.id = m.existing_id AND (m.old_count <> m.count OR m.old_status <> m.status)
    RETURNING 1
)
SELECT (SELECT count(*) FROM inserted), (SELECT count(*) FROM updated),
       (SELECT count(*) FROM matched
        WHERE existing_id IS NOT NULL AND old_count = count AND old_status = status)
"""
# Does any stored row share a kommun, category and year with the file? Usually not: a new
# year from Brå. Then every row is new and the matching join (one index probe a row, about
# a quarter of the write) is skipped: one probe per distinct kommun × category × year.
_OVERLAP = """
SELECT EXISTS (
    SELECT 1 FROM (SELECT DISTINCT municipality_id, category_id, year FROM {staging}) d
    JOIN {table} c ON c.municipality_id = d.municipality_id AND c.category_id = d.category_id
     AND c.year = d.year AND c.source = %(source)s
)
"""
_INSERT_ALL = """
INSERT INTO {table} (municipality_id, category_id, year, month, count, status, source,
                     import_run_id)
SELECT municipality_id, category_id, year, month, count, status, %(source)s, %(run)s
FROM {staging}
"""
_COUNT = """
WITH matched AS ({matched})
SELECT count(*) FILTER (WHERE existing_id IS NULL),
       count(*) FILTER (WHERE existing_id IS NOT NULL
                        AND (old_count <> count OR old_status <> status)),
       count(*) FILTER (WHERE existing_id IS NOT NULL
                        AND old_count = count AND old_status = status)
FROM matched
"""


def _write_statistics_postgres(rows, result, *, source, digest, user) -> ImportResult:
    """The same result as the generic path, set-based: COPY the file's rows into a
    temporary staging table, then one statement compares them with the stored rows and
    inserts the new and updates the changed ones; ANALYZE after a bulk load."""
    from django.db import connection

    municipality_ids = dict(Municipality.objects.values_list("code", "pk"))
    table = connection.ops.quote_name(CrimeStatistic._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGING} (municipality_id bigint, category_id bigint, "
            "year smallint, month smallint, count integer, status varchar(5)) ON COMMIT DROP"
        )
        copy_sql = (
            f"COPY {STAGING} (municipality_id, category_id, year, month, count, status) FROM STDIN"
        )
        with cursor.cursor.copy(copy_sql) as copy:
            for start in range(0, len(rows), COPY_CHUNK):  # text format, one write a chunk
                copy.write(
                    "".join(
                        f"{municipality_ids[code]}\t{category}\t{year}\t"
                        f"{NULL if month is None else month}\t{count}\t{status}\n"
                        for code, category, year, month, count, status in rows[
                            start : start + COPY_CHUNK
                        ]
                    )
                )
        cursor.execute(f"ANALYZE {STAGING}")
        cursor.execute(_OVERLAP.format(staging=STAGING, table=table), {"source": source})
        all_new = not cursor.fetchone()[0]
        matched = _MATCHED.format(staging=STAGING, table=table)
        if result.dry_run:
            if all_new:
                result.created = len(rows)
            else:
                cursor.execute(_COUNT.format(matched=matched), {"source": source})
                result.created, result.updated, result.unchanged = cursor.fetchone()
            cursor.execute(f"DROP TABLE {STAGING}")
            return result
        run = _start_run(result, source=source, kind="crime", digest=digest, user=user)
        parameters = {"source": source, "run": run.pk}
        if all_new:
            cursor.execute(_INSERT_ALL.format(staging=STAGING, table=table), parameters)
            result.created = cursor.rowcount
        else:
            cursor.execute(_MERGE.format(matched=matched, table=table), parameters)
            result.created, result.updated, result.unchanged = cursor.fetchone()
        bulk = result.created + result.updated >= ANALYZE_AFTER_ROWS
        if bulk:  # before the totals: their GROUP BY is planned on fresh statistics
            cursor.execute(f"ANALYZE {table}")
        if result.created or result.updated:
            years = sorted({row[2] for row in rows})
            _refresh_area_totals_postgres(cursor, source, sorted({r[1] for r in rows}), years)
        if bulk:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(AreaTotal._meta.db_table)}")
        cursor.execute(f"DROP TABLE {STAGING}")
        _finish_run(run, result, user, "crime-statistics")
        result.run = run
    return result


def _refresh_area_totals_postgres(cursor, source, category_ids, years) -> None:
    """refresh_area_totals in two statements: county and national sums by GROUPING SETS."""
    totals = AreaTotal._meta.db_table
    cursor.execute(
        f"DELETE FROM {totals} WHERE source = %s AND category_id = ANY(%s) AND year = ANY(%s)",
        [source, category_ids, years],
    )
    cursor.execute(
        f"""
        INSERT INTO {totals} (area, category_id, year, month, source, count, municipalities)
        SELECT COALESCE(k.code, %s), s.category_id, s.year, COALESCE(s.month, 0), %s,
               SUM(s.count), COUNT(s.municipality_id)
        FROM {CrimeStatistic._meta.db_table} s
        JOIN {Municipality._meta.db_table} m ON m.id = s.municipality_id
        JOIN {Municipality._meta.get_field("county").related_model._meta.db_table} k
          ON k.id = m.county_id
        WHERE s.source = %s AND s.category_id = ANY(%s) AND s.year = ANY(%s)
        GROUP BY GROUPING SETS ((k.code, s.category_id, s.year, COALESCE(s.month, 0)),
                                (s.category_id, s.year, COALESCE(s.month, 0)))
        """,
        [NATION, source, source, category_ids, years],
    )


def insert_statistics(rows: list[tuple]) -> None:
    """INSERT value tuples (in INSERT_FIELDS order): COPY on PostgreSQL, else executemany.

    Not bulk_create: building a model instance per row and compiling its SQL cost more
    than the database itself at a million rows (see benchmarks/README.md)."""
    from django.db import connection

    if not rows:
        return
    meta = CrimeStatistic._meta
    columns = [meta.get_field(name).column for name in INSERT_FIELDS]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        connection.ops.quote_name(meta.db_table),
        ", ".join(connection.ops.quote_name(c) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: one stream instead of a statement a row
            copy_sql = sql.split(" VALUES ")[0].replace("INSERT INTO", "COPY") + " FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        for start in range(0, len(rows), BATCH_SIZE):
            cursor.executemany(sql, rows[start : start + BATCH_SIZE])


INSERT_FIELDS = [
    "municipality",
    "category",
    "year",
    "month",
    "count",
    "status",
    "source",
    "import_run",
]


def refresh_area_totals(source: str, category_ids, years) -> int:
    """Recompute county and national sums for the given categories and years of a source."""
    AreaTotal.objects.filter(source=source, category_id__in=category_ids, year__in=years).delete()
    county_rows = (
        CrimeStatistic.objects.filter(source=source, category_id__in=category_ids, year__in=years)
        .values_list("municipality__county__code", "category_id", "year", "month")
        .annotate(total=Sum("count"), kommuner=Count("municipality_id"))
        .order_by()
    )
    totals: dict[tuple, list[int]] = {}
    for county, category_id, year, month, total, kommuner in county_rows:
        for area in (county, NATION):
            entry = totals.setdefault((area, category_id, year, month or 0), [0, 0])
            entry[0] += total
            entry[1] += kommuner
    AreaTotal.objects.bulk_create(
        [
            AreaTotal(
                area=a, category_id=c, year=y, month=m, source=source, count=t, municipalities=k
            )
            for (a, c, y, m), (t, k) in totals.items()
        ],
        batch_size=BATCH_SIZE,
    )
    return len(totals)


def write_kpi_values(
    rows, *, data: bytes, file_name: str, user=None, dry_run=False
) -> ImportResult:
    """Store parsed Kolada (kommunkod, kpi, year, value, status, gender) rows."""
    digest = sha256(data)
    result = ImportResult(file_name=file_name, rows=len(rows), dry_run=dry_run)
    previous = _previous_run(digest, "kolada")
    if previous is not None:
        result.already_imported = previous
        return result
    municipality_ids = dict(Municipality.objects.values_list("code", "pk"))
    existing = {
        (m, k, y, g): (pk, v, s)
        for pk, m, k, y, g, v, s in KpiValue.objects.filter(
            kpi__in={r[1] for r in rows}
        ).values_list("pk", "municipality_id", "kpi", "year", "gender", "value", "status")
    }
    with transaction.atomic():
        run = (
            None
            if dry_run
            else _start_run(result, source="kolada", kind="kolada", digest=digest, user=user)
        )
        new, changed = [], []
        for code, kpi, year, value, status, *rest in rows:
            gender = rest[0] if rest else "T"
            found = existing.get((municipality_ids[code], kpi, year, gender))
            if found is None:
                new.append(
                    KpiValue(
                        municipality_id=municipality_ids[code],
                        kpi=kpi,
                        year=year,
                        value=value,
                        status=status,
                        gender=gender,
                        import_run=run,
                    )
                )
            elif found[1:] != (value, status):
                changed.append(KpiValue(pk=found[0], value=value, status=status, import_run=run))
            else:
                result.unchanged += 1
        result.created, result.updated = len(new), len(changed)
        if dry_run:
            return result
        KpiValue.objects.bulk_create(new, batch_size=BATCH_SIZE)
        KpiValue.objects.bulk_update(
            changed, ["value", "status", "import_run"], batch_size=BATCH_SIZE
        )
        _finish_run(run, result, user, "kolada")
        result.run = run
    return result


def write_population(
    rows, *, data: bytes, file_name: str, source_label: str, user=None, dry_run=False
) -> ImportResult:
    """Store parsed (kommunkod, year, population) rows in kommuner.Population."""
    digest = sha256(data)
    result = ImportResult(file_name=file_name, rows=len(rows), dry_run=dry_run)
    previous = _previous_run(digest, "population")
    if previous is not None:
        result.already_imported = previous
        return result
    municipality_ids = dict(Municipality.objects.values_list("code", "pk"))
    existing = {
        (m, y): (pk, p, s)
        for pk, m, y, p, s in Population.objects.filter(year__in={r[1] for r in rows}).values_list(
            "pk", "municipality_id", "year", "population", "source"
        )
    }
    with transaction.atomic():
        run = (
            None
            if dry_run
            else _start_run(result, source="scb", kind="population", digest=digest, user=user)
        )
        new, changed = [], []
        for code, year, population in rows:
            found = existing.get((municipality_ids[code], year))
            if found is None:
                new.append(
                    Population(
                        municipality_id=municipality_ids[code],
                        year=year,
                        population=population,
                        source=source_label,
                    )
                )
            elif found[1:] != (population, source_label):
                changed.append(Population(pk=found[0], population=population, source=source_label))
            else:
                result.unchanged += 1
        result.created, result.updated = len(new), len(changed)
        if dry_run:
            return result
        Population.objects.bulk_create(new, batch_size=BATCH_SIZE)
        Population.objects.bulk_update(changed, ["population", "source"], batch_size=BATCH_SIZE)
        _finish_run(run, result, user, "population")
        result.run = run
    return result
