"""One table reader for every importer: CSV (UTF-8, BOM removed, `;` or `,` sniffed from
the header) or the first (or active) sheet of an XLSX workbook, through the gate.

    table = read_table(data, name)              # Table(name, kind, header, rows, lines)
    columns, unknown = header_columns(table.header, {"year": {"år", "year"}, ...})

`lines` holds every row with its line number as read (for formats with lines before the
header); `header` is the first non-empty row and `rows` the non-empty rows after it, each
(line number, cells) padded to the header's width. Cells are text (stripped; a whole
number from a workbook without ".0"; a date as YYYY-MM-DD) unless `as_text=False`, which
keeps a workbook's numbers as they are.
"""

import contextlib
import csv
import datetime
import gc
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from medborgarlofte.privacy import uploads

from .files import check_file, decode_text
from .problems import ImportProblems

# Rows × columns kept after padding every row to the header's width.
MAX_CELLS = 10_000_000
# Distinct cell texts kept once per table (read_table); beyond that, cells keep their own.
MAX_SHARED_TEXTS = 100_000
DELIMITERS = (";", ",")


@dataclass
class Table:
    name: str
    kind: str  # "csv" or "xlsx"
    header: list[str] = field(default_factory=list)
    header_line: int = 1
    rows: list[tuple[int, list]] = field(default_factory=list)  # (line number, cells)
    lines: list[tuple[int, list]] = field(default_factory=list)  # every row, as read


def sniff_delimiter(first_line: str) -> str:
    """`;` when the header has at least as many semicolons as commas (and one), else `,`."""
    semicolons, commas = first_line.count(";"), first_line.count(",")
    return ";" if semicolons and semicolons >= commas else ","


def cell_text(value) -> str:
    """A cell as text: None is empty, 12.0 is "12", a date or time is its date."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@contextlib.contextmanager
def without_gc_pauses():
    """Python's cyclic garbage collector off while a table is read or parsed.

    A national year is 212 280 rows: some 400 000 new lists and tuples, none of them in a
    reference cycle. Each allocation burst wakes the collector, which walks every object
    still alive, so the passes grow with the table: measured, three quarters of reading
    and parsing such a file (benchmarks/README.md, issue 17). Reference counting still
    frees everything; the collector is switched back on (if it was on) afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _csv_lines(data, name, limits, delimiter, error) -> list[list]:
    text = decode_text(data, name, error=error)
    delimiter = delimiter or sniff_delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return uploads.csv_rows(reader, name, limits=limits)


def read_table(
    data: bytes,
    name: str,
    *,
    kinds=uploads.TABLE_KINDS,
    limits: uploads.Limits | None = None,
    delimiter: str | None = None,
    active_sheet: bool = False,
    as_text: bool = True,
    error: type[ImportProblems] = ImportProblems,
) -> Table:
    """The table of a CSV or XLSX file (told apart by content) within `limits` (default:
    the command line's; web views pass uploads.web_limits()). Every refusal is `error`."""
    kind = check_file(data, name, kinds, limits, error=error)
    with without_gc_pauses():
        return _read_table(data, name, kind, limits, delimiter, active_sheet, as_text, error)


def _read_table(data, name, kind, limits, delimiter, active_sheet, as_text, error) -> Table:
    try:
        if kind == "xlsx":
            raw = uploads.xlsx_rows(data, name, limits=limits, active=active_sheet)
        else:
            raw = _csv_lines(data, name, limits, delimiter, error)
    except uploads.UploadRefused as exc:
        raise error.refused(exc) from None
    convert = cell_text if as_text else (lambda v: "" if v is None else v)
    # Converted row by row in place of the reader's row, and a text repeated down the
    # file (a kommun code, a category, a period) kept once: a national year of 212 280
    # rows otherwise held each row three times over (benchmarks/README.md, issue 17).
    texts: dict = {}
    plain = kind == "csv" and not as_text  # cells are already str: nothing to convert
    for index, row in enumerate(raw):
        keep = texts.setdefault if len(texts) < MAX_SHARED_TEXTS else texts.get
        if plain:
            raw[index] = list(map(keep, row, row))
        else:
            raw[index] = [keep(v, v) if isinstance(v, str) else v for v in map(convert, row)]
    lines = list(enumerate(raw, start=1))
    if plain:  # text cells: one join, not one test per cell
        filled = [(n, row) for n, row in lines if "".join(row).strip()]
    else:
        filled = [(n, row) for n, row in lines if any(str(c).strip() for c in row)]
    if not filled:
        raise error.single(name, 1, None, _("the file is empty"))
    header_line, header = filled[0]
    width = len(header)
    if width * len(filled) > MAX_CELLS:
        raise error.single(
            name,
            None,
            None,
            _("%(rows)s rows of %(columns)s columns are too many cells; at most %(limit)s")
            % {"rows": len(filled), "columns": width, "limit": MAX_CELLS},
        )
    # A full row is the same list in `lines` and `rows` (no importer changes its cells).
    rows = [
        (n, row if len(row) == width else row + [""] * (width - len(row))) for n, row in filled[1:]
    ]
    header = [str(cell).strip() for cell in header]
    return Table(name, kind, header, header_line, rows, lines)


def normalise_header(title) -> str:
    """A header compared case-insensitively, with spaces collapsed."""
    return " ".join(str(title).casefold().split())


def header_columns(header: list[str], aliases: dict) -> tuple[dict[str, int], list[int]]:
    """({key: index of the first header cell that is one of the key's names}, indexes of
    non-empty header cells that name no key). Names compare as normalise_header does."""
    names = {normalise_header(n): key for key, group in aliases.items() for n in group}
    found, unknown = {}, []
    for index, title in enumerate(header):
        key = names.get(normalise_header(title))
        if key is None:
            if str(title).strip():
                unknown.append(index)
        elif key not in found:
            found[key] = index
    return found, unknown


def column_letter(index: int) -> str:
    """A spreadsheet's column letter: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_label(table: Table, index: int) -> str:
    """`B (year)`: the column's letter and its header, for a problem's column."""
    return f"{column_letter(index)} ({table.header[index]})"
