"""Bulk import of dialogue entries from survey-tool exports (CSV/XLSX).

Step 1 reads the table (the importer kit's read_table); step 2 maps columns (which is
the text, the date, the area, the channel); step 3 previews rows with the scanner's
hits; step 4 writes in one transaction. Rows whose text already exists (same source,
date, area and text) are skipped, so importing a file twice changes nothing.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from medborgarlofte.accounts import access, audit
from medborgarlofte.importing import ImportProblems, ProblemList
from medborgarlofte.importing.tables import Table, column_label
from medborgarlofte.privacy.fields import scan_fields, scan_row
from medborgarlofte.privacy.scanner import scan

from .models import DialogueEntry, DialogueImportRun, EntryTheme
from .services import fingerprint
from .themes import tag


@dataclass
class Mapping:
    text: int
    source: str
    date: int | None = None
    area: int | None = None
    channel: int | None = None
    default_date: datetime.date | None = None
    default_channel: str = ""


#: The text columns stored from a row; every one is scanned (privacy/registry.py).
TEXT_COLUMNS = ("text", "area", "channel")


@dataclass
class Row:
    line: int
    date: datetime.date
    text: str
    area: str = ""
    channel: str = ""
    hits: list = field(default_factory=list)
    #: hits in the area and channel columns, {column: hits}
    other_hits: dict = field(default_factory=dict)

    @property
    def has_hits(self) -> bool:
        return bool(self.hits or self.other_hits)


def parse_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text[:19], fmt).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    return None


def _cell(cells, index) -> str:
    return "" if index is None else str(cells[index]).strip()


def build_rows(table: Table, mapping: Mapping) -> list[Row]:
    """Every non-empty text as a row; raises ImportProblems with every bad date."""
    problems, rows = ProblemList(table.name), []
    for line, cells in table.rows:
        text = _cell(cells, mapping.text)
        if not text:
            continue
        date = mapping.default_date
        if mapping.date is not None:
            date = parse_date(cells[mapping.date]) if cells[mapping.date] != "" else None
            if date is None:
                problems.add(
                    line,
                    column_label(table, mapping.date),
                    _("“%(v)s” is not a date (YYYY-MM-DD)") % {"v": cells[mapping.date]},
                )
                continue
        row = Row(
            line=line,
            date=date,
            text=text,
            area=_cell(cells, mapping.area)[:150],
            channel=(_cell(cells, mapping.channel) or mapping.default_channel)[:100],
            hits=scan(text),
        )
        row.other_hits = scan_fields({"area": row.area, "channel": row.channel}, TEXT_COLUMNS)
        rows.append(row)
    problems.raise_if_any()
    if not rows:
        raise ImportProblems.single(
            table.name, None, None, _("no row has any text in the chosen column")
        )
    return rows


@dataclass
class DialogueImportResult:
    rows: int
    created: int
    skipped: int
    redacted: int
    dry_run: bool


def _entries_for(municipality, rows, mapping, personal_data, user, is_example):
    existing = set(
        DialogueEntry.objects.filter(municipality=municipality).values_list(
            "fingerprint", flat=True
        )
    )
    entries, themes, redacted = [], [], 0
    for row in rows:
        # Every text column passes the scanner (privacy/fields.py): the hits are
        # replaced, or kept because the importer confirmed they are not personal data.
        mode = "redact" if personal_data == "redact" else "keep"
        values = {"text": row.text, "area": row.area, "channel": row.channel}
        values, found = scan_row(values, TEXT_COLUMNS, mode)
        text, area, channel = values["text"], values["area"][:150], values["channel"][:100]
        if found and mode == "redact":
            redacted += 1
        key = fingerprint(mapping.source, row.date, area, text)
        if key in existing:
            continue
        existing.add(key)
        entry = DialogueEntry(
            municipality=municipality,
            source=mapping.source,
            date=row.date,
            channel=channel,
            area=area,
            text=text,
            fingerprint=key,
            personal_data_confirmed=bool(found) and personal_data == "confirm",
            is_example=is_example,
            created_by=user,
        )
        entries.append(entry)
        themes.append(tag(text))
    return entries, themes, redacted


def import_rows(
    municipality, user, *, name, sha256, rows, mapping, personal_data="redact",
    dry_run=False, is_example=False,
):  # fmt: skip
    """Write the rows (personal_data: "redact" the hits, or "confirm" they are not)."""
    if user is not None:
        access.require_edit(user, municipality)
    entries, themes, redacted = _entries_for(
        municipality, rows, mapping, personal_data, user, is_example
    )
    result = DialogueImportResult(
        len(rows), len(entries), len(rows) - len(entries), redacted, dry_run
    )
    if dry_run or not entries:
        return result
    with transaction.atomic():
        run = DialogueImportRun.objects.create(
            municipality=municipality, file_name=name[:300], sha256=sha256, rows=len(rows),
            created=len(entries), user=user, user_label=audit.actor_label(user),
        )  # fmt: skip
        for entry in entries:
            entry.import_run = run
        DialogueEntry.objects.bulk_create(entries, batch_size=2000)
        if entries[0].pk is None:  # backends without RETURNING ids
            by_key = dict(
                DialogueEntry.objects.filter(import_run=run).values_list("fingerprint", "pk")
            )
            for entry in entries:
                entry.pk = by_key[entry.fingerprint]
        EntryTheme.objects.bulk_create(
            (
                EntryTheme(
                    municipality=municipality,
                    entry_id=entry.pk,
                    theme=key,
                    date=entry.date,
                    area=entry.area,
                    source=entry.source,
                )  # fmt: skip
                for entry, keys in zip(entries, themes, strict=True)
                for key in keys
            ),
            batch_size=5000,
        )
        audit.record(
            user=user,
            action="dialogue.import",
            obj=run,
            summary=_("Imported %(name)s: %(n)s new entries") % {"name": name, "n": len(entries)},
            after={"sha256": sha256, "rows": len(rows), "redacted": redacted},
        )
    return result
