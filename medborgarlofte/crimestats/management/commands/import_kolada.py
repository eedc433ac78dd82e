"""medborgarlofte import_kolada FILE [--dry-run]: saved Kolada v3 responses (total row only)."""

from django.core.management.base import BaseCommand

from medborgarlofte.crimestats.importers.kolada import parse_kolada
from medborgarlofte.crimestats.importers.writing import write_kpi_values
from medborgarlofte.importing.commands import read_for_command

from ._common import run_import


class Command(BaseCommand):
    help = "Import saved Kolada API v3 responses (one response or a list of pages); keeps the total (gender T) and, where Kolada has them, the women (K) and men (M) values."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the saved .json response")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and report what would change; save nothing",
        )

    def handle(self, *args, file, dry_run, **options):
        data, name = read_for_command(file)
        run_import(
            self,
            lambda: parse_kolada(data, name),
            lambda rows: write_kpi_values(rows, data=data, file_name=name, dry_run=dry_run),
        )
