"""Bulk logging of activities from CSV (UTF-8, comma or semicolon) or XLSX.

The whole file is read and checked first with the importer kit (medborgarlofte/importing/);
every error is collected with file, line and column. Only a file without errors is written, in one transaction. Each row gets a
key (SHA-256 of its content), so importing the same file again creates nothing.

Columns (Swedish or English headers, any order): datum/date, löfte/commitment,
part/party, aktivitet/title, antal/quantity, enhet/unit, timmar/hours, kostnad/cost,
antal nådda/reach, mötestyp/meeting_type, deltagare/participants, utfall/outcome,
beslut/decisions, sen_registrering/late_reason.

A row dated in a closed period (its follow-up published, closing.py) needs the reason
for the late registration in `sen_registrering`; it is then stored marked late.
"""

import datetime
import hashlib
import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from medborgarlofte.accounts import access, audit
from medborgarlofte.importing import ImportProblems, ProblemList
from medborgarlofte.importing.files import sha256_of
from medborgarlofte.importing.tables import Table, header_columns, read_table
from medborgarlofte.privacy.fields import hit_message, scan_row

from .closing import closed_lookup
from .models import Activity, ImportRun, MeetingType
from .services import (
    ACTIVITY_TEXT_FIELDS,
    closed_period_error,
    commitment_refs,
    published_version_of,
)

#: The text columns stored from a row; every one is scanned (privacy/registry.py).
TEXT_COLUMNS = (*ACTIVITY_TEXT_FIELDS, "late_reason")

ALIASES = {
    "date": {"datum", "date"},
    "commitment_ref": {"löfte", "lofte", "commitment"},
    "party_kind": {"part", "party"},
    "title": {"aktivitet", "title"},
    "quantity": {"antal", "quantity"},
    "unit": {"enhet", "unit"},
    "hours": {"timmar", "hours"},
    "cost": {"kostnad", "kostnad (kr)", "kostnad_kr", "cost"},
    "reach": {"antal nådda", "antal_nådda", "antal_nadda", "nådda", "reach"},
    "meeting_type": {"mötestyp", "meeting_type"},
    "participants": {"deltagare", "participants"},
    "outcome": {"utfall", "outcome"},
    "decisions": {"beslut", "decisions"},
    "late_reason": {"sen_registrering", "sen registrering", "late_reason"},
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


class ImportFailed(ImportProblems):
    """Every problem of an activities file (file, line, column, message); nothing was written."""

    @property
    def issues(self):
        return self.problems


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    dry_run: bool = False
    run: ImportRun | None = None
    errors: list = field(default_factory=list)


def read_rows(data: bytes, name: str, limits=None) -> Table:
    """The table of a CSV or XLSX file (the active sheet), through the gate; ImportFailed."""
    return read_table(data, name, limits=limits, active_sheet=True, error=ImportFailed)


def _columns(table: Table, problems: ProblemList) -> dict[str, int]:
    columns, unknown = header_columns(table.header, ALIASES)
    for index in unknown:
        problems.add(table.header_line, table.header[index], _("unknown column"))
    for key in REQUIRED:
        if key not in columns:
            problems.add(table.header_line, key, _("required column is missing"))
    return columns


def _parse_row(cells, columns, refs, line, problems: ProblemList) -> dict | None:
    def get(key):
        index = columns.get(key)
        return cells[index] if index is not None else ""

    row, ok = {key: get(key) for key in columns}, True

    def fail(column, message):
        nonlocal ok
        ok = False
        problems.add(line, column, message)

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
    _parse_process(row, fail)
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


def _parse_process(row: dict, fail) -> None:
    """hours (a decimal ≥ 0, comma or point), cost in kr and reach (whole numbers ≥ 0);
    spaces as thousands separators are allowed ("12 500")."""
    for column in ("hours", "cost", "reach"):
        text = row.get(column, "")
        if column not in row:
            continue
        cleaned = "".join(text.split())  # also drops no-break spaces
        if not cleaned:
            row[column] = None
            continue
        try:
            if column == "hours":
                value = Decimal(cleaned.replace(",", "."))
                if not value.is_finite() or value != round(value, 2) or value >= 10**6:
                    raise InvalidOperation(text)
            else:
                value = int(cleaned)
                if value >= 2**31:
                    raise ValueError(text)
        except (InvalidOperation, ValueError):
            fail(column, _("not a number: %(value)s") % {"value": text})
            continue
        if value < 0:
            fail(column, _("must not be negative: %(value)s") % {"value": text})
            continue
        row[column] = value


def parse_file(data: bytes, name: str, refs: set[str], limits=None, lines=None) -> list[dict]:
    """The rows of a file; ImportFailed with every problem. `lines`, a list, gets each
    row's line number."""
    table = read_rows(data, name, limits)
    problems = ProblemList(name, error=ImportFailed)
    columns = _columns(table, problems)
    problems.raise_if_any()
    parsed = []
    for line, cells in table.rows:
        row = _parse_row(cells, columns, refs, line, problems)
        if row is not None:
            parsed.append(row)
            if lines is not None:
                lines.append(line)
    problems.raise_if_any()
    return parsed


def _mark_late(agreement, version, name, new, line_of) -> None:
    """New rows dated in a closed period (closing.py) need `sen_registrering`: they are
    marked late; without it the file is refused (rows imported before stay as they are)."""
    closed = closed_lookup(agreement, version)
    problems = ProblemList(name, error=ImportFailed)
    for key, row in new:
        followup = closed(row["date"])
        if followup is None:
            continue
        if not row.get("late_reason"):
            problems.add(line_of[key], "late_reason", closed_period_error(followup))
        row.update(late=True, late_period=followup.period)
    problems.raise_if_any()


def _row_key(agreement, row: dict) -> str:
    text = "\x1f".join(f"{k}={row[k]}" for k in sorted(row))
    return hashlib.sha256(f"{agreement.pk}\x1e{text}".encode()).hexdigest()


def import_activities(
    agreement, user, data: bytes, name: str, *, dry_run=False, limits=None
) -> ImportResult:
    access.require_edit(user, agreement.municipality)
    version = published_version_of(agreement)
    refs = commitment_refs(version)
    lines: list[int] = []
    rows = parse_file(data, name, refs, limits, lines)
    keys = [_row_key(agreement, row) for row in rows]
    existing = set(
        Activity.objects.filter(agreement=agreement, import_key__in=keys).values_list(
            "import_key", flat=True
        )
    )
    new = [(k, r) for k, r in dict(zip(keys, rows, strict=True)).items() if k not in existing]
    _mark_late(agreement, version, name, new, dict(zip(keys, lines, strict=True)))
    result = ImportResult(rows=len(rows), created=len(new), unchanged=len(rows) - len(new))
    result.dry_run = dry_run
    if dry_run or not new:
        return result
    with transaction.atomic():
        run = ImportRun.objects.create(
            municipality=agreement.municipality,
            agreement=agreement,
            file_name=name[:300],
            sha256=sha256_of(data),
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
            after={
                "rows": len(rows),
                "created": len(new),
                "late": sum(1 for _k, row in new if row.get("late")),
                "sha256": run.sha256,
            },
        )
    result.run = run
    return result
