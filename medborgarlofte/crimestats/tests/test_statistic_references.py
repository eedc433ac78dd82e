"""The crime statistics' references hold in the database, on both backends.

SQLite keeps Django's foreign keys (deferred to commit: ``check_constraints`` asks now);
PostgreSQL checks them with statement triggers instead (migration crimestats 0008, issue
17). Either way a statistic cannot point at a kommun, category or import run that does
not exist, and a kommun, category or import run that statistics refer to cannot be
deleted or renumbered, by the ORM or by raw SQL.
"""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from medborgarlofte.crimestats.models import CrimeCategory, CrimeStatistic, ImportRun, Source
from medborgarlofte.kommuner.models import Municipality

pytestmark = pytest.mark.django_db

TABLE = CrimeStatistic._meta.db_table
MISSING = 987_654_321
# The triggers of migration 0008; SQLite keeps Django's foreign keys (the PostgreSQL run
# of the suite covers these).
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's own mechanism"
)


@pytest.fixture
def statistic():
    run = ImportRun.objects.create(
        sha256="0" * 64, rows=1, file_name="brå.xlsx", source=Source.BRA, user_label="test"
    )
    return CrimeStatistic.objects.create(
        municipality=Municipality.objects.get(code="0642"),
        category=CrimeCategory.objects.order_by("pk").first(),
        year=2024,
        count=12,
        source=Source.BRA,
        import_run=run,
    )


def refused(sql: str, params: list) -> bool:
    """Run one raw statement; True when the database refuses it (now or at commit)."""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
            connection.check_constraints()  # the deferred foreign keys, now (the triggers
            # of PostgreSQL have refused already)
    except IntegrityError:
        return True
    return False


INSERT = (
    f"INSERT INTO {TABLE} (municipality_id, category_id, year, month, count, status, source,"
    " import_run_id) VALUES (%s, %s, 2023, NULL, 1, 'final', 'bra', %s)"
)


@pytest.mark.parametrize("missing", ["municipality", "category", "import_run"])
def test_an_insert_naming_a_missing_row_is_refused(statistic, missing):
    values = {
        "municipality": statistic.municipality_id,
        "category": statistic.category_id,
        "import_run": statistic.import_run_id,
    }
    assert not refused(INSERT, list(values.values())), "the valid row is stored"
    values[missing] = MISSING
    assert refused(INSERT.replace("2023", "2022"), list(values.values()))
    assert not CrimeStatistic.objects.filter(year=2022).exists()


@pytest.mark.parametrize("column", ["municipality_id", "category_id", "import_run_id"])
def test_an_update_naming_a_missing_row_is_refused(statistic, column):
    before = getattr(statistic, column)
    assert refused(f"UPDATE {TABLE} SET {column} = %s WHERE id = %s", [MISSING, statistic.pk])
    assert not refused(f"UPDATE {TABLE} SET count = 13 WHERE id = %s", [statistic.pk])
    statistic.refresh_from_db()
    assert (getattr(statistic, column), statistic.count) == (before, 13)


@pytest.mark.parametrize(
    "model, attribute",
    [
        (Municipality, "municipality_id"),
        (CrimeCategory, "category_id"),
        (ImportRun, "import_run_id"),
    ],
)
def test_a_referenced_row_cannot_be_deleted_or_renumbered(statistic, model, attribute):
    pk = getattr(statistic, attribute)
    table = model._meta.db_table
    with pytest.raises(ProtectedError):
        model.objects.get(pk=pk).delete()
    assert refused(f"DELETE FROM {table} WHERE id = %s", [pk])
    assert refused(f"UPDATE {table} SET id = %s WHERE id = %s", [MISSING, pk])
    assert model.objects.filter(pk=pk).exists()


def test_an_unreferenced_row_can_still_go(statistic):
    spare = ImportRun.objects.create(
        sha256="1" * 64, rows=0, file_name="tom.csv", source=Source.BRA, user_label="test"
    )
    assert not refused(f"DELETE FROM {ImportRun._meta.db_table} WHERE id = %s", [spare.pk])
    assert not ImportRun.objects.filter(pk=spare.pk).exists()


@postgresql_only
def test_postgresql_checks_by_statement_not_row_by_row():
    """Fails if a migration puts the row-by-row foreign keys back (half the import time)."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            [TABLE],
        )
        triggers = {name for (name,) in cursor.fetchall()}
    keys = {name for name, info in constraints.items() if info["foreign_key"]}
    assert keys == set()
    assert triggers == {"crimestat_references_insert", "crimestat_references_update"}


@postgresql_only
@pytest.mark.parametrize(
    "model, attribute",
    [
        (Municipality, "municipality_id"),
        (CrimeCategory, "category_id"),
        (ImportRun, "import_run_id"),
    ],
)
def test_postgresql_refuses_at_the_statement(statistic, model, attribute):
    """The triggers themselves refuse, at once (other tables' deferred keys would only
    complain at commit)."""
    pk = getattr(statistic, attribute)
    table = model._meta.db_table
    referenced = pytest.raises(IntegrityError, match=f"still referenced from {TABLE}")
    with referenced, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [pk])
    values = [statistic.municipality_id, statistic.category_id, statistic.import_run_id]
    values[["municipality_id", "category_id", "import_run_id"].index(attribute)] = MISSING
    missing = pytest.raises(IntegrityError, match=f"{attribute}={MISSING} is not in {table}")
    with missing, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(INSERT, values)
