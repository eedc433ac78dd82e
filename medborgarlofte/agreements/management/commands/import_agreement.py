"""medborgarlofte import_agreement FILE [--dry-run]: import an exchange-format document."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from medborgarlofte.agreements.exchange import DocumentError, load_document
from medborgarlofte.agreements.importing import import_agreement_document
from medborgarlofte.privacy.uploads import UploadRefused, read_path, with_max_bytes


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
        path = Path(file)
        try:  # a file over the limit is refused by its size, before it is read at all
            data, _name = read_path(path, with_max_bytes(None, settings.MAX_AGREEMENT_UPLOAD_BYTES))
        except UploadRefused as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(
                _("cannot read %(file)s: %(error)s") % {"file": file, "error": exc.strerror or exc}
            ) from exc
        try:
            document = load_document(data, name=path.name)
            result = import_agreement_document(document, dry_run=dry_run, name=path.name)
        except DocumentError as exc:
            raise CommandError(str(exc)) from exc
        for line in result.summary_lines():
            self.stdout.write(line)
