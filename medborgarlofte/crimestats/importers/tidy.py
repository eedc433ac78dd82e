"""The tidy format for any other source: one row per kommun, category and period.

    kommunkod;brottskategori;period;antal;status
    0642;Skadegörelsebrott;2024-03;12;prel

Comma or semicolon separated CSV (UTF-8), or the first sheet of an XLSX workbook
(read by the importer kit's table reader, medborgarlofte/importing/tables.py).
`period` is YYYY or YYYY-MM; `status` is `prel` or `slutlig` (default slutlig).
"""

from django.utils.translation import gettext as _

from medborgarlofte.crimestats.taxonomy import normalise
from medborgarlofte.importing.tables import read_table, without_gc_pauses

from . import ImportFileError, ProblemList, category_index, kommun_index, parse_period
from .numbers import MAX_COUNT, parse_count

REQUIRED = ["kommunkod", "brottskategori", "period", "antal"]
STATUSES = {"prel": "prel", "preliminär": "prel", "slutlig": "final", "final": "final", "": "final"}


def _whole_float(value) -> bool:
    """A float that is a whole number (not NaN or infinity: XLSX cells may hold them)."""
    return isinstance(value, float) and value.is_integer()


def _kommunkod(value) -> str:
    if isinstance(value, int) and not isinstance(value, bool) or _whole_float(value):
        return f"{int(value):04d}"
    return str(value).strip()


def parse_tidy(data: bytes, name: str, *, limits=None) -> list[tuple]:
    """Rows (kommunkod, category id, year, month, count, status) of a tidy CSV or XLSX file."""
    table = read_table(data, name, limits=limits, as_text=False, error=ImportFileError)
    problems = ProblemList(name)
    if table.kind == "csv" and len(table.header) == 1:
        problems.add(
            table.header_line,
            None,
            _(
                "the header must list the columns kommunkod, brottskategori, period, antal separated by commas or semicolons"
            ),
        )
        problems.raise_if_any()
    header = [normalise(str(c)) for c in table.header]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        problems.add(
            table.header_line,
            None,
            _("missing columns: %(columns)s") % {"columns": ", ".join(missing)},
        )
        problems.raise_if_any()
    col = {column: header.index(column) for column in [*REQUIRED, "status"] if column in header}
    categories = _MemoCategories(category_index())
    _names, codes = kommun_index()
    out, seen = [], {}
    again = _("the same kommun, category and period again (first on line %(line)s)")
    known = _KnownCells(col)
    with without_gc_pauses():
        _parse_rows(table.rows, known, col, categories, codes, problems, out, seen, again)
    problems.raise_if_any()
    if not out:
        problems.add(table.header_line, None, _("the file has a header but no rows"))
        problems.raise_if_any()
    return out


def _parse_rows(rows, known, col, categories, codes, problems, out, seen, again) -> None:
    for line_no, row in rows:
        parsed = known.parse(row)
        if parsed is None:
            parsed = _row(row, line_no, col, categories, codes, problems)
            if parsed is None:
                continue
            known.remember(row, parsed)
        if problems.repeated(seen, parsed[:4], line_no, None, again):
            continue
        out.append(parsed)


class _KnownCells:
    """Cell texts already read on a valid row, per column, with what they were read as.

    A national file repeats 290 kommun codes, a few dozen categories, 12 periods and a
    few thousand counts over 212 000 rows, and every column is checked on its own: a row
    whose every cell was seen on a valid row is valid, and is built from these lookups
    (about half the parse). Any other row takes the full check (`_row`), which names the
    problem; only text cells are remembered (an XLSX number keeps its own checks)."""

    MAX_COUNTS = 100_000

    def __init__(self, col):
        self.columns = [col[name] for name in REQUIRED]
        self.status = col.get("status")
        self.code, self.category, self.period, self.count, self.status_of = {}, {}, {}, {}, {}

    def parse(self, row):
        kommun, category, period, count = self.columns
        try:
            return (
                self.code[row[kommun]],
                self.category[row[category]],
                *self.period[row[period]],
                self.count[row[count]],
                self.status_of[row[self.status] if self.status is not None else ""],
            )
        except (KeyError, TypeError):  # not seen, or a cell that cannot be a key
            return None

    def remember(self, row, parsed) -> None:
        code, category_id, year, month, count, status = parsed
        kommun, category, period, count_column = (row[i] for i in self.columns)
        status_text = row[self.status] if self.status is not None else ""
        for memo, cell, value in (
            (self.code, kommun, code),
            (self.category, category, category_id),
            (self.period, period, (year, month)),
            (self.status_of, status_text, status),
        ):
            if type(cell) is str:
                memo[cell] = value
        if type(count_column) is str and len(self.count) < self.MAX_COUNTS:
            self.count[count_column] = count


class _MemoCategories(dict):
    """Category lookups by the raw text, normalised once per distinct text."""

    def __init__(self, index):
        super().__init__()
        self.index = index

    def __missing__(self, text):
        value = self.index.get(normalise(text))
        self[text] = value
        return value


_PERIODS: dict = {}


def _period(value):
    if value not in _PERIODS:
        _PERIODS[value] = parse_period(value)  # raises ValueError; never cached then
    return _PERIODS[value]


def _row(row, line_no, col, categories, codes, problems):
    # `row` is padded to the header's width by read_table: every column index is in it.
    ok = True
    code = _kommunkod(row[col["kommunkod"]])
    if code not in codes:
        problems.add(line_no, "kommunkod", _("unknown kommunkod: %(code)s") % {"code": code})
        ok = False
    category = str(row[col["brottskategori"]]).strip()
    category_id = categories[category]
    if category_id is None:
        problems.add(
            line_no, "brottskategori", _("unknown crime category: %(name)s") % {"name": category}
        )
        ok = False
    try:
        period_value = row[col["period"]]
        if _whole_float(period_value):
            period_value = int(period_value)
        year, month = _period(period_value)
    except ValueError as exc:
        problems.add(line_no, "period", str(exc))
        ok = False
    try:
        count = parse_count(row[col["antal"]], maximum=MAX_COUNT)
    except ValueError as exc:
        problems.add(line_no, "antal", str(exc))
        ok = False
    status_text = str(row[col["status"]]).strip().casefold() if "status" in col else ""
    if status_text not in STATUSES:
        problems.add(
            line_no,
            "status",
            _("status must be prel or slutlig, not %(text)s") % {"text": status_text},
        )
        ok = False
    if not ok or count is None:
        return None
    return (code, category_id, year, month, count, STATUSES[status_text])
