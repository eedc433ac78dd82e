from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from medborgarlofte.kommuner.models import Municipality
from medborgarlofte.privacy.uploads import UploadRefused, read_path
from medborgarlofte.surveys.importing import parse_survey
from medborgarlofte.surveys.services import import_survey
from medborgarlofte.surveys.tables import TableError


class Command(BaseCommand):
    help = (
        "Imports safety-survey results (problem index 0-6 or percentages) for one kommun "
        "from a CSV or XLSX file in the format of docs/formats/survey.md. The whole file "
        "is checked first; nothing is saved when any row is wrong. Importing the same file "
        "twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (UTF-8, comma or semicolon) or XLSX file")
        parser.add_argument("--kommun", required=True, help="four-digit kommun code, e.g. 0642")
        parser.add_argument("--dry-run", action="store_true", help="check and count, save nothing")
        parser.add_argument("--example", action="store_true", help='label the waves "Example data"')

    def handle(self, *args, **options):
        municipality = Municipality.objects.filter(code=options["kommun"]).first()
        if municipality is None:
            raise CommandError(f"okänd kommunkod: {options['kommun']}")
        path = Path(options["file"])
        try:
            content, _name = read_path(path)  # refused by its size before it is read
        except UploadRefused as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"{path}: kan inte läsas ({exc.strerror})") from exc
        try:
            parsed = parse_survey(content, path.name)
        except TableError as exc:
            raise CommandError("\n".join(str(p) for p in exc.problems)) from exc
        result = import_survey(
            municipality, None, parsed, dry_run=options["dry_run"], is_example=options["example"]
        )
        prefix = "dry run: " if options["dry_run"] else ""
        self.stdout.write(
            f"{prefix}{parsed.rows} rows, {result.waves_created} new waves, "
            f"{result.created} new values, {result.updated} changed, {result.unchanged} unchanged"
        )
