"""Data that is never lost (issue 7, item 6): the quick versions of the two benchmarks.

- SQLite runs with WAL, BEGIN IMMEDIATE and a 20 s busy timeout (research note §4.2).
- A database that is only busy answers 503 with Retry-After, never a bare 500.
- Parallel submissions through gunicorn (several processes and threads) against a copy of
  the test database: rows = accepted answers, and one form posted 20 times in parallel
  stores one row (benchmarks/concurrent_submissions.py with 40 submissions).
- Imports killed with SIGKILL inside their write transaction leave nothing of the batch and
  a consistent database, and the same import afterwards succeeds once
  (benchmarks/crash_imports.py with 3 trials).

Both run against SQLite and PostgreSQL, whichever the suite runs on.
"""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError, connection, connections, transaction
from django.db.utils import ConnectionHandler
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
ALIAS = "durability_sqlite"


def test_sqlite_runs_with_wal_immediate_transactions_and_a_busy_timeout(
    tmp_path, django_db_blocker
):
    """The production SQLite options, on a file database opened by Django's backend."""
    path = tmp_path / "settings.sqlite3"
    database = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": dict(settings.SQLITE_OPTIONS),
    }
    handler = ConnectionHandler({"default": database, ALIAS: database})
    wrapper = handler[ALIAS]
    connections[ALIAS] = wrapper  # so that transaction.atomic(using=ALIAS) finds it
    try:
        with django_db_blocker.unblock():
            _check_sqlite_options(wrapper, path)
    finally:
        del connections[ALIAS]


def _check_sqlite_options(wrapper, path):
    try:
        with wrapper.cursor() as cursor:
            pragmas = {
                name: cursor.execute(f"PRAGMA {name}").fetchone()[0]
                for name in ("journal_mode", "busy_timeout", "synchronous", "foreign_keys")
            }
            cursor.execute("CREATE TABLE t (x INTEGER)")
        assert pragmas == {
            "journal_mode": "wal",
            "busy_timeout": 20000,
            "synchronous": 1,  # NORMAL
            "foreign_keys": 1,
        }
        # BEGIN IMMEDIATE: a transaction that has only read holds the write lock already,
        # so a read-then-write never fails half-way; other writers wait (busy timeout).
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        with transaction.atomic(using=ALIAS):
            with wrapper.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM t")
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # free again after the commit
        other.execute("ROLLBACK")
        other.close()
    finally:
        wrapper.close()


def _locked_error(tmp_path) -> OperationalError:
    """A real "database is locked", wrapped by Django as a view would see it."""
    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    waiter = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        waiter.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as cause:
        error = OperationalError(*cause.args)
        error.__cause__ = cause
        return error
    finally:
        holder.close()
        waiter.close()
    raise AssertionError("the database was not locked")


def test_a_busy_database_answers_503_with_retry_after(db, tmp_path, monkeypatch):
    from medborgarlofte.dialogues import public_views

    client = Client(raise_request_exception=False)
    client.cookies["medborgarlofte_language"] = "en"
    locked = _locked_error(tmp_path)

    def busy(*args, **kwargs):
        raise locked

    monkeypatch.setattr(public_views.services, "submit_public_entry", busy)
    url = "/kommun/0642/tyck-till/"
    response = client.post(url, {"text": "Klotter"}, REMOTE_ADDR="10.7.7.7")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "send it again" in response.content.decode()

    def broken(*args, **kwargs):
        raise OperationalError("no such table: dialogues_dialogueentry")

    monkeypatch.setattr(public_views.services, "submit_public_entry", broken)
    response = client.post(url, {"text": "Klotter"}, REMOTE_ADDR="10.7.7.8")
    assert response.status_code == 500 and "Retry-After" not in response


def test_transient_postgresql_errors_count_as_busy():
    import psycopg

    from medborgarlofte.publicsite.views import database_busy

    def wrapped(cause):
        error = OperationalError(str(cause))
        error.__cause__ = cause
        return error

    assert database_busy(wrapped(psycopg.errors.DeadlockDetected("deadlock")))
    assert database_busy(wrapped(psycopg.errors.SerializationFailure("could not serialize")))
    assert database_busy(wrapped(psycopg.errors.TooManyConnections("too many clients")))
    assert database_busy(wrapped(psycopg.OperationalError("connection refused")))
    assert not database_busy(wrapped(psycopg.errors.QueryCanceled("statement timeout")))
    assert not database_busy(ValueError("database is locked"))


# --- Through real processes: a copy of the migrated test database ------------------------


@pytest.fixture(scope="module")
def database_copy(django_db_setup, django_db_blocker, tmp_path_factory):
    """A copy of the (migrated, empty) test database that other processes can open."""
    tmp = tmp_path_factory.mktemp("durability")
    name = str(connection.settings_dict["NAME"])
    assert "test" in name or "memory" in name, f"{name} is not the test database"
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":  # the test database lives in memory
            path = tmp / "copy.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(path)
            connection.connection.backup(target)
            target.close()
            yield f"sqlite:///{path}"
            return
        params = connection.settings_dict
        name = f"{params['NAME']}_copy"[:63]
        server = ["-h", params["HOST"] or "127.0.0.1", "-p", str(params["PORT"] or 5432)]
        server += ["-U", params["USER"] or "postgres"]
        env = {**os.environ, "PGPASSWORD": params["PASSWORD"] or ""}
        subprocess.run(["dropdb", *server, "--if-exists", "--force", name], env=env, check=True)
        subprocess.run(["createdb", *server, name], env=env, check=True)
        dump = subprocess.run(
            ["pg_dump", *server, "--no-owner", params["NAME"]],
            env=env,
            check=True,
            capture_output=True,
        )
        subprocess.run(
            ["psql", *server, "-q", "-v", "ON_ERROR_STOP=1", "-d", name],
            input=dump.stdout,
            env=env,
            check=True,
            capture_output=True,
        )
        user, password = params["USER"] or "postgres", params["PASSWORD"]
        login = f"{user}:{password}" if password else user
        yield f"postgres://{login}@{server[1]}:{server[3]}/{name}"
        subprocess.run(["dropdb", *server, "--if-exists", "--force", name], env=env, check=False)


def _benchmark(script: str, *args: str, timeout: int = 600) -> tuple[list[dict], int]:
    done = subprocess.run(
        [sys.executable, "-m", f"benchmarks.{script.removesuffix('.py')}", *args, "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, f"{script} printed no result (exit {done.returncode}):\n{done.stderr[-3000:]}"
    return [json.loads(line) for line in lines], done.returncode


@pytest.mark.django_db  # so that the test database is set up when this test runs alone
def test_parallel_submissions_are_all_stored_and_twins_once(database_copy):
    [result], code = _benchmark(
        "concurrent_submissions.py",
        "--database-url", database_copy,
        "--submissions", "40", "--reporters", "4", "--twins", "20",
        "--workers", "3", "--threads", "4",
    )  # fmt: skip
    stored = result["stored"]
    for phase in ("incidents", "dialogues", "incident_twins", "dialogue_twins"):
        assert result[phase]["errors"] == 0, (phase, result[phase])
    assert stored["incidents"]["rows"] == result["incidents"]["accepted"] == 40
    assert stored["dialogues"]["rows"] == result["dialogues"]["accepted"] == 40
    assert stored["incidents"]["repeated"] == stored["dialogues"]["repeated"] == 0
    assert result["incident_twins"]["accepted"] == result["dialogue_twins"]["accepted"] == 20
    assert stored["incident_twins"] == stored["dialogue_twins"] == 1
    assert stored["reports"] == 41
    assert result["server_errors_logged"] == 0
    assert result["problems"] == [] and code == 0


@pytest.mark.django_db
def test_imports_killed_while_writing_leave_nothing_behind(database_copy):
    [result], code = _benchmark(
        "crash_imports.py",
        "--database-url", database_copy,
        "--trials", "3", "--rows", "20000", "--moment", "writing", "--kill-within", "0.02",
        "--seed", "7",
    )  # fmt: skip
    totals = result["totals"]
    assert totals["trials"] == 3
    # Killed inside the write transaction (the probe saw it), and nothing of it stored.
    assert totals["killed_while_writing"] >= 2, result["trials"]
    assert totals["killed_before_commit"] >= 2, result["trials"]
    assert totals["partial_batches"] == 0
    assert [t["problems"] for t in result["trials"]] == [[], [], []]
    assert totals["failed"] == 0 and code == 0
