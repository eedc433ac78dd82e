"""Online backup and restore of the SQLite database, with integrity checks.

A copy of the .sqlite3 file alone is not a backup in WAL mode (recent commits live in
the -wal file). These functions use SQLite's online backup API, which copies a
consistent snapshot while the application keeps running, then run
`PRAGMA integrity_check` on the copy. PostgreSQL: see docs/deploy.md (pg_dump,
base backups with WAL archiving for point-in-time recovery).
"""

import hashlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path


class BackupError(Exception):
    pass


@dataclass
class Snapshot:
    path: Path
    tables: dict[str, int]  # table → row count
    checksum: str  # SHA-256 over every table's rows in primary-key order
    integrity: str


def _connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    uri = f"file:{path}?mode=ro" if readonly else f"file:{path}"
    return sqlite3.connect(uri, uri=True, timeout=20)


def integrity_check(connection: sqlite3.Connection) -> str:
    return ";".join(row[0] for row in connection.execute("PRAGMA integrity_check"))


def describe(path: Path) -> Snapshot:
    """Row counts and a content checksum of every table: compares a restore to its source."""
    connection = _connect(Path(path), readonly=True)
    try:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        digest = hashlib.sha256()
        counts = {}
        for table in tables:
            rows = connection.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()  # noqa: S608
            counts[table] = len(rows)
            digest.update(table.encode())
            for row in rows:
                digest.update(repr(row).encode())
        return Snapshot(Path(path), counts, digest.hexdigest(), integrity_check(connection))
    finally:
        connection.close()


def backup(source: Path, target: Path) -> Snapshot:
    """Copy the live database to target with the online backup API; verify the copy."""
    source, target = Path(source), Path(target)
    if target.exists():
        raise BackupError(f"{target} finns redan; välj ett nytt filnamn")
    target.parent.mkdir(parents=True, exist_ok=True)
    src = _connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
    finally:
        dst.close()
        src.close()
    snapshot = describe(target)
    if snapshot.integrity != "ok":
        target.unlink()
        raise BackupError(f"integritetskontrollen av kopian misslyckades: {snapshot.integrity}")
    return snapshot


def restore(backup_file: Path, target: Path) -> Snapshot:
    """Replace the database at target with the backup (checked first), atomically."""
    backup_file, target = Path(backup_file), Path(target)
    checked = describe(backup_file)
    if checked.integrity != "ok":
        raise BackupError(f"säkerhetskopian är skadad: {checked.integrity}")
    src = _connect(backup_file, readonly=True)
    dst = _connect(target)
    try:
        src.backup(dst)  # the backup API writes the whole database in one step
    finally:
        dst.close()
        src.close()
    restored = describe(target)
    if (restored.tables, restored.checksum) != (checked.tables, checked.checksum):
        raise BackupError("den återställda databasen skiljer sig från säkerhetskopian")
    return restored
