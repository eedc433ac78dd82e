"""Shared by the import commands: read a file, run parser + writer, print the outcome."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from medborgarlofte.crimestats.importers import ImportFileError
from medborgarlofte.privacy.uploads import UploadRefused, read_path


def read_file(file: str) -> tuple[bytes, str]:
    """The file's bytes and name; refused by its size (IMPORT_MAX_BYTES) before reading."""
    try:
        return read_path(file)
    except UploadRefused as exc:
        raise CommandError(str(exc)) from exc
    except OSError as exc:
        raise CommandError(
            _("cannot read %(file)s: %(error)s") % {"file": file, "error": exc.strerror or exc}
        ) from exc


def run_import(command, parse, write) -> None:
    """parse() → rows, write(rows) → ImportResult; errors become a CommandError listing all."""
    try:
        rows = parse()
    except ImportFileError as exc:
        raise CommandError("\n" + str(exc)) from exc
    result = write(rows)
    for line in result.summary_lines():
        command.stdout.write(line)
