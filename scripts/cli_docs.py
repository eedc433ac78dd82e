#!/usr/bin/env python3
"""Keep docs/cli.md's help texts equal to what each command prints with --help.

docs/cli.md has a heading "## `medborgarlofte NAME`" per project command, each followed
by a ```text block with the command's --help (and then prose: examples, notes). This
script runs every command's --help at 80 columns and writes the blocks (`--write`), or
fails listing the commands whose block differs or is missing (`--check`, used by
medborgarlofte/tests/test_docs.py and so by CI). The prose is never touched.

    .venv/bin/python scripts/cli_docs.py --write    # after changing a command's arguments
    .venv/bin/python scripts/cli_docs.py --check
"""

from __future__ import annotations

import argparse
import io
import os
import re
import sys
from contextlib import redirect_stdout, suppress
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CLI_MD = REPO / "docs" / "cli.md"
HEADING = re.compile(r"^## `medborgarlofte (?P<name>[a-z_]+)`\n", re.M)
BLOCK = re.compile(r"\A\n```text\n.*?\n```\n", re.S)


def project_commands() -> list[str]:
    found = REPO.glob("medborgarlofte/*/management/commands/*.py")
    return sorted(p.stem for p in found if not p.stem.startswith("_"))


def help_text(name: str) -> str:
    from django.core.management import ManagementUtility

    os.environ["COLUMNS"] = "80"
    buffer = io.StringIO()
    with redirect_stdout(buffer), suppress(SystemExit):
        ManagementUtility(["medborgarlofte", name, "--help"]).execute()
    return _without_common_options(buffer.getvalue()).rstrip() + "\n"


# Django's options of every command, left out of the option lists (the page says so).
COMMON = re.compile(
    r"^  (--version  |-v \{|--settings |--pythonpath |--traceback|--no-color|--force-color"
    r"|--skip-checks)"
)


def _without_common_options(text: str) -> str:
    lines, keep, out = text.splitlines(), True, []
    for line in lines:
        if re.match(r"^  -", line):  # an option's first line
            keep = not COMMON.match(line)
        elif not line.startswith("    "):  # a line that is no continuation
            keep = True
        if keep:
            out.append(line)
    return "\n".join(out)


def render(text: str, helps: dict[str, str]) -> tuple[str, list[str]]:
    """The document with every help block replaced; and the commands without a heading."""
    out, position, seen = [], 0, set()
    for match in HEADING.finditer(text):
        name = match["name"]
        out.append(text[position : match.end()])
        rest = text[match.end() :]
        old = BLOCK.match(rest)
        position = match.end() + (old.end() if old else 0)
        if name in helps:
            seen.add(name)
            out.append(f"\n```text\n{helps[name]}```\n")
        elif old:
            out.append(old.group(0))
    out.append(text[position:])
    return "".join(out), sorted(set(helps) - seen)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true")
    mode.add_argument("--check", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medborgarlofte.settings")
    os.environ.setdefault("MEDBORGARLOFTE_DEBUG", "1")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    helps = {name: help_text(name) for name in project_commands()}
    text = CLI_MD.read_text(encoding="utf-8")
    new, missing = render(text, helps)
    if missing:
        print("docs/cli.md has no heading for: " + ", ".join(missing), file=sys.stderr)
    if args.write:
        CLI_MD.write_text(new, encoding="utf-8")
        return 1 if missing else 0
    if new != text:
        changed = [name for name in helps if f"```text\n{helps[name]}```" not in text]
        print(
            "docs/cli.md is out of date for: "
            + ", ".join(changed)
            + "\nrun: .venv/bin/python scripts/cli_docs.py --write",
            file=sys.stderr,
        )
        return 1
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
