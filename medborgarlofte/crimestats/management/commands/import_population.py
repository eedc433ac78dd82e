"""medborgarlofte import_population FILE [--dry-run]: SCB population per kommun and year."""

from django.core.management.base import BaseCommand

from medborgarlofte.crimestats.importers.scb import parse_population
from medborgarlofte.crimestats.importers.writing import write_population
from medborgarlofte.importing.commands import read_for_command

from ._common import run_import

SOURCE = "SCB, folkmängd 31 december"


class Command(BaseCommand):
    help = "Import population per kommun and year from SCB: PxWeb v1 JSON, PxWeb v2 JSON-stat2 or CSV (kommunkod, år, folkmängd)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the .json or .csv file")
        parser.add_argument(
            "--source",
            default=SOURCE,
            help=f"source text stored with the figures (default: {SOURCE!r})",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and report what would change; save nothing",
        )

    def handle(self, *args, file, source, dry_run, **options):
        data, name = read_for_command(file)
        run_import(
            self,
            lambda: parse_population(data, name),
            lambda rows: write_population(
                rows, data=data, file_name=name, source_label=source, dry_run=dry_run
            ),
        )
