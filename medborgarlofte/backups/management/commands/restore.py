from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from medborgarlofte.backups.sqlite import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restores the SQLite database from a backup FILE made by `backup`: checks the "
        "backup's integrity, replaces the database, and verifies row counts and checksums. "
        "Stop the application first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a backup file made by `medborgarlofte backup`")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, **options):
        if connection.vendor != "sqlite":
            raise CommandError(
                "Databasen är PostgreSQL: återställ med pg_restore (se docs/deployment.md)."
            )
        target = Path(connection.settings_dict["NAME"])
        if not options["yes"]:
            raise CommandError(
                f"Återställningen ersätter {target}. Kör igen med --yes för att bekräfta."
            )
        connection.close()
        try:
            snapshot = restore(Path(options["file"]), target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(snapshot.tables.values())
        self.stdout.write(
            f"Återställd: {target} ({len(snapshot.tables)} tabeller, {rows} rader, "
            f"kontrollsumman stämmer med säkerhetskopian)"
        )
