"""Backup and restore of a real SQLite file database (not the in-memory test database)."""

import sqlite3
import threading

import pytest

from medborgarlofte.backups.sqlite import BackupError, backup, describe, restore


def _make_db(path, rows=200):
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE incident (id INTEGER PRIMARY KEY, text TEXT)")
    connection.executemany(
        "INSERT INTO incident (text) VALUES (?)", [(f"händelse {i}",) for i in range(rows)]
    )
    connection.commit()
    return connection


def test_it_copies_a_live_wal_database_and_checks_it(tmp_path):
    live = _make_db(tmp_path / "live.sqlite3")  # stays open: commits sit in the -wal file
    snapshot = backup(tmp_path / "live.sqlite3", tmp_path / "copy.sqlite3")
    assert snapshot.integrity == "ok"
    assert snapshot.tables == {"incident": 200}
    assert describe(tmp_path / "live.sqlite3").checksum == snapshot.checksum
    live.close()


def test_it_takes_a_consistent_copy_while_someone_writes(tmp_path):
    live = _make_db(tmp_path / "live.sqlite3", rows=0)
    stop = threading.Event()

    def writer():
        connection = sqlite3.connect(tmp_path / "live.sqlite3", timeout=20)
        while not stop.is_set():
            with connection:
                connection.executemany("INSERT INTO incident (text) VALUES (?)", [("x",)] * 50)
        connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        snapshot = backup(tmp_path / "live.sqlite3", tmp_path / "copy.sqlite3")
    finally:
        stop.set()
        thread.join()
    assert snapshot.integrity == "ok"
    assert snapshot.tables["incident"] % 50 == 0  # whole transactions only
    live.close()


def test_it_restores_and_verifies_row_counts_and_checksums(tmp_path):
    _make_db(tmp_path / "live.sqlite3").close()
    original = backup(tmp_path / "live.sqlite3", tmp_path / "copy.sqlite3")
    connection = sqlite3.connect(tmp_path / "live.sqlite3")
    connection.execute("DELETE FROM incident WHERE id > 10")
    connection.commit()
    connection.close()
    restored = restore(tmp_path / "copy.sqlite3", tmp_path / "live.sqlite3")
    assert (restored.tables, restored.checksum) == (original.tables, original.checksum)


def test_it_refuses_a_damaged_backup(tmp_path):
    _make_db(tmp_path / "live.sqlite3", rows=2000).close()
    backup(tmp_path / "live.sqlite3", tmp_path / "copy.sqlite3")
    data = bytearray((tmp_path / "copy.sqlite3").read_bytes())
    data[4096:8192] = b"\x00" * 4096  # wipe a page
    (tmp_path / "copy.sqlite3").write_bytes(bytes(data))
    before = describe(tmp_path / "live.sqlite3")
    with pytest.raises((BackupError, sqlite3.DatabaseError)):
        restore(tmp_path / "copy.sqlite3", tmp_path / "live.sqlite3")
    assert describe(tmp_path / "live.sqlite3").checksum == before.checksum


def test_it_refuses_to_overwrite_an_existing_backup(tmp_path):
    _make_db(tmp_path / "live.sqlite3").close()
    (tmp_path / "copy.sqlite3").write_text("old")
    with pytest.raises(BackupError):
        backup(tmp_path / "live.sqlite3", tmp_path / "copy.sqlite3")


def test_the_commands_back_up_and_restore_the_configured_database(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(MEDBORGARLOFTE_SQLITE_PATH=str(tmp_path / "app.sqlite3"), MEDBORGARLOFTE_DEBUG="1")
    cli = [sys.executable, "-m", "medborgarlofte.cli"]
    root = Path(__file__).resolve().parents[3]

    def run(*args):
        return subprocess.run(
            [*cli, *args], env=env, cwd=root, capture_output=True, text=True, check=True
        )

    run("migrate", "--no-input", "-v", "0")
    original = describe(tmp_path / "app.sqlite3")
    out = run("backup", str(tmp_path / "backup.sqlite3")).stdout
    assert "integritet ok" in out
    connection = sqlite3.connect(tmp_path / "app.sqlite3")
    connection.execute("DELETE FROM kommuner_population")
    connection.commit()
    connection.close()
    refused = subprocess.run(
        [*cli, "restore", str(tmp_path / "backup.sqlite3")],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0 and "--yes" in refused.stderr
    run("restore", str(tmp_path / "backup.sqlite3"), "--yes")
    restored = describe(tmp_path / "app.sqlite3")
    assert (restored.tables, restored.checksum) == (original.tables, original.checksum)
