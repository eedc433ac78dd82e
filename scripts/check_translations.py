#!/usr/bin/env python3
"""Check that the Swedish catalogue is complete, without touching the working tree.

Runs `makemessages -l sv --no-location --no-obsolete` on a temporary copy of the
package (with the committed django.po copied in, as `make messages` would see it)
and then fails, listing each message with its Swedish text, when:

- a msgid used in the code or templates is missing from the committed django.po;
- an entry of the committed django.po is no longer used (`make messages` drops it);
- an entry has no msgstr (or an empty plural form);
- an entry, or the header, is marked fuzzy;
- the placeholders (`%(name)s`, `%s`, `{name}`) of a msgstr differ from its msgid;
- `msgfmt --check` rejects the file.

Usage: .venv/bin/python scripts/check_translations.py [--locale sv]
Fix with `make messages`, translate what it lists, then run this again.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = REPO_DIR / "medborgarlofte"


# --- A small .po reader: enough for what makemessages and msgmerge write. ----------------


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    def label(self) -> str:
        text = repr(self.msgid)
        if self.msgid_plural is not None:
            text += f" / plural {self.msgid_plural!r}"
        if self.msgctxt is not None:
            text += f" (context {self.msgctxt!r})"
        return text

    def swedish(self) -> str:
        if not self.msgstr:
            return "(none)"
        if self.msgid_plural is None:
            return repr(self.msgstr.get(0, ""))
        return " / ".join(f"[{n}] {text!r}" for n, text in sorted(self.msgstr.items()))


_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    '"': '"',
    "\\": "\\",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"\s*$')
_CONTINUATION = re.compile(r'^"(.*)"\s*$')


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)


def read_po(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    entry = Entry()
    current: tuple[str, int | None] | None = None
    seen_keyword = False

    def finish() -> None:
        nonlocal entry, current, seen_keyword
        if seen_keyword:
            entries.append(entry)
        entry, current, seen_keyword = Entry(), None, False

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            line = line[2:].strip()
            entry.obsolete = True
            if not line:
                continue
        elif line.startswith("#,"):
            entry.flags.update(f.strip() for f in line[2:].split(",") if f.strip())
            continue
        elif line.startswith("#"):
            continue  # translator comments, references, previous msgid (#|)
        keyword = _KEYWORD.match(line)
        if keyword:
            name, index, text = keyword.groups()
            if name == "msgctxt" and seen_keyword and current and current[0] != "msgctxt":
                finish()  # two entries without a blank line between them
            if not seen_keyword:
                entry.line = number
            seen_keyword = True
            if name.startswith("msgstr"):
                current = ("msgstr", int(index) if index is not None else 0)
                entry.msgstr[current[1]] = _unescape(text)
            else:
                current = (name, None)
                setattr(entry, name, _unescape(text))
            continue
        continuation = _CONTINUATION.match(line)
        if continuation and current:
            text = _unescape(continuation.group(1))
            if current[0] == "msgstr":
                entry.msgstr[current[1]] += text
            else:
                setattr(entry, current[0], (getattr(entry, current[0]) or "") + text)
            continue
        raise SystemExit(f"{path}:{number}: cannot read this line: {raw!r}")
    finish()
    return entries


# --- Placeholders ------------------------------------------------------------------------

_PRINTF = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?P<conv>[diouxXeEfFgGcrsa%])"
)
_BRACES = re.compile(
    r"(?<!\{)\{(?P<name>[A-Za-z_][A-Za-z0-9_]*|\d*)(?:![rsa])?(?::[^{}]*)?\}(?!\})"
)


def placeholders(text: str, python_format: bool, brace_format: bool) -> Counter[str]:
    found: Counter[str] = Counter()
    if python_format or "%(" in text:
        for match in _PRINTF.finditer(text):
            if match.group("conv") == "%":
                continue
            name = match.group("name")
            found[f"%({name})" if name is not None else "%" + match.group("conv")] += 1
    if brace_format or _BRACES.search(text):
        for match in _BRACES.finditer(text):
            found["{" + match.group("name") + "}"] += 1
    return found


def placeholder_problem(entry: Entry) -> str | None:
    flags = entry.flags
    python_format = "python-format" in flags
    brace_format = "python-brace-format" in flags
    sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural is not None else [])
    translations = [text for _, text in sorted(entry.msgstr.items()) if text]
    # A placeholder in any msgid or msgstr decides for the entry (Django does not always flag).
    python_format = python_format or any("%(" in text for text in sources + translations)
    brace_format = brace_format or any(_BRACES.search(text) for text in sources + translations)
    if not (python_format or brace_format):
        return None

    def found(text: str) -> Counter[str]:
        return placeholders(text, python_format, brace_format)

    if entry.msgid_plural is None:
        expected = found(entry.msgid)
        actual = found(entry.msgstr.get(0, ""))
        if entry.msgstr.get(0) and expected != actual:
            return (
                f"msgid has {sorted(expected.elements())}, msgstr has {sorted(actual.elements())}"
            )
        return None
    allowed = set(found(entry.msgid)) | set(found(entry.msgid_plural))
    for n, text in sorted(entry.msgstr.items()):
        unknown = set(found(text)) - allowed
        if text and unknown:
            return f"msgstr[{n}] has {sorted(unknown)}, which the msgid does not"
    last = entry.msgstr.get(max(entry.msgstr), "") if entry.msgstr else ""
    missing = set(found(entry.msgid_plural)) - set(found(last))
    if last and missing:
        return f"the last plural form lacks {sorted(missing)}"
    return None


# --- The check ---------------------------------------------------------------------------


def extract_with_makemessages(locale: str, committed: Path, workdir: Path) -> Path:
    """Copy the package to workdir, run makemessages there and return the merged .po."""
    copy = workdir / "medborgarlofte"
    shutil.copytree(
        PACKAGE_DIR,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "static"),
    )
    merged = copy / "locale" / locale / "LC_MESSAGES" / "django.po"
    merged.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(committed, merged)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medborgarlofte.settings")
    os.environ.setdefault("MEDBORGARLOFTE_DEBUG", "1")  # no SECRET_KEY needed to extract
    sys.path.insert(0, str(REPO_DIR))
    import django
    from django.core.management import call_command
    from django.test.utils import override_settings

    django.setup()
    previous = Path.cwd()
    os.chdir(copy)  # like `make messages`, which runs makemessages inside the package
    try:
        # LOCALE_PATHS points at the real tree; point it at the copy so nothing is written there.
        with override_settings(LOCALE_PATHS=[copy / "locale"]):
            call_command(
                "makemessages", locale=[locale], no_location=True, no_obsolete=True, verbosity=0
            )
    finally:
        os.chdir(previous)
    return merged


def check(locale: str) -> list[str]:
    committed_path = PACKAGE_DIR / "locale" / locale / "LC_MESSAGES" / "django.po"
    if not committed_path.exists():
        return [f"{committed_path.relative_to(REPO_DIR)} does not exist: run `make messages`."]

    problems: list[str] = []
    committed = read_po(committed_path)
    with tempfile.TemporaryDirectory(prefix="check-translations-") as workdir:
        merged = read_po(extract_with_makemessages(locale, committed_path, Path(workdir)))

    active = [e for e in committed if not e.obsolete and not e.is_header]
    committed_keys = {e.key for e in active}
    used = [e for e in merged if not e.obsolete and not e.is_header]
    used_keys = {e.key for e in used}

    for e in used:
        if e.key not in committed_keys:
            problems.append(f"missing from the catalogue: {e.label()}")
    for e in active:
        if e.key not in used_keys:
            problems.append(f"no longer used in code or templates: {e.label()} -> {e.swedish()}")
    obsolete = [e for e in committed if e.obsolete]
    if obsolete:
        problems.append(f"{len(obsolete)} obsolete (#~) entries: `make messages` removes them")

    header = next((e for e in committed if e.is_header), None)
    if header is not None and "fuzzy" in header.flags:
        problems.append("the header is marked fuzzy: remove '#, fuzzy' above msgid \"\"")
    for e in active:
        where = f"{committed_path.name}:{e.line}"
        if "fuzzy" in e.flags:
            problems.append(f"fuzzy ({where}): {e.label()} -> {e.swedish()}")
        expected_forms = 2 if e.msgid_plural is not None else 1
        if len(e.msgstr) < expected_forms or not all(e.msgstr.values()):
            problems.append(f"untranslated ({where}): {e.label()} -> {e.swedish()}")
        problem = placeholder_problem(e)
        if problem:
            problems.append(
                f"placeholders differ ({where}): {e.label()} -> {e.swedish()}: {problem}"
            )

    msgfmt = shutil.which("msgfmt")
    if msgfmt:
        result = subprocess.run(
            [msgfmt, "--check", "-o", os.devnull, str(committed_path)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            problems.append("msgfmt --check failed:\n" + result.stderr.strip())
    else:
        problems.append("msgfmt not found: install gettext")
    if not problems:
        print(
            f"{committed_path.relative_to(REPO_DIR)}: complete, {len(active)} messages translated."
        )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locale", default="sv", help="language to check (default: sv)")
    args = parser.parse_args(argv)
    problems = check(args.locale)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(
            f"\n{len(problems)} problem(s) in the {args.locale} catalogue. Run `make messages`, "
            "translate, remove fuzzy flags, and run this again.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
