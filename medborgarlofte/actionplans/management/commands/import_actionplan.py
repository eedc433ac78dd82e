"""medborgarlofte import_actionplan CODE FILE --user USER: an åtgärdsplan JSON export
(docs/formats/actionplan.md) into a kommun, as the upload page does."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from medborgarlofte.accounts.models import User
from medborgarlofte.actionplans.exchange import import_file
from medborgarlofte.importing.commands import problems_as_command_error, read_for_command
from medborgarlofte.kommuner.models import Municipality


class Command(BaseCommand):
    help = (
        "Import an åtgärdsplan exported as JSON into a kommun, as the upload page does: all "
        "or nothing, every problem with file, JSON path and field; the same file twice "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="kommunkod, e.g. 0642")
        parser.add_argument("file", help="the JSON file (an export of an åtgärdsplan)")
        parser.add_argument(
            "--user",
            required=True,
            help="username of a coordinator or police user of the kommun (a decided plan: "
            "a coordinator)",
        )
        parser.add_argument(
            "--confirm-personal-data",
            action="store_true",
            help="the texts the personal-data check marks have been read and are not "
            "personal data (as the tick box on the upload page)",
        )

    def handle(self, *args, code, file, user, confirm_personal_data, **options):
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            raise CommandError(f"no kommun {code}")
        account = User.objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"no user {user}")
        data, name = read_for_command(file)  # refused by its size before it is read
        with problems_as_command_error(PermissionDenied, ValidationError):
            plan, notes, imported = import_file(
                municipality, account, data, name, confirmed=confirm_personal_data
            )
        for note in notes:
            self.stdout.write(f"note: {note}")
        if imported:
            self.stdout.write(f"imported: {plan} ({plan.measures.count()} measures)")
        else:
            self.stdout.write(f"already imported: {plan} (nothing changed)")
