"""medborgarlofte import_agreement FILE [--dry-run]: import an exchange-format document."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from medborgarlofte.agreements.exchange import DocumentError, load_document
from medborgarlofte.agreements.importing import import_agreement_document


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
        try:
            size = path.stat().st_size
            if size > settings.MAX_AGREEMENT_UPLOAD_BYTES:  # refuse before reading it at all
                raise CommandError(
                    _("%(name)s: the file is %(size)s bytes; at most %(limit)s bytes are accepted")
                    % {
                        "name": path.name,
                        "size": size,
                        "limit": settings.MAX_AGREEMENT_UPLOAD_BYTES,
                    }
                )
            data = path.read_bytes()
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
