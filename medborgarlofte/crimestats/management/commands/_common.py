"""Shared by the import commands: run parser + writer, print the outcome."""

from django.utils.translation import gettext as _

from medborgarlofte.importing.commands import problems_as_command_error


def run_import(command, parse, write) -> None:
    """parse() → rows, write(rows) → ImportResult; problems become a CommandError listing all."""
    with problems_as_command_error():
        rows = parse()
    result = write(rows)
    for line in result.summary_lines():
        command.stdout.write(line)


def yearly_notes(parsed) -> list[str]:
    """What a Brå yearly file left out: districts skipped, kommuner without a row."""
    lines = []
    if parsed.skipped:
        lines.append(_("Skipped (not kommuner): %(names)s") % {"names": ", ".join(parsed.skipped)})
    if parsed.missing:
        lines.append(
            _("No row for %(count)s kommuner: %(codes)s")
            % {"count": len(parsed.missing), "codes": ", ".join(parsed.missing)}
        )
    return lines
