from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from medborgarlofte.backups import postgres, sqlite


class Command(BaseCommand):
    help = (
        "Writes a verified backup of the database to FILE while the service runs. SQLite: "
        "the online backup API plus an integrity check. PostgreSQL: pg_dump of one snapshot "
        "with a manifest of row counts and checksums (FILE.manifest.json)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file to create (must not exist)")

    def handle(self, *args, **options):
        target = Path(options["file"])
        try:
            if connection.vendor == "postgresql":
                snapshot = postgres.backup(connection.settings_dict, target)
                check = f"manifest {postgres.manifest_path(target).name}"
            else:
                snapshot = sqlite.backup(Path(connection.settings_dict["NAME"]), target)
                check = f"integritet {snapshot.integrity}"
        except (sqlite.BackupError, postgres.BackupError) as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(snapshot.tables.values())
        self.stdout.write(
            f"Säkerhetskopia: {target} ({len(snapshot.tables)} tabeller, {rows} rader, "
            f"{check}, SHA-256 av innehållet {snapshot.checksum[:16]}…)"
        )
