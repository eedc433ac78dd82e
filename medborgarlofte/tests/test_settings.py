"""Settings: strict parsing of the environment, a clean deploy check, safe SQLite options."""

import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections, transaction
from django.db.utils import ConnectionHandler

from medborgarlofte import settings as project_settings
from medborgarlofte.settings import SQLITE_OPTIONS, env_bool, env_int, env_list, env_str

REPO_DIR = Path(project_settings.__file__).resolve().parent.parent


# --- The helpers ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1", "true", "True", "yes", "on", "ON"])
def test_env_bool_reads_true(monkeypatch, value):
    monkeypatch.setenv("MEDBORGARLOFTE_TEST_FLAG", value)
    assert env_bool("MEDBORGARLOFTE_TEST_FLAG") is True


@pytest.mark.parametrize("value", ["0", "false", "FALSE", "no", "off"])
def test_env_bool_reads_false(monkeypatch, value):
    monkeypatch.setenv("MEDBORGARLOFTE_TEST_FLAG", value)
    assert env_bool("MEDBORGARLOFTE_TEST_FLAG", True) is False


def test_env_bool_falls_back_to_the_default_when_unset_or_empty(monkeypatch):
    monkeypatch.delenv("MEDBORGARLOFTE_TEST_FLAG", raising=False)
    assert env_bool("MEDBORGARLOFTE_TEST_FLAG", True) is True
    monkeypatch.setenv("MEDBORGARLOFTE_TEST_FLAG", "")
    assert env_bool("MEDBORGARLOFTE_TEST_FLAG", False) is False


@pytest.mark.parametrize("value", ["ja", "2", "enabled", " 1"])
def test_env_bool_refuses_anything_else(monkeypatch, value):
    monkeypatch.setenv("MEDBORGARLOFTE_TEST_FLAG", value)
    with pytest.raises(ImproperlyConfigured, match="MEDBORGARLOFTE_TEST_FLAG"):
        env_bool("MEDBORGARLOFTE_TEST_FLAG")


def test_env_int_reads_an_integer_or_the_default(monkeypatch):
    monkeypatch.setenv("MEDBORGARLOFTE_TEST_NUMBER", "42")
    assert env_int("MEDBORGARLOFTE_TEST_NUMBER", 7) == 42
    monkeypatch.delenv("MEDBORGARLOFTE_TEST_NUMBER")
    assert env_int("MEDBORGARLOFTE_TEST_NUMBER", 7) == 7


@pytest.mark.parametrize("value", ["ten", "1.5", "2 MB", "0x10"])
def test_env_int_refuses_a_non_integer(monkeypatch, value):
    monkeypatch.setenv("MEDBORGARLOFTE_TEST_NUMBER", value)
    with pytest.raises(ImproperlyConfigured, match="MEDBORGARLOFTE_TEST_NUMBER"):
        env_int("MEDBORGARLOFTE_TEST_NUMBER", 7)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("MEDBORGARLOFTE_TEST_LIST", " a.example.se, ,b.example.se ,")
    assert env_list("MEDBORGARLOFTE_TEST_LIST", []) == ["a.example.se", "b.example.se"]
    monkeypatch.setenv("MEDBORGARLOFTE_TEST_LIST", "")
    assert env_list("MEDBORGARLOFTE_TEST_LIST", ["x"]) == ["x"]


def test_env_str_returns_the_default_only_when_unset(monkeypatch):
    monkeypatch.delenv("MEDBORGARLOFTE_TEST_TEXT", raising=False)
    assert env_str("MEDBORGARLOFTE_TEST_TEXT", "standard") == "standard"
    monkeypatch.setenv("MEDBORGARLOFTE_TEST_TEXT", "värde")
    assert env_str("MEDBORGARLOFTE_TEST_TEXT", "standard") == "värde"


# --- Production configuration, in a separate process with the production environment ----------


def production_env(tmp_path, **overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MEDBORGARLOFTE_", "SECURE_", "DJANGO_", "PYTEST_"))
        and key not in {"DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"}
    }
    env.update(
        SECRET_KEY=secrets.token_urlsafe(64),
        MEDBORGARLOFTE_DEBUG="0",
        MEDBORGARLOFTE_TESTING="0",
        MEDBORGARLOFTE_HTTPS="1",
        ALLOWED_HOSTS="medborgarlofte.example.se",
        CSRF_TRUSTED_ORIGINS="https://medborgarlofte.example.se",
        SITE_URL="https://medborgarlofte.example.se",
        MEDBORGARLOFTE_SQLITE_PATH=str(tmp_path / "production.sqlite3"),
        STATIC_ROOT=str(tmp_path / "static"),
    )
    env.update(overrides)
    return env


def run_medborgarlofte(env, *args):
    return subprocess.run(
        [sys.executable, "-m", "medborgarlofte.cli", *args],
        cwd=REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_configuration_passes_the_deploy_check_without_warnings(tmp_path):
    result = run_medborgarlofte(
        production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = run_medborgarlofte(env, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_malformed_variable_stops_the_start(tmp_path):
    result = run_medborgarlofte(production_env(tmp_path, MEDBORGARLOFTE_HTTPS="kanske"), "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "MEDBORGARLOFTE_HTTPS" in result.stderr


def test_the_deploy_check_does_catch_an_insecure_configuration(tmp_path):
    # Without HTTPS the secure-cookie, HSTS and redirect warnings appear: the check is live.
    result = run_medborgarlofte(
        production_env(tmp_path, MEDBORGARLOFTE_HTTPS="0"),
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout


# --- SQLite: WAL, foreign keys, BEGIN IMMEDIATE --------------------------------------------


def test_sqlite_options_ask_for_wal_foreign_keys_immediate_and_a_busy_timeout():
    assert SQLITE_OPTIONS["transaction_mode"] == "IMMEDIATE"
    assert SQLITE_OPTIONS["timeout"] >= 5
    pragmas = SQLITE_OPTIONS["init_command"].replace(" ", "").lower()
    assert "journal_mode=wal" in pragmas
    assert "foreign_keys=on" in pragmas


@pytest.mark.django_db
def test_the_configured_sqlite_connection_uses_those_options():
    if connection.vendor != "sqlite":
        pytest.skip("the suite runs on PostgreSQL")
    options = connection.settings_dict["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["init_command"] == SQLITE_OPTIONS["init_command"]
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
        cursor.execute("PRAGMA journal_mode")
        # The test database lives in memory, where WAL does not apply.
        assert cursor.fetchone()[0] in {"wal", "memory"}


@pytest.fixture
def file_database(tmp_path, django_db_blocker, monkeypatch):
    """A real SQLite file, opened as the extra alias "file" with the project's options."""
    path = tmp_path / "options.sqlite3"
    configured = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": path,
                "OPTIONS": dict(SQLITE_OPTIONS),
            }
        }
    ).settings["default"]
    monkeypatch.setitem(connections.settings, "file", configured)
    with django_db_blocker.unblock():
        try:
            yield path, connections["file"]
        finally:
            connections["file"].close()
            del connections["file"]


def test_a_file_database_opens_in_wal_with_foreign_keys(file_database):
    _, file_connection = file_database
    with file_connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1


def test_a_transaction_takes_the_write_lock_at_begin(file_database):
    path, file_connection = file_database
    with file_connection.cursor() as cursor:
        cursor.execute("CREATE TABLE t (n INTEGER)")
    other = sqlite3.connect(path, timeout=0)
    try:
        with transaction.atomic(using="file"):
            # Only a read so far; with BEGIN DEFERRED nobody would hold the write lock yet.
            with file_connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM t")
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # released at commit
        other.rollback()
    finally:
        other.close()
