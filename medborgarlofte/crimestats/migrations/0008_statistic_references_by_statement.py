"""PostgreSQL: check the crime statistics' three references once per statement.

A national year of crime statistics is about 212 000 rows. With Django's foreign keys,
PostgreSQL checks every inserted row against the kommun, the category and the import run
one by one when the transaction commits (three RI trigger calls per row): about half of
the import's time (benchmarks/README.md, issue 17). PostgreSQL 15 has no set-based
foreign-key check, so this migration replaces the three constraints on
``crimestats_crimestatistic`` with triggers that give the same guarantee:

* after every INSERT or UPDATE *statement* on the statistics, one query per reference
  over the statement's new rows (a transition table) finds any kommun, category or
  import run that does not exist, and raises ``foreign_key_violation`` (Django turns it
  into ``IntegrityError``, as it does the constraint's);
* after every DELETE of a kommun, category or import run, and every change of their id,
  a row trigger refuses when a statistic still refers to it (as the constraint, and
  ``on_delete=PROTECT`` in the ORM, do).

What is not the same: the checks run at the end of the statement, not at commit (Django's
constraints are deferred; nothing in the product writes statistics before their kommun,
category or run), and ``TRUNCATE`` of a referenced table alone is not refused (Django only
truncates to flush every table at once). The model keeps ``db_constraint=True``, so SQLite
keeps its foreign keys; ``test_statistic_references`` checks both backends, and fails
should a later migration put the row-by-row constraints back on PostgreSQL.
"""

from django.db import migrations

TABLE = "crimestats_crimestatistic"
REFERENCES = [  # column, referenced table
    ("municipality_id", "kommuner_municipality"),
    ("category_id", "crimestats_crimecategory"),
    ("import_run_id", "crimestats_importrun"),
]

# DISTINCT first: a national year has 212 000 rows but 290 kommuner, a few dozen categories
# and one import run, so each check is one pass over the new rows and a small anti-join.
CHECK_ONE = """
    SELECT d.k INTO missing FROM (SELECT DISTINCT {column} AS k FROM crimestat_new) d
     WHERE NOT EXISTS (SELECT 1 FROM {referenced} r WHERE r.id = d.k) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
            MESSAGE = format('{table}: {column}=%s is not in {referenced}', missing);
    END IF;"""

CHECK_NEW_ROWS = f"""
CREATE FUNCTION crimestat_check_references() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
DECLARE
    missing bigint;
BEGIN{"".join(CHECK_ONE.format(table=TABLE, column=c, referenced=r) for c, r in REFERENCES)}
    RETURN NULL;
END
$$;
CREATE TRIGGER crimestat_references_insert AFTER INSERT ON {TABLE}
    REFERENCING NEW TABLE AS crimestat_new
    FOR EACH STATEMENT EXECUTE FUNCTION crimestat_check_references();
CREATE TRIGGER crimestat_references_update AFTER UPDATE ON {TABLE}
    REFERENCING NEW TABLE AS crimestat_new
    FOR EACH STATEMENT EXECUTE FUNCTION crimestat_check_references();
"""

# TG_ARGV[0]: the statistics' column that refers to the table the trigger is on.
PROTECT_REFERENCED = f"""
CREATE FUNCTION crimestat_protect_referenced() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
DECLARE
    referring bigint;  -- (EXECUTE does not set FOUND)
BEGIN
    EXECUTE format('SELECT id FROM {TABLE} WHERE %I = $1 LIMIT 1', TG_ARGV[0])
        INTO referring USING OLD.id;
    IF referring IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
            MESSAGE = format('%s id=%s is still referenced from {TABLE}.%s',
                             TG_TABLE_NAME, OLD.id, TG_ARGV[0]);
    END IF;
    RETURN NULL;
END
$$;
"""


def _trigger_names(referenced: str) -> tuple[str, str]:
    return f"crimestat_protect_{referenced}_delete", f"crimestat_protect_{referenced}_id"


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)
    columns = {column for column, _referenced in REFERENCES}
    for name, info in constraints.items():
        if info["foreign_key"] and set(info["columns"]) <= columns:
            schema_editor.execute(f'ALTER TABLE {TABLE} DROP CONSTRAINT "{name}"')
    schema_editor.execute(CHECK_NEW_ROWS, params=None)
    schema_editor.execute(PROTECT_REFERENCED, params=None)
    for column, referenced in REFERENCES:
        on_delete, on_id = _trigger_names(referenced)
        schema_editor.execute(
            f"CREATE TRIGGER {on_delete} AFTER DELETE ON {referenced} FOR EACH ROW "
            f"EXECUTE FUNCTION crimestat_protect_referenced('{column}')"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {on_id} AFTER UPDATE OF id ON {referenced} FOR EACH ROW "
            f"WHEN (OLD.id IS DISTINCT FROM NEW.id) "
            f"EXECUTE FUNCTION crimestat_protect_referenced('{column}')"
        )


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    for column, referenced in REFERENCES:
        for trigger in _trigger_names(referenced):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {referenced}")
        schema_editor.execute(
            f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE[:20]}_{column}_fk FOREIGN KEY "
            f"({column}) REFERENCES {referenced} (id) DEFERRABLE INITIALLY DEFERRED"
        )
    for trigger in ("crimestat_references_insert", "crimestat_references_update"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {TABLE}")
    schema_editor.execute("DROP FUNCTION IF EXISTS crimestat_check_references()")
    schema_editor.execute("DROP FUNCTION IF EXISTS crimestat_protect_referenced()")


class Migration(migrations.Migration):
    dependencies = [
        ("crimestats", "0007_kpivalue_gender"),
        ("kommuner", "0004_reporters_two_factor"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
