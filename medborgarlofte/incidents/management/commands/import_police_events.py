"""medborgarlofte import_police_events FILE [--format json] [--dry-run]."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from medborgarlofte.importing.commands import problems_as_command_error, read_for_command
from medborgarlofte.incidents.police_events import import_events


class Command(BaseCommand):
    help = (
        "Import a saved response of Polisen's events API (https://polisen.se/api/events), "
        "exactly as it answers. Events are deduplicated by id; importing twice adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the saved JSON response ('-' for stdin)")
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="summary as text (default) or as a JSON object with imported, duplicates, "
            "without_kommun and by_kommun",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and count; save nothing"
        )

    def handle(self, *args, file, format, dry_run, **options):
        # "-" is standard input; a file over IMPORT_MAX_BYTES is refused before reading
        data, _name = read_for_command(file)
        with problems_as_command_error():
            result = import_events(data, source=Path(file).name, dry_run=dry_run)
        if format == "json":
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        else:
            for line in result.summary_lines():
                self.stdout.write(line)
