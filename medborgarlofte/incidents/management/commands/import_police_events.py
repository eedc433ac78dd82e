"""medborgarlofte import_police_events FILE [--format json] [--dry-run]."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from medborgarlofte.incidents.police_events import PoliceEventsError, import_events
from medborgarlofte.privacy.uploads import UploadRefused, read_path


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
        try:  # "-" is standard input; a file over IMPORT_MAX_BYTES is refused before reading
            data, _name = read_path(file)
        except UploadRefused as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(
                _("cannot read %(file)s: %(error)s") % {"file": file, "error": exc.strerror or exc}
            ) from exc
        try:
            result = import_events(data, source=Path(file).name, dry_run=dry_run)
        except PoliceEventsError as exc:
            raise CommandError("\n".join(exc.lines())) from exc
        if format == "json":
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        else:
            for line in result.summary_lines():
                self.stdout.write(line)
