"""medborgarlofte import_agreement FILE [--dry-run]: import an exchange-format document."""

from django.conf import settings
from django.core.management.base import BaseCommand

from medborgarlofte.agreements.exchange import DocumentError, load_document
from medborgarlofte.agreements.importing import import_agreement_document
from medborgarlofte.importing.commands import problems_as_command_error, read_for_command
from medborgarlofte.privacy.uploads import with_max_bytes


class Command(BaseCommand):
    help = "Import an agreement document (format medborgarlofte/1, YAML or JSON)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the .yaml or .json document")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the document and report what would change; save nothing",
        )

    def handle(self, *args, file, dry_run, **options):
        # a file over the limit is refused by its size, before it is read at all
        limits = with_max_bytes(None, settings.MAX_AGREEMENT_UPLOAD_BYTES)
        data, name = read_for_command(file, limits)
        with problems_as_command_error(DocumentError):
            document = load_document(data, name=name)
            result = import_agreement_document(document, dry_run=dry_run, name=name)
        for line in result.summary_lines():
            self.stdout.write(line)
