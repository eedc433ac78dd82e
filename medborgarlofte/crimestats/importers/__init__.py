"""Importers for crime statistics and population: parse everything first, then write once.

Each parser takes the file's bytes and its name and returns parsed rows, or raises
ImportFileError with every problem found (file, line, column, message). Writing is in
`writing.py`: one transaction, one ImportRun, nothing written when anything is wrong.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_REPORTED_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    column: str | int | None
    message: str

    def __str__(self) -> str:
        place = self.file
        if self.line is not None:
            place += ":" + _("line %(line)s") % {"line": self.line}
        if self.column not in (None, ""):
            place += ":" + _("column %(column)s") % {"column": self.column}
        return f"{place}: {self.message}"


@dataclass
class ProblemList:
    file: str
    problems: list[Problem] = field(default_factory=list)
    total: int = 0

    def add(self, line, column, message) -> None:
        self.total += 1
        if len(self.problems) < MAX_REPORTED_PROBLEMS:
            self.problems.append(Problem(self.file, line, column, message))

    def raise_if_any(self) -> None:
        if self.total:
            raise ImportFileError(self.problems, self.total)


class ImportFileError(Exception):
    """Every problem found in a file; nothing has been written."""

    def __init__(self, problems: list[Problem], total: int | None = None):
        self.problems = problems
        self.total = total if total is not None else len(problems)
        super().__init__(str(self))

    @classmethod
    def single(cls, file, line, column, message) -> "ImportFileError":
        return cls([Problem(file, line, column, message)])

    def __str__(self) -> str:
        lines = [str(p) for p in self.problems]
        hidden = self.total - len(self.problems)
        if hidden > 0:
            lines.append(_("… and %(count)s more problems") % {"count": hidden})
        return "\n".join(lines)


def check_file(data: bytes, name: str, kinds, limits=None) -> str:
    """The file's kind by content (privacy.uploads' gate); its refusal as ImportFileError."""
    from medborgarlofte.privacy.uploads import UploadRefused, check_upload

    try:
        return check_upload(data, name, kinds=set(kinds), limits=limits)
    except UploadRefused as exc:
        raise ImportFileError.single(name, exc.line, exc.column, exc.message) from None


def csv_rows(reader, name: str, limits=None) -> list[list[str]]:
    """The rows of a csv.reader within the row and column limits."""
    from medborgarlofte.privacy.uploads import UploadRefused
    from medborgarlofte.privacy.uploads import csv_rows as limited

    try:
        return limited(reader, name, limits=limits)
    except UploadRefused as exc:
        raise ImportFileError.single(name, exc.line, exc.column, exc.message) from None


def load_json(text: str, name: str):
    """json.loads, with every way it fails as ImportFileError: a syntax error, nesting too
    deep for the parser, or an integer with more digits than Python converts."""
    import json

    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError.single(
            name, exc.lineno, exc.colno, _("not valid JSON: %(error)s") % {"error": exc.msg}
        ) from None
    except RecursionError:
        raise ImportFileError.single(name, None, None, _("the JSON is nested too deeply")) from None
    except ValueError:
        raise ImportFileError.single(
            name, None, None, _("the JSON has a number with too many digits")
        ) from None


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 text (a BOM is removed); Latin-1 or other bytes answer with line and column."""
    if not data.strip():
        raise ImportFileError.single(name, 1, None, _("the file is empty"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise ImportFileError.single(
            name,
            line,
            column,
            _("the file is not UTF-8 (byte 0x%(byte)02X); save it as UTF-8 and try again")
            % {"byte": data[exc.start]},
        ) from None
    if not text.strip():  # only a BOM, or Unicode spaces and separators
        raise ImportFileError.single(name, 1, None, _("the file is empty"))
    return text


def normalise_name(name: str) -> str:
    """Kommun names compared case- and hyphen-insensitively (Upplands-Bro = upplands bro)."""
    return " ".join(str(name).casefold().replace("-", " ").replace("\u00a0", " ").split())


def category_index() -> dict[str, int]:
    """Normalised name, alias, code and key of every taxonomy category → its id."""
    from medborgarlofte.crimestats.models import CrimeCategory
    from medborgarlofte.crimestats.taxonomy import normalise

    index = {}
    for pk, slug, code, name, aliases in CrimeCategory.objects.values_list(
        "pk", "slug", "code", "name", "aliases"
    ):
        for label in [slug, code, *aliases, name]:  # the name wins over an alias
            if label:
                index[normalise(label)] = pk
    return index


def kommun_index() -> tuple[dict[str, str], set[str]]:
    """(normalised kommun name → code, set of codes) of the 290 kommuner."""
    from medborgarlofte.kommuner.models import Municipality

    pairs = list(Municipality.objects.values_list("code", "name"))
    return {normalise_name(name): code for code, name in pairs}, {code for code, _n in pairs}


def parse_period(text: str) -> tuple[int, int | None]:
    """`2024` → (2024, None); `2024-03`, `2024M03`, `2024-3` → (2024, 3). ValueError otherwise."""
    import re

    value = str(text).strip()
    match = re.fullmatch(r"(\d{4})(?:\s*(?:-|M|m)\s*(\d{1,2}))?", value)
    if match is None:
        raise ValueError(
            _("a period is a year (2024) or a month (2024-03), not %(text)s") % {"text": value}
        )
    year, month = int(match[1]), int(match[2]) if match[2] else None
    if not 1990 <= year <= 2100 or (month is not None and not 1 <= month <= 12):
        raise ValueError(_("no such period: %(text)s") % {"text": value})
    return year, month
