"""Reading tables from survey-tool exports: CSV (comma or semicolon, UTF-8) or XLSX.

    table = read_table(content, name)   # Table(name, header, rows) with line numbers
    TableError carries every problem as (file, line, column, message).

Shared by the survey and dialogue importers (both read exports of survey tools).
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from medborgarlofte.privacy import uploads

# Rows × columns kept after padding every row to the header's width.
MAX_CELLS = 10_000_000


@dataclass
class Problem:
    file: str
    line: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(_("line %(n)s") % {"n": self.line})
        if self.column:
            where.append(_("column %(c)s") % {"c": self.column})
        return f"{', '.join(where)}: {self.message}"


class TableError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems[:5]))
        self.problems = problems

    @classmethod
    def single(cls, file, message, line=None, column=""):
        return cls([Problem(file, line, column, message)])


@dataclass
class Table:
    name: str
    header: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)  # (line number, cells)


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_csv(content: bytes, name: str, limits) -> list[list]:
    text = content.decode("utf-8-sig")  # the gate has checked that it is UTF-8
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return [[c.strip() for c in row] for row in uploads.csv_rows(reader, name, limits=limits)]


def _read_xlsx(content: bytes, name: str, limits) -> list[list]:
    return [[_cell(c) for c in row] for row in uploads.xlsx_rows(content, name, limits=limits)]


def read_table(content: bytes, name: str, *, limits=None) -> Table:
    """The table of a CSV or XLSX file (by content) within `limits` (default: the command
    line's; web views pass uploads.web_limits())."""
    try:
        kind = uploads.check_upload(content, name, kinds=uploads.TABLE_KINDS, limits=limits)
        raw = (_read_xlsx if kind == "xlsx" else _read_csv)(content, name, limits)
    except uploads.UploadRefused as exc:
        raise TableError.single(name, exc.message, exc.line, str(exc.column or "")) from None
    numbered = [(i, row) for i, row in enumerate(raw, start=1) if any(str(c).strip() for c in row)]
    if not numbered:
        raise TableError.single(name, _("the file is empty"))
    header_line, header = numbered[0]
    header = [str(h).strip() for h in header]
    width = len(header)
    if width * len(numbered) > MAX_CELLS:
        raise TableError.single(
            name,
            _("%(rows)s rows of %(columns)s columns are too many cells; at most %(limit)s")
            % {"rows": len(numbered), "columns": width, "limit": MAX_CELLS},
        )
    rows = [(line, list(row) + [""] * (width - len(row))) for line, row in numbered[1:]]
    return Table(name=name, header=header, rows=rows)


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
