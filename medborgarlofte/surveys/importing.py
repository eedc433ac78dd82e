"""Importing survey results from CSV or XLSX (docs/formats/survey.md).

Two formats, told apart by the header: an `index` column (Polisen's problem index
0–6 per question and area) or `answer` + `percent` columns (percentages per question
and answer). Swedish header names are accepted too. The whole file is parsed and
validated first (the importer kit, medborgarlofte/importing/); every problem is reported
with file, line and column; only a clean file is written, in one transaction. Importing the same file again changes nothing.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from medborgarlofte.importing import ProblemList
from medborgarlofte.importing.files import sha256_of
from medborgarlofte.importing.tables import Table, column_label, header_columns, read_table
from medborgarlofte.privacy.fields import hit_message, scan_row

from .models import SurveyValue, SurveyWave, ValueFormat
from .tables import TableError

ALIASES = {
    "provider": {"provider", "leverantör", "leverantor", "utförare"},
    "year": {"year", "år", "ar"},
    "area": {"area", "område", "omrade"},
    "respondents": {"respondents", "svarande", "antal svarande"},
    "response_rate": {"response_rate", "response rate", "svarsfrekvens"},
    "question": {"question", "fråga", "fraga"},
    "index": {"index", "indexvärde"},
    "answer": {"answer", "svar", "svarsalternativ"},
    "percent": {"percent", "procent", "andel"},
    "n": {"n", "antal svar"},
    "source": {"source", "källa", "kalla"},
    "gender": {"gender", "kön", "kon", "sex"},
}
#: The gender column's codes (Kolada's and SCB's T/K/M) and the words accepted for them.
GENDERS = {
    "": "T", "t": "T", "totalt": "T", "total": "T", "alla": "T", "all": "T",
    "k": "K", "kvinnor": "K", "kvinna": "K", "women": "K", "w": "K", "f": "K",
    "m": "M", "män": "M", "man": "M", "men": "M",
}  # fmt: skip
#: The text columns stored from a row; every one is scanned (privacy/registry.py).
TEXT_COLUMNS = ("provider", "area", "source", "question", "answer")
REQUIRED = ["provider", "year", "area", "respondents", "question"]
MAX_LENGTHS = {  # what the columns of SurveyWave and SurveyValue hold
    key: model._meta.get_field(key).max_length
    for model, keys in (
        (SurveyWave, ("provider", "area", "source")),
        (SurveyValue, ("question", "answer")),
    )
    for key in keys
}


@dataclass
class ParsedSurvey:
    name: str
    sha256: str
    value_format: str
    # (provider, year, area) -> {"respondents", "response_rate", "source", "values": [...]}
    waves: dict = field(default_factory=dict)
    rows: int = 0


def _decimal(text, low, high):
    try:
        value = Decimal(str(text).replace(",", ".").replace("%", "").replace("\xa0", "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() and low <= value <= high else None


def _integer(text, low, high):
    value = _decimal(text, low, high)
    return int(value) if value is not None and value == int(value) else None


class _Row:
    def __init__(self, table: Table, columns, line, cells, problems: ProblemList):
        self.table, self.columns, self.line, self.cells = table, columns, line, cells
        self.problems = problems
        self.failed = False

    def raw(self, key):
        index = self.columns.get(key)
        return "" if index is None else str(self.cells[index]).strip()

    def fail(self, key, message):
        column = self.columns.get(key)
        self.failed = True
        self.problems.add(
            self.line, key if column is None else column_label(self.table, column), message
        )

    def number(self, key, parse, low, high, *, required=True):
        text = self.raw(key)
        if not text:
            if required:
                self.fail(key, _("a value is required"))
            return None
        value = parse(text, low, high)
        if value is None:
            self.fail(
                key,
                _("“%(v)s” is not a number from %(lo)s to %(hi)s")
                % {"v": text, "lo": low, "hi": high},
            )
        return value


def _parse_row(row: _Row, value_format, parsed: ParsedSurvey, seen: set) -> None:
    for key in ("provider", "area", "question"):
        if not row.raw(key):
            row.fail(key, _("a value is required"))
    for key, limit in MAX_LENGTHS.items():
        if len(row.raw(key)) > limit:
            row.fail(
                key,
                _("too long: %(length)d characters, at most %(max)d")
                % {"length": len(row.raw(key)), "max": limit},
            )
    # Every text column passes the scanner; a hit refuses the file (privacy/fields.py).
    cells = {key: row.raw(key) for key in TEXT_COLUMNS}
    for key, hits in scan_row(cells, TEXT_COLUMNS)[1].items():
        row.fail(key, hit_message(hits))
    year = row.number("year", _integer, 1990, 2100)
    respondents = row.number("respondents", _integer, 1, 10_000_000)
    rate = row.number("response_rate", _decimal, 0, 100, required=False)
    n = row.number("n", _integer, 0, 10_000_000, required=False)
    if value_format == ValueFormat.INDEX:
        answer, value = "", row.number("index", _decimal, 0, 6)
    else:
        answer, value = row.raw("answer"), row.number("percent", _decimal, 0, 100)
        if not answer:
            row.fail("answer", _("a value is required"))
    gender = GENDERS.get(row.raw("gender").lower())
    if gender is None:
        row.fail(
            "gender",
            _("“%(v)s” is not T (total), K (women) or M (men)") % {"v": row.raw("gender")},
        )
    if row.failed:
        return
    key = (row.raw("provider"), year, row.raw("area"))
    wave = parsed.waves.setdefault(
        key,
        {
            "respondents": respondents,
            "response_rate": rate,
            "source": row.raw("source"),
            "values": [],
        },
    )
    if wave["respondents"] != respondents or wave["response_rate"] != rate:
        row.fail("respondents", _("n or response rate differs from earlier rows of this wave"))
    if (key, row.raw("question"), answer, gender) in seen:
        row.fail("question", _("this question appears twice for the same wave"))
    seen.add((key, row.raw("question"), answer, gender))
    wave["values"].append(
        {
            "question": row.raw("question"),
            "answer": answer,
            "gender": gender,
            "value": value,
            "n": n,
        }
    )


def parse_survey(content: bytes, name: str, *, limits=None) -> ParsedSurvey:
    """Parse and validate a whole file; raise TableError with every problem found."""
    table = read_table(content, name, limits=limits, error=TableError)
    columns, _unknown = header_columns(table.header, ALIASES)
    if "index" in columns:
        value_format = ValueFormat.INDEX
    elif "answer" in columns and "percent" in columns:
        value_format = ValueFormat.PERCENT
    else:
        raise TableError.single(
            name,
            table.header_line,
            None,
            _("the header needs an “index” column, or “answer” and “percent” columns"),
        )
    missing = [key for key in REQUIRED if key not in columns]
    if missing:
        raise TableError.single(
            name,
            table.header_line,
            None,
            _("missing columns: %(cols)s") % {"cols": ", ".join(missing)},
        )
    parsed = ParsedSurvey(name, sha256_of(content), value_format)
    problems = ProblemList(name, error=TableError)
    seen: set = set()
    for line, cells in table.rows:
        _parse_row(_Row(table, columns, line, cells, problems), value_format, parsed, seen)
        parsed.rows += 1
    problems.raise_if_any()
    return parsed
