"""Shared by the import commands: run parser + writer, print the outcome."""

from medborgarlofte.importing.commands import problems_as_command_error


def run_import(command, parse, write) -> None:
    """parse() → rows, write(rows) → ImportResult; problems become a CommandError listing all."""
    with problems_as_command_error():
        rows = parse()
    result = write(rows)
    for line in result.summary_lines():
        command.stdout.write(line)
