from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from medborgarlofte.backups import postgres, sqlite


class Command(BaseCommand):
    help = (
        "Restores the database from a backup FILE made by `backup` and verifies row counts "
        "and checksums. SQLite: replaces the database file (stop the application first). "
        "PostgreSQL: loads the dump into the configured database, which must be empty."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a backup file made by `medborgarlofte backup`")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, **options):
        name = connection.settings_dict["NAME"]
        if not options["yes"]:
            raise CommandError(
                f"Återställningen skriver över {name}. Kör igen med --yes för att bekräfta."
            )
        settings_dict = dict(connection.settings_dict)
        connection.close()
        try:
            if connection.vendor == "postgresql":
                snapshot = postgres.restore(Path(options["file"]), settings_dict)
            else:
                snapshot = sqlite.restore(Path(options["file"]), Path(name))
        except (sqlite.BackupError, postgres.BackupError) as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(snapshot.tables.values())
        self.stdout.write(
            f"Återställd: {name} ({len(snapshot.tables)} tabeller, {rows} rader, "
            f"kontrollsumman stämmer med säkerhetskopian)"
        )
