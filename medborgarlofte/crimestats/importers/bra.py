"""Brå's statistics database (SOL) CSV export: semicolon, UTF-8 with BOM, kommun by name.

    Kommun;Antal (prel.);Per 100 000 inv. (prel.)
    Mullsjö;1 234;16 273,4

Optional lines before the header give the category and the period (`Brottskategori:
Skadegörelsebrott`, `Period: 2024`); optional columns `Brottskategori` and `Period`
(or `År`, `Månad`) give them per row. The command line fills what the file lacks.
"(prel.)" in the count header marks the figures as preliminary. Rows for the country,
totals and unknown kommuner are skipped. See docs/formats/crime-statistics.md.
"""

import re

from django.utils.translation import gettext as _

from medborgarlofte.crimestats.taxonomy import normalise
from medborgarlofte.importing.tables import read_table

from . import (
    ImportFileError,
    ProblemList,
    category_index,
    kommun_index,
    normalise_name,
    parse_period,
)
from .numbers import MAX_COUNT, parse_count

SKIPPED_NAMES = {
    normalise_name(n)
    for n in [
        "Riket",
        "Hela riket",
        "Hela landet",
        "Sverige",
        "Totalt",
        "Samtliga kommuner",
        "Okänd kommun",
        "Uppgift saknas",
        "Kommun okänd",
    ]
}
_META = re.compile(r"^\s*(brottskategori|brottstyp|brott|period|år|månad)\s*:\s*(.*)$", re.I)


def _column(header: list[str], *prefixes) -> int | None:
    for index, cell in enumerate(header):
        if normalise(cell).startswith(prefixes):
            return index
    return None


def _preamble(rows) -> tuple[int, dict]:
    """Index of the header row and the category/period named before it."""
    meta = {}
    for index, row in enumerate(rows):
        cells = [c.strip() for c in row]
        if cells and normalise(cells[0]).startswith("kommun"):
            return index, meta
        joined = ":".join(c for c in cells if c)
        match = _META.match(joined.replace("::", ":"))
        if match and match[2].strip(" :"):
            key = "category" if match[1].lower().startswith("brott") else "period"
            meta[key] = match[2].strip(" :")
    return -1, meta


def _header_problem(first_row: list[str], problems: ProblemList) -> None:
    first = ";".join(first_row)
    if ";" not in first and ("," in first or "\t" in first):
        problems.add(
            1,
            None,
            _("the columns must be separated by semicolons (;); this line uses %(sep)s")
            % {"sep": _("commas") if "," in first else _("tabs")},
        )
    else:
        problems.add(1, None, _("no header row starting with “Kommun” was found"))


def parse_bra(
    data: bytes, name: str, *, category: str = "", period: str = "", limits=None
) -> list[tuple]:
    """Rows (kommunkod, category id, year, month, count, status) of a Brå export."""
    table = read_table(
        data, name, kinds={"csv"}, limits=limits, delimiter=";", error=ImportFileError
    )
    problems = ProblemList(name)
    rows = [cells for _line, cells in table.lines]
    start, meta = _preamble(rows)
    if start < 0:
        _header_problem(rows[0], problems)
        problems.raise_if_any()
    header = [c.strip() for c in rows[start]]
    count_col = _column(header, "antal")
    category_col = _column(header, "brottskategori", "brottstyp", "brott ")
    period_col = _column(header, "period", "år", "månad", "ar")
    if count_col is None:
        problems.add(start + 1, None, _("no column “Antal” (number of crimes) in the header"))
        problems.raise_if_any()
    status = "prel" if "prel" in header[count_col].casefold() else "final"
    categories = category_index()
    names, _codes = kommun_index()
    fixed = _fixed_values(meta, category, period, categories, category_col, period_col, problems)
    problems.raise_if_any()
    out = []
    seen = {}
    for line_no, row in enumerate(rows[start + 1 :], start=start + 2):
        parsed = _row(
            row,
            line_no,
            header,
            count_col,
            category_col,
            period_col,
            fixed,
            categories,
            names,
            problems,
        )
        if parsed is None:
            continue
        again = _("the same kommun and period again (first on line %(line)s)")
        if problems.repeated(seen, parsed[:4], line_no, header[0], again):
            continue
        out.append((*parsed, status))
    problems.raise_if_any()
    if not out:
        problems.add(start + 1, None, _("the file has a header but no rows with figures"))
        problems.raise_if_any()
    return out


def _fixed_values(meta, category, period, categories, category_col, period_col, problems):
    """Category id and period that hold for every row (from the file or the command line)."""
    fixed = {"category": None, "period": None}
    wanted_category = meta.get("category") or category
    if category_col is None:
        if not wanted_category:
            problems.add(None, None, _("the file names no crime category: give --category"))
        elif normalise(wanted_category) not in categories:
            problems.add(
                None, None, _("unknown crime category: %(name)s") % {"name": wanted_category}
            )
        else:
            fixed["category"] = categories[normalise(wanted_category)]
    wanted_period = meta.get("period") or period
    if period_col is None:
        if not wanted_period:
            problems.add(None, None, _("the file names no period: give --period (2024 or 2024-03)"))
        else:
            try:
                fixed["period"] = parse_period(wanted_period)
            except ValueError as exc:
                problems.add(None, None, str(exc))
    return fixed


def _row(
    row, line_no, header, count_col, category_col, period_col, fixed, categories, names, problems
):
    cells = [c.strip() for c in row]
    if not any(cells[1:]):
        return None  # blank line, a footnote such as "Källa: Brå", or no figure at all
    name_key = normalise_name(cells[0])
    if name_key in SKIPPED_NAMES:
        return None
    if len(cells) != len(header):
        problems.add(
            line_no,
            None,
            _("%(found)s columns, the header has %(expected)s")
            % {"found": len(cells), "expected": len(header)},
        )
        return None
    code = names.get(name_key)
    if code is None:
        problems.add(line_no, header[0], _("unknown kommun: %(name)s") % {"name": cells[0]})
    try:
        count = parse_count(cells[count_col], maximum=MAX_COUNT)
    except ValueError as exc:
        problems.add(line_no, header[count_col], str(exc))
        return None
    category_id = fixed["category"]
    if category_col is not None:
        category_id = categories.get(normalise(cells[category_col]))
        if category_id is None:
            problems.add(
                line_no,
                header[category_col],
                _("unknown crime category: %(name)s") % {"name": cells[category_col]},
            )
    period = fixed["period"]
    if period_col is not None:
        try:
            period = parse_period(cells[period_col])
        except ValueError as exc:
            problems.add(line_no, header[period_col], str(exc))
            return None
    if code is None or category_id is None or count is None:
        return None
    return (code, category_id, period[0], period[1], count)
