"""medborgarlofte import_crime_statistics FILE [--format bra|bra-yearly|tidy] [--category …] [--period …] [--year …] [--dry-run]"""

from django.core.management.base import BaseCommand

from medborgarlofte.crimestats.importers.bra import parse_bra
from medborgarlofte.crimestats.importers.bra_yearly import parse_bra_yearly
from medborgarlofte.crimestats.importers.tidy import parse_tidy
from medborgarlofte.crimestats.importers.writing import write_statistics
from medborgarlofte.importing.commands import read_for_command

from ._common import run_import, yearly_notes


class Command(BaseCommand):
    help = (
        "Import reported-crime statistics: a Brå statistics-database CSV export (--format bra) "
        'Brå\'s yearly file "Anmälda brott i kommunerna" in either layout (--format bra-yearly) '
        "or the tidy CSV/XLSX format (--format tidy). All or nothing; importing the same file "
        "twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the .csv or .xlsx file")
        parser.add_argument(
            "--format",
            choices=["bra", "bra-yearly", "tidy"],
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
            "--year",
            type=int,
            default=None,
            help="year of a Brå yearly file when its name does not contain it",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and report what would change; save nothing",
        )

    def handle(self, *args, file, fmt, category, period, year, dry_run, **options):
        data, name = read_for_command(file)
        notes = []
        if fmt == "bra-yearly":

            def parse():
                parsed = parse_bra_yearly(data, name, year=year, category=category)
                notes.extend(yearly_notes(parsed))
                return parsed.rows

        elif fmt == "bra":
            parse = lambda: parse_bra(data, name, category=category, period=period)  # noqa: E731
        else:
            parse = lambda: parse_tidy(data, name)  # noqa: E731
        run_import(
            self,
            parse,
            lambda rows: write_statistics(
                rows,
                data=data,
                file_name=name,
                source="bra" if fmt == "bra-yearly" else fmt,
                dry_run=dry_run,
            ),
        )
        for line in notes:
            self.stdout.write(line)
