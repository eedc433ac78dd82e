from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from medborgarlofte.backups.sqlite import BackupError, backup


class Command(BaseCommand):
    help = (
        "Writes an online backup of the SQLite database to FILE (a consistent snapshot "
        "while the service runs) and checks its integrity. For PostgreSQL use pg_dump or "
        "base backups with WAL archiving (docs/deployment.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file to create (must not exist)")

    def handle(self, *args, **options):
        if connection.vendor != "sqlite":
            raise CommandError(
                "Databasen är PostgreSQL: använd pg_dump eller pg_basebackup (se docs/deployment.md)."
            )
        source = Path(connection.settings_dict["NAME"])
        try:
            snapshot = backup(source, Path(options["file"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(snapshot.tables.values())
        self.stdout.write(
            f"Säkerhetskopia: {snapshot.path} ({len(snapshot.tables)} tabeller, {rows} rader, "
            f"integritet {snapshot.integrity}, SHA-256 av innehållet {snapshot.checksum[:16]}…)"
        )
