"""Importers for crime statistics and population: parse everything first, then write once.

Each parser takes the file's bytes and its name and returns parsed rows, or raises
ImportFileError with every problem found (file, line, column, message): the importer kit's
ImportProblems (medborgarlofte/importing/), whose reader and table parser they use. Writing is in
`writing.py`: one transaction, one ImportRun, nothing written when anything is wrong.
"""

from django.utils.translation import gettext as _

from medborgarlofte.importing import files
from medborgarlofte.importing.problems import MAX_REPORTED_PROBLEMS, ImportProblems, Problem
from medborgarlofte.importing.problems import ProblemList as _ProblemList

__all__ = ["MAX_REPORTED_PROBLEMS", "ImportFileError", "Problem", "ProblemList"]


class ImportFileError(ImportProblems):
    """Every problem found in a crime-statistics or population file; nothing was written."""


class ProblemList(_ProblemList):
    def __init__(self, file: str):
        super().__init__(file, error=ImportFileError)


def check_file(data: bytes, name: str, kinds, limits=None) -> str:
    """The file's kind by content (privacy.uploads' gate); its refusal as ImportFileError."""
    return files.check_file(data, name, kinds, limits, error=ImportFileError)


def decode_text(data: bytes, name: str) -> str:
    return files.decode_text(data, name, error=ImportFileError)


def load_json(text: str, name: str):
    return files.load_json(text, name, error=ImportFileError)


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
