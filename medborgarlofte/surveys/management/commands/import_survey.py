from django.core.management.base import BaseCommand, CommandError

from medborgarlofte.importing.commands import problems_as_command_error, read_for_command
from medborgarlofte.kommuner.models import Municipality
from medborgarlofte.surveys.importing import parse_survey
from medborgarlofte.surveys.services import import_survey


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
        content, name = read_for_command(options["file"])  # refused by its size before reading
        with problems_as_command_error():
            parsed = parse_survey(content, name)
        result = import_survey(
            municipality, None, parsed, dry_run=options["dry_run"], is_example=options["example"]
        )
        prefix = "dry run: " if options["dry_run"] else ""
        self.stdout.write(
            f"{prefix}{parsed.rows} rows, {result.waves_created} new waves, "
            f"{result.created} new values, {result.updated} changed, {result.unchanged} unchanged"
        )
