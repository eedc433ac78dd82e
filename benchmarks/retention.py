"""Retention at scale: the cost of `apply_retention`, the first run and every run after.

    .venv/bin/python -m benchmarks.retention [--entries 50000] [--kommuner 10]
        [--database-url postgres://postgres@127.0.0.1:5432/EMPTY_DB]

In a fresh database (a temporary SQLite file unless --database-url names an empty
PostgreSQL database), makes --entries dialogue entries spread over --kommuner kommuner,
each with its audit entry holding a copy of the text (as the service writes it), half of
them 30 months old and half 1 month old. Then times:

1. plan (what --dry-run does) before anything is disposed of;
2. the real run (texts and audit copies of the old half, one transaction per kommun);
3. plan again: the steady state of the nightly timer, which finds nothing.

The scan of the audit log's copies is the part that grows with history: every run reads
the entries older than the cutoff of the rule's object types (see docs/privacy.md).
"""

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks import harness


def _setup(database_url: str | None, directory: str) -> None:
    harness.setup_django(
        database_url or "",
        MEDBORGARLOFTE_DEBUG="1",
        MEDBORGARLOFTE_SQLITE_PATH=str(Path(directory) / "retention.sqlite3"),
    )


def _make(entries: int, kommuner: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from medborgarlofte.accounts.models import AuditEntry
    from medborgarlofte.dialogues.models import DialogueEntry
    from medborgarlofte.kommuner.models import Municipality
    from medborgarlofte.privacy.retention import subtract_months

    now = timezone.now()
    ages = [subtract_months(now, 30), subtract_months(now, 1)]
    municipalities = list(Municipality.objects.order_by("code")[: max(1, kommuner)])
    batch = 5000
    for start in range(0, entries, batch):
        rows, logs = [], []
        for i in range(start, min(start + batch, entries)):
            moment = ages[i % 2]
            kommun = municipalities[(i // 2) % len(municipalities)]
            text = f"Inlägg {i}: mörkt och otryggt vid busshållplatsen på kvällarna."
            rows.append(
                DialogueEntry(
                    municipality=kommun,
                    source="citizen",
                    date=moment.date(),
                    area="Centrum",
                    text=text,
                    fingerprint=f"bench-{i}",
                )
            )
        with transaction.atomic():
            made = DialogueEntry.objects.bulk_create(rows)
            for entry in made:
                logs.append(
                    AuditEntry(
                        municipality_id=entry.municipality_id,
                        actor_label="bench",
                        action="dialogue.create",
                        object_type="dialogueentry",
                        object_id=str(entry.pk),
                        after={"text": entry.text, "date": entry.date.isoformat()},
                    )
                )
            AuditEntry.objects.bulk_create(logs)
            # Backdate rows and their audit entries (auto_now_add set them to now).
            old = [e.pk for e in made if e.date == ages[0].date()]
            DialogueEntry.objects.filter(pk__in=old).update(created_at=ages[0])
            _backdate_audit([str(pk) for pk in old], ages[0])


def _backdate_audit(object_ids, moment) -> None:
    """Benchmark set-up only: write `at` below the ORM (the append-only guard refuses)."""
    from django.db import connection

    from medborgarlofte.accounts.models import AuditEntry

    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(object_ids), 500):
            chunk = object_ids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"UPDATE {table} SET at = %s WHERE object_type = 'dialogueentry' "  # noqa: S608
                f"AND object_id IN ({marks})",
                [moment, *chunk],
            )


def _timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--kommuner", type=int, default=10)
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default SQLite)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        _setup(options.database_url, directory)
        from django.db import connection
        from django.utils import timezone

        from medborgarlofte.privacy import retention

        _, made = _timed(_make, options.entries, options.kommuner)
        kinds = {"dialogue_text"}
        now = timezone.now()
        plan, first_plan = _timed(retention.plan, now, kinds)
        groups, run = _timed(retention.apply, now, kinds)
        again, steady = _timed(retention.plan, now, kinds)
        disposed = sum(sum(g.disposed.values()) for g in groups)
        print(
            f"database: {connection.vendor}; entries: {options.entries} over "
            f"{options.kommuner} kommuner (half of them 30 months old); set-up {made:.1f} s"
        )
        print(
            f"plan (dry run) before disposal: {first_plan:.2f} s, "
            f"{sum(sum(g.counts.values()) for g in plan)} items in {len(plan)} groups"
        )
        print(
            f"apply: {run:.2f} s, {disposed} items (texts + audit copies) in {len(groups)} groups"
        )
        print(f"plan after disposal (every later nightly run): {steady:.2f} s, {len(again)} groups")


if __name__ == "__main__":
    main()
