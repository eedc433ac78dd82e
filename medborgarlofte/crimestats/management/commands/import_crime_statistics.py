"""medborgarlofte import_crime_statistics FILE [--format bra|tidy] [--category …] [--period …] [--dry-run]"""

from django.core.management.base import BaseCommand

from medborgarlofte.crimestats.importers.bra import parse_bra
from medborgarlofte.crimestats.importers.tidy import parse_tidy
from medborgarlofte.crimestats.importers.writing import write_statistics
from medborgarlofte.importing.commands import read_for_command

from ._common import run_import


class Command(BaseCommand):
    help = (
        "Import reported-crime statistics: a Brå statistics-database CSV export (--format bra) "
        "or the tidy CSV/XLSX format (--format tidy). All or nothing; importing the same file "
        "twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the .csv or .xlsx file")
        parser.add_argument(
            "--format",
            choices=["bra", "tidy"],
            default="bra",
            dest="fmt",
            help="file format (default: bra)",
        )
        parser.add_argument(
            "--category", default="", help="crime category when a Brå file does not name it"
        )
        parser.add_argument(
            "--period", default="", help="YYYY or YYYY-MM when a Brå file does not name it"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and report what would change; save nothing",
        )

    def handle(self, *args, file, fmt, category, period, dry_run, **options):
        data, name = read_for_command(file)
        if fmt == "bra":
            parse = lambda: parse_bra(data, name, category=category, period=period)  # noqa: E731
        else:
            parse = lambda: parse_tidy(data, name)  # noqa: E731
        run_import(
            self,
            parse,
            lambda rows: write_statistics(
                rows, data=data, file_name=name, source=fmt, dry_run=dry_run
            ),
        )
