"""Backup and restore of a PostgreSQL database with pg_dump/pg_restore, verified by content.

`backup` opens a REPEATABLE READ transaction, exports its snapshot, counts and checksums
every table inside that transaction and runs `pg_dump --snapshot` on the same snapshot: the
dump and the manifest beside it (`FILE.manifest.json`) describe exactly the same state,
even while the application keeps writing. `restore` loads the dump into an empty database
with `pg_restore` and compares every table's row count and checksum with the manifest.

Point-in-time recovery (base backups plus WAL archiving) is a server setting, not a job for
the application; docs/deploy.md describes it.
"""

import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql


class BackupError(Exception):
    pass


@dataclass
class Snapshot:
    tables: dict[str, int]  # table → row count
    checksum: str  # SHA-256 over every table's per-table digest, in name order


def _conninfo(settings_dict: dict) -> dict:
    info = {
        "dbname": settings_dict["NAME"],
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or None,
        "port": str(settings_dict["PORT"]) if settings_dict.get("PORT") else None,
    }
    return {key: value for key, value in info.items() if value is not None}


def _environment(settings_dict: dict) -> dict:
    """libpq environment for the pg_dump/pg_restore child (the password never on argv)."""
    info = _conninfo(settings_dict)
    env = dict(os.environ)
    names = {"dbname": "PGDATABASE", "user": "PGUSER", "password": "PGPASSWORD"}
    names |= {"host": "PGHOST", "port": "PGPORT"}
    env.update({names[key]: value for key, value in info.items()})
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} saknas: installera PostgreSQL-klienten (postgresql-client)")
    return path


def _describe(cursor) -> Snapshot:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    counts, digest = {}, hashlib.sha256()
    for table in tables:
        # Row text in a fixed order: equal content gives an equal digest on any server.
        cursor.execute(
            sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                " FROM {} AS t"
            ).format(sql.Identifier(table))
        )
        count, table_digest = cursor.fetchone()
        counts[table] = count
        digest.update(f"{table}:{count}:{table_digest}\n".encode())
    return Snapshot(counts, digest.hexdigest())


def describe(settings_dict: dict) -> Snapshot:
    """Row counts and a content checksum of every table of the database."""
    with psycopg.connect(**_conninfo(settings_dict)) as connection, connection.cursor() as cursor:
        return _describe(cursor)


def manifest_path(dump: Path) -> Path:
    return dump.with_name(dump.name + ".manifest.json")


def backup(settings_dict: dict, target: Path) -> Snapshot:
    """pg_dump (custom format) of one consistent snapshot, with its manifest."""
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} finns redan; välj ett nytt filnamn")
    target.parent.mkdir(parents=True, exist_ok=True)
    pg_dump = _tool("pg_dump")
    with psycopg.connect(**_conninfo(settings_dict)) as connection:
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        connection.read_only = True
        with connection.transaction(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            exported = cursor.fetchone()[0]
            snapshot = _describe(cursor)
            result = subprocess.run(
                [pg_dump, "--format=custom", f"--snapshot={exported}", f"--file={target}"],
                env=_environment(settings_dict),
                capture_output=True,
                text=True,
            )
    if result.returncode != 0:
        target.unlink(missing_ok=True)
        raise BackupError(f"pg_dump misslyckades: {result.stderr.strip()}")
    manifest = {"tables": snapshot.tables, "checksum": snapshot.checksum, "format": "pg_dump -Fc"}
    manifest_path(target).write_text(json.dumps(manifest, indent=2, sort_keys=True), "utf-8")
    return snapshot


def restore(dump: Path, settings_dict: dict) -> Snapshot:
    """pg_restore into an empty database, then verify counts and checksums."""
    dump = Path(dump)
    try:
        manifest = json.loads(manifest_path(dump).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"manifestet {manifest_path(dump).name} saknas eller är skadat") from exc
    with psycopg.connect(**_conninfo(settings_dict)) as connection:
        tables = connection.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()[0]
    if tables:
        raise BackupError(
            f"databasen {settings_dict['NAME']} är inte tom ({tables} tabeller): "
            "återställ till en ny, tom databas (createdb)"
        )
    result = subprocess.run(
        [_tool("pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction",
         f"--dbname={settings_dict['NAME']}", str(dump)],
        env=_environment(settings_dict),
        capture_output=True,
        text=True,
    )  # fmt: skip
    if result.returncode != 0:
        raise BackupError(f"pg_restore misslyckades: {result.stderr.strip()}")
    restored = describe(settings_dict)
    if (restored.tables, restored.checksum) != (manifest["tables"], manifest["checksum"]):
        raise BackupError("den återställda databasen skiljer sig från säkerhetskopians manifest")
    return restored
