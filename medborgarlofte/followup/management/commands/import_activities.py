from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from medborgarlofte.accounts.models import User
from medborgarlofte.agreements.models import Agreement
from medborgarlofte.followup.importing import import_activities
from medborgarlofte.importing.commands import problems_as_command_error, read_for_command


class Command(BaseCommand):
    help = (
        "Import activities and meetings from a CSV or XLSX file into a kommun's agreement "
        "(all or nothing; errors with file, line and column; importing twice changes nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="kommunkod, e.g. 0642")
        parser.add_argument("year", type=int, help="the year the agreement period starts")
        parser.add_argument("file", help="CSV (UTF-8) or XLSX file")
        parser.add_argument(
            "--user", required=True, help="username of a coordinator or police user of the kommun"
        )
        parser.add_argument("--dry-run", action="store_true", help="check the file, change nothing")

    def handle(self, *args, code, year, file, user, dry_run, **options):
        agreement = Agreement.objects.filter(
            municipality__code=code, period_start__year=year
        ).first()
        if agreement is None:
            raise CommandError(f"no agreement for kommun {code} starting in {year}")
        account = User.objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"no user {user}")
        data, name = read_for_command(file)  # refused by its size before it is read
        with problems_as_command_error(PermissionDenied, ValidationError):
            result = import_activities(agreement, account, data, name, dry_run=dry_run)
        prefix = "dry run: " if dry_run else ""
        self.stdout.write(
            f"{prefix}{result.rows} rows, {result.created} new, {result.unchanged} already imported"
        )
