"""Shared by the import commands: read a file, run parser + writer, print the outcome."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from medborgarlofte.crimestats.importers import ImportFileError

MAX_BYTES = 200 * 1024 * 1024


def read_file(file: str) -> tuple[bytes, str]:
    path = Path(file)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(
                _("%(name)s: the file is larger than %(limit)s bytes")
                % {"name": path.name, "limit": MAX_BYTES}
            )
        return path.read_bytes(), path.name
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
