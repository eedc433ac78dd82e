"""Bulk logging of activities from CSV (UTF-8, comma or semicolon) or XLSX.

The whole file is parsed and checked first; every error is collected with file, line
and column. Only a file without errors is written, in one transaction. Each row gets a
key (SHA-256 of its content), so importing the same file again creates nothing.

Columns (Swedish or English headers, any order): datum/date, löfte/commitment,
part/party, aktivitet/title, antal/quantity, enhet/unit, mötestyp/meeting_type,
deltagare/participants, utfall/outcome, beslut/decisions.
"""

import csv
import datetime
import hashlib
import io
import math
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from medborgarlofte.accounts import access, audit
from medborgarlofte.privacy import uploads
from medborgarlofte.privacy.fields import hit_message, scan_row

from .models import Activity, ImportRun, MeetingType
from .services import ACTIVITY_TEXT_FIELDS, commitment_refs, published_version_of

#: The text columns stored from a row; every one is scanned (privacy/registry.py).
TEXT_COLUMNS = ACTIVITY_TEXT_FIELDS

HEADERS = {
    "datum": "date",
    "date": "date",
    "löfte": "commitment_ref",
    "lofte": "commitment_ref",
    "commitment": "commitment_ref",
    "part": "party_kind",
    "party": "party_kind",
    "aktivitet": "title",
    "title": "title",
    "antal": "quantity",
    "quantity": "quantity",
    "enhet": "unit",
    "unit": "unit",
    "mötestyp": "meeting_type",
    "meeting_type": "meeting_type",
    "deltagare": "participants",
    "participants": "participants",
    "utfall": "outcome",
    "outcome": "outcome",
    "beslut": "decisions",
    "decisions": "decisions",
}
REQUIRED = ("date", "commitment_ref", "party_kind", "title")
PARTIES = {
    "polisen": "police",
    "polis": "police",
    "police": "police",
    "kommunen": "municipality",
    "kommun": "municipality",
    "municipality": "municipality",
    "annan": "other",
    "other": "other",
}


@dataclass
class Issue:
    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"


class ImportFailed(Exception):
    def __init__(self, issues: list[Issue]):
        super().__init__("\n".join(map(str, issues)))
        self.issues = issues


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    dry_run: bool = False
    run: ImportRun | None = None
    errors: list = field(default_factory=list)


def read_rows(data: bytes, name: str, limits=None) -> list[tuple[int, list[str]]]:
    """(line number, cells) of every row of a CSV or XLSX file, header included; the file
    passes privacy.uploads' gate first (UploadRefused)."""
    if uploads.check_upload(data, name, kinds=uploads.TABLE_KINDS, limits=limits) == "xlsx":
        rows = uploads.xlsx_rows(data, name, limits=limits, active=True)
        return [
            (number, ["" if v is None else _cell(v) for v in row])
            for number, row in enumerate(rows, start=1)
        ]
    text = data.decode("utf-8-sig")
    dialect = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=dialect)
    return list(enumerate(uploads.csv_rows(reader, name, limits=limits), start=1))


def _cell(value) -> str:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _columns(header: list[str], name: str, issues: list[Issue]) -> dict[str, int]:
    columns = {}
    for index, title in enumerate(header):
        key = HEADERS.get(title.strip().casefold())
        if key:
            columns[key] = index
        elif title.strip():
            issues.append(Issue(name, 1, title, _("unknown column")))
    for key in REQUIRED:
        if key not in columns:
            issues.append(Issue(name, 1, key, _("required column is missing")))
    return columns


def _parse_row(cells, columns, refs, name, line, issues) -> dict | None:
    def get(key):
        index = columns.get(key)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    row, ok = {key: get(key) for key in columns}, True

    def fail(column, message):
        nonlocal ok
        ok = False
        issues.append(Issue(name, line, column, message))

    try:
        row["date"] = datetime.date.fromisoformat(row["date"])
    except ValueError:
        fail("date", _("not a date (YYYY-MM-DD): %(value)s") % {"value": row["date"]})
    if row["commitment_ref"] not in refs:
        fail("commitment", _("no such commitment: %(value)s") % {"value": row["commitment_ref"]})
    party = PARTIES.get(row["party_kind"].casefold())
    if party is None:
        fail("party", _("party must be polisen, kommunen or annan"))
    row["party_kind"] = party
    if not row["title"]:
        fail("title", _("this cell is empty"))
    quantity = row.get("quantity", "")
    try:
        row["quantity"] = float(quantity.replace(",", ".")) if quantity else None
        if row["quantity"] is not None and not math.isfinite(row["quantity"]):
            raise ValueError(quantity)  # nan, inf, 1e999
    except ValueError:
        fail("quantity", _("not a number: %(value)s") % {"value": quantity})
    for column in ("title", "unit", "participants"):
        limit = Activity._meta.get_field(column).max_length
        if len(row.get(column, "")) > limit:
            fail(
                column,
                _("too long: %(length)d characters, at most %(max)d")
                % {"length": len(row[column]), "max": limit},
            )
    if row.get("meeting_type") and row["meeting_type"] not in MeetingType.values:
        fail("meeting_type", _("unknown meeting type: %(value)s") % {"value": row["meeting_type"]})
    # Every text column passes the scanner; a hit refuses the file (privacy/fields.py).
    for column, hits in scan_row(row, TEXT_COLUMNS)[1].items():
        fail(column, hit_message(hits))
    return row if ok else None


def parse_file(data: bytes, name: str, refs: set[str], limits=None) -> list[dict]:
    issues: list[Issue] = []
    try:
        rows = read_rows(data, name, limits)
    except uploads.UploadRefused as exc:
        column = "-" if exc.column is None else str(exc.column)
        raise ImportFailed([Issue(name, exc.line or 0, column, exc.message)]) from None
    except (UnicodeDecodeError, ValueError, OSError, KeyError) as exc:
        raise ImportFailed(
            [Issue(name, 0, "-", _("cannot read the file: %(e)s") % {"e": exc})]
        ) from exc
    if not rows:
        raise ImportFailed([Issue(name, 1, "-", _("the file is empty"))])
    columns = _columns(rows[0][1], name, issues)
    parsed = []
    if not issues:
        for line, cells in rows[1:]:
            if not any(str(c).strip() for c in cells):
                continue
            row = _parse_row(cells, columns, refs, name, line, issues)
            if row is not None:
                parsed.append(row)
    if issues:
        raise ImportFailed(issues)
    return parsed


def _row_key(agreement, row: dict) -> str:
    text = "\x1f".join(f"{k}={row[k]}" for k in sorted(row))
    return hashlib.sha256(f"{agreement.pk}\x1e{text}".encode()).hexdigest()


def import_activities(
    agreement, user, data: bytes, name: str, *, dry_run=False, limits=None
) -> ImportResult:
    access.require_edit(user, agreement.municipality)
    refs = commitment_refs(published_version_of(agreement))
    rows = parse_file(data, name, refs, limits)
    keys = [_row_key(agreement, row) for row in rows]
    existing = set(
        Activity.objects.filter(agreement=agreement, import_key__in=keys).values_list(
            "import_key", flat=True
        )
    )
    new = [(k, r) for k, r in dict(zip(keys, rows, strict=True)).items() if k not in existing]
    result = ImportResult(rows=len(rows), created=len(new), unchanged=len(rows) - len(new))
    result.dry_run = dry_run
    if dry_run or not new:
        return result
    with transaction.atomic():
        run = ImportRun.objects.create(
            municipality=agreement.municipality,
            agreement=agreement,
            file_name=name[:300],
            sha256=hashlib.sha256(data).hexdigest(),
            rows=len(rows),
            created=len(new),
            unchanged=result.unchanged,
            user=user if getattr(user, "is_authenticated", False) else None,
        )
        Activity.objects.bulk_create(
            Activity(
                municipality=agreement.municipality,
                agreement=agreement,
                import_run=run,
                import_key=key,
                created_by=run.user,
                **row,
            )
            for key, row in new
        )
        audit.record(
            user=user,
            action="import_activities",
            obj=run,
            summary=name[:200],
            after={"rows": len(rows), "created": len(new), "sha256": run.sha256},
        )
    result.run = run
    return result
