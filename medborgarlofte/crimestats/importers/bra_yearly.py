"""Brå's yearly file "Anmälda brott i kommunerna": reported crimes per kommun for one year.

Brå has published it in two layouts; both are read (docs/formats/crime-statistics.md):

2023 and later: UTF-8 with BOM, `;`, CRLF, a header and a row for the whole country,
space (or no-break space) between thousands:

    Kommun;Antal;Per 100 000 inv.
    Hela landet;1 476 186;13 988
    Upplands Väsby;5 123;10 186

2021: no header row; the kommun in the genitive with " kommun" or " stad" ("Arjeplogs
kommun", "Malung–Sälens kommun" with an en dash, "Stockholms stad", "Region Gotland"),
and Stockholm's city districts ("Spånga-Tensta") mixed in. A district is not a kommun:
it is skipped and named in the result (`skipped`), the file is not refused.

The file counts all reported crimes (the category "Samtliga brott") of one year; the
year comes from the caller or from four digits in the file name.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from medborgarlofte.crimestats.taxonomy import normalise
from medborgarlofte.importing.tables import read_table

from . import ImportFileError, ProblemList, category_index, kommun_index, normalise_name
from .bra import SKIPPED_NAMES
from .numbers import MAX_COUNT, parse_count

DEFAULT_CATEGORY = "samtliga-brott"
# Genitives that are not the name plus -s.
IRREGULAR_GENITIVES = {"falu": "falun"}
_SUFFIX = re.compile(r"\s+(kommun|stad)$")
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2011": "-"})


@dataclass
class YearlyFile:
    layout: str  # "2023" (header row) or "2021" (no header row)
    year: int
    category_id: int
    rows: list[tuple] = field(
        default_factory=list
    )  # (kommunkod, category, year, None, count, status)
    skipped: list[str] = field(default_factory=list)  # names that are not kommuner (districts)
    missing: list[str] = field(default_factory=list)  # kommunkoder with no row


def kommun_code(name: str, names: dict[str, str]) -> tuple[str | None, bool]:
    """(kommunkod or None, whether the name was written as a kommun: "… kommun", "… stad",
    "Region Gotland"). Compares case-, dash- and hyphen-insensitively and undoes the
    genitive (-s; "Falu" for Falun)."""
    key = normalise_name(str(name).translate(_DASHES))
    as_kommun = False
    if key == "region gotland":
        key, as_kommun = "gotland", True
    stripped = _SUFFIX.sub("", key)
    if stripped != key:
        key, as_kommun = stripped, True
    for candidate in (key, IRREGULAR_GENITIVES.get(key), key[:-1] if key.endswith("s") else None):
        if candidate and candidate in names:
            return names[candidate], as_kommun
    return None, as_kommun


def year_from_name(name: str) -> int | None:
    found = re.findall(r"(?<!\d)(19[9]\d|20\d\d)(?!\d)", name)
    return int(found[-1]) if found else None


def parse_bra_yearly(
    data: bytes, name: str, *, year: int | None = None, category: str = "", limits=None
) -> YearlyFile:
    """The rows of a yearly file in either layout; ImportFileError with every problem."""
    table = read_table(
        data, name, kinds={"csv"}, limits=limits, delimiter=";", error=ImportFileError
    )
    problems = ProblemList(name)
    year = year or year_from_name(name)
    if year is None:
        problems.add(None, None, _("the file name names no year: give the year"))
    categories = category_index()
    category_id = categories.get(normalise(category or DEFAULT_CATEGORY))
    if category_id is None:
        problems.add(
            None,
            None,
            _("unknown crime category: %(name)s") % {"name": category or DEFAULT_CATEGORY},
        )
    problems.raise_if_any()
    lines = [(n, [c.strip() for c in cells]) for n, cells in table.lines]
    lines = [(n, cells) for n, cells in lines if any(cells)]
    first = lines[0][1]
    has_header = normalise_name(first[0]).startswith("kommun")
    result = YearlyFile("2023" if has_header else "2021", year, category_id)
    names, codes = kommun_index()
    seen: dict = {}
    for line_no, cells in lines[1:] if has_header else lines:
        if len(cells) < 2 or not any(cells[1:]):
            continue  # a footnote such as "Källa: Brå"
        if normalise_name(cells[0]) in SKIPPED_NAMES:
            continue
        code, as_kommun = kommun_code(cells[0], names)
        if code is None:
            if not has_header and not as_kommun:
                result.skipped.append(cells[0])  # a city district, e.g. Spånga-Tensta
            else:
                problems.add(line_no, 1, _("unknown kommun: %(name)s") % {"name": cells[0]})
            continue
        try:
            count = parse_count(cells[1], maximum=MAX_COUNT)
        except ValueError as exc:
            problems.add(line_no, 2, str(exc))
            continue
        if count is None:
            continue
        again = _("the same kommun and period again (first on line %(line)s)")
        if problems.repeated(seen, code, line_no, 1, again):
            continue
        result.rows.append((code, category_id, year, None, count, "final"))
    if not result.rows and not problems:
        problems.add(None, None, _("the file has no rows with figures"))
    problems.raise_if_any()
    result.missing = sorted(codes - set(seen))
    return result
