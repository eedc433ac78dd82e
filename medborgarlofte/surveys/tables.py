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

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000


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


def _read_csv(content: bytes, name: str) -> list[list]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableError.single(
            name, _("the file is not UTF-8 (byte %(n)s); save it as CSV UTF-8") % {"n": exc.start}
        ) from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _read_xlsx(content: bytes, name: str) -> list[list]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise TableError.single(name, _("the file is not a readable XLSX workbook")) from exc
    sheet = book.worksheets[0]
    rows = [[_cell(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    return rows


def read_table(content: bytes, name: str) -> Table:
    if len(content) > MAX_BYTES:
        raise TableError.single(name, _("the file is larger than 20 MB"))
    if name.lower().endswith(".xlsx") or content[:2] == b"PK":
        raw = _read_xlsx(content, name)
    else:
        raw = _read_csv(content, name)
    numbered = [(i, row) for i, row in enumerate(raw, start=1) if any(str(c).strip() for c in row)]
    if not numbered:
        raise TableError.single(name, _("the file is empty"))
    if len(numbered) > MAX_ROWS + 1:
        raise TableError.single(name, _("the file has more than %(n)s rows") % {"n": MAX_ROWS})
    header_line, header = numbered[0]
    header = [str(h).strip() for h in header]
    width = len(header)
    rows = [(line, list(row) + [""] * (width - len(row))) for line, row in numbered[1:]]
    return Table(name=name, header=header, rows=rows)


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
