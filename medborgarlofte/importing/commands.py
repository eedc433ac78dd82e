"""One way for a management command to read a file and report an importer's problems.

    data, name = read_for_command(file)
    with problems_as_command_error():
        rows = parse(data, name)

Every problem becomes one line of the CommandError (file, line, column, message), and a
last line counts them; nothing has been written when it is raised.
"""

import contextlib

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from medborgarlofte.privacy import uploads

from .files import read_file
from .problems import ImportProblems


def read_for_command(file, limits: uploads.Limits | None = None) -> tuple[bytes, str]:
    """(bytes, name) of the file, or a CommandError saying why it cannot be read."""
    try:
        return read_file(file, limits)
    except ImportProblems as exc:  # one problem: the file's size, or why it cannot be opened
        raise CommandError(str(exc)) from exc


@contextlib.contextmanager
def problems_as_command_error(*also: type[Exception]):
    """ImportProblems, the gate's UploadRefused and the exception types `also` (e.g. an
    exchange document's DocumentError) become a CommandError listing every problem."""
    try:
        yield
    except ImportProblems as exc:
        counted = _("%(count)s error(s); nothing was imported") % {"count": exc.total}
        raise CommandError("\n".join(["", *exc.lines(), counted])) from exc
    except uploads.UploadRefused as exc:
        raise CommandError(str(exc)) from exc
    except also as exc:
        raise CommandError(str(exc)) from exc
