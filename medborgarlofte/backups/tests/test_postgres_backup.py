"""PostgreSQL backup and restore: pg_dump of one snapshot, verified by counts and checksums."""

import contextlib

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from medborgarlofte.agreements.importing import import_agreement_document
from medborgarlofte.backups import postgres

pytestmark = [
    # serialized_rollback: the flush after each test must not take the reference data along.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the PostgreSQL run of the suite covers this"
    ),
]


@contextlib.contextmanager
def empty_database(suffix: str):
    """A new, empty database beside the test database, dropped afterwards."""
    settings_dict = dict(connection.settings_dict)
    name = f"{settings_dict['NAME']}_{suffix}"
    admin = {k: v for k, v in postgres._conninfo(settings_dict).items() if k != "dbname"}
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield {**settings_dict, "NAME": name}
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as server:
            server.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture
def content(coordinator, mullsjo_document):
    import_agreement_document(mullsjo_document, user=coordinator)


def test_a_restore_has_the_same_rows_and_checksums_as_the_backup(tmp_path, content):
    source = postgres.describe(connection.settings_dict)
    dump = tmp_path / "medborgarlofte.dump"
    call_command("backup", str(dump))
    assert dump.stat().st_size > 0 and postgres.manifest_path(dump).exists()
    with empty_database("restore") as target:
        restored = postgres.restore(dump, target)
        assert restored.tables == source.tables
        assert restored.checksum == source.checksum
        assert restored.tables["agreements_commitment"] > 0


def test_the_checksum_sees_a_changed_value(tmp_path, content):
    before = postgres.describe(connection.settings_dict)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE agreements_commitment SET text = text || '.' WHERE id = (SELECT min(id) FROM agreements_commitment)"
        )
    after = postgres.describe(connection.settings_dict)
    assert after.tables == before.tables
    assert after.checksum != before.checksum


def test_it_refuses_to_restore_over_a_database_that_has_tables(tmp_path, content):
    dump = tmp_path / "medborgarlofte.dump"
    postgres.backup(connection.settings_dict, dump)
    with pytest.raises(CommandError, match="inte tom"):
        call_command("restore", str(dump), "--yes")


def test_a_damaged_dump_restores_nothing(tmp_path, content):
    dump = tmp_path / "medborgarlofte.dump"
    postgres.backup(connection.settings_dict, dump)
    data = dump.read_bytes()
    dump.write_bytes(data[: len(data) // 2])  # cut off halfway, as a failed copy would
    with empty_database("damaged") as target:
        with pytest.raises(postgres.BackupError, match="pg_restore"):
            postgres.restore(dump, target)
        assert postgres.describe(target).tables == {}  # one transaction: all or nothing


def test_it_refuses_a_dump_without_its_manifest(tmp_path, content):
    dump = tmp_path / "medborgarlofte.dump"
    postgres.backup(connection.settings_dict, dump)
    postgres.manifest_path(dump).unlink()
    with (
        empty_database("nomanifest") as target,
        pytest.raises(postgres.BackupError, match="manifest"),
    ):
        postgres.restore(dump, target)


def test_it_refuses_to_overwrite_an_existing_backup(tmp_path, content):
    dump = tmp_path / "medborgarlofte.dump"
    dump.write_bytes(b"")
    with pytest.raises(CommandError, match="finns redan"):
        call_command("backup", str(dump))
