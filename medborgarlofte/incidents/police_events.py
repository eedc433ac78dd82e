"""Polisen's public events API (https://polisen.se/api/events): parse, import, fetch.

The format as it really answers (docs/formats/police-events.md):

- a bare JSON array of ≤ 500 objects with `id`, `datetime`, `name`, `summary`, `url`,
  `type`, `location {name, gps}`;
- `datetime` like `2025-06-07 7:32:06 +02:00` (hour not zero-padded);
- `name` like `06 juni 18.50, Trafikolycka, vilt, Kungsör` — the time was `07:38`
  before late 2023 and `07.25` after; `type` may itself contain commas, so the place
  is the text after the LAST `", "`;
- kommun names in other case (`Upplands väsby`): matched with casefold();
- from 2026 `location.name` is usually the county: the kommun then comes from `name`;
- `Sammanfattning …` events are kept but never counted as a kommun's incidents.

parse_events() validates the whole file first (the importer kit, medborgarlofte/importing/)
and raises PoliceEventsError with every problem (file, line and column, or element path); import_events() writes in one transaction;
events are deduplicated by `id`, so importing the same file twice adds nothing.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from medborgarlofte.importing import ImportProblems, ProblemList
from medborgarlofte.importing.files import check_file, decode_text, load_json, sha256_of
from medborgarlofte.kommuner.models import County, Municipality

from .models import PoliceEvent, PoliceImportRun

MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "januari",
            "februari",
            "mars",
            "april",
            "maj",
            "juni",
            "juli",
            "augusti",
            "september",
            "oktober",
            "november",
            "december",
        ],
        start=1,
    )
}
_NAME_HEAD = re.compile(
    r"^(?P<day>\d{1,2}) (?P<month>[a-zåäö]+) (?P<hour>\d{1,2})[.:](?P<minute>\d{2}), "
)
_URL_YEAR = re.compile(r"/(?P<year>\d{4})/")
_FIELDS = {
    "id": int,
    "datetime": str,
    "name": str,
    "summary": str,
    "url": str,
    "type": str,
}
SUMMARY_PREFIX = "Sammanfattning"
MAX_EVENT_ID = 2**63 - 1  # PoliceEvent.event_id is a BigIntegerField
YEARS = (1900, 2100)  # a time outside is a mistake (and 9999-12-31 -05:00 is no UTC time)


class PoliceEventsError(ImportProblems):
    """Every problem found in a file: a line and column, or an element path (`[3].id`)."""

    def places(self) -> list[tuple[str, str]]:
        """(where, message): `3:5` for a line and column, the path for an element."""
        return [(_where(p.line, p.column), p.message) for p in self.problems]


def _where(line, column) -> str:
    if line is not None:
        return f"{line}:{column or 1}"
    return str(column) if column not in (None, "") else "-"


@dataclass
class ParsedEvent:
    event_id: int
    published_at: datetime.datetime
    occurred_at: datetime.datetime | None
    name: str
    summary: str
    url: str
    type: str
    location_name: str
    gps: str
    place_in_name: str
    is_summary: bool


def parse_datetime(value: str) -> datetime.datetime:
    """`2025-06-07 7:32:06 +02:00` (also with a padded hour) → aware datetime."""
    return datetime.datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S %z")


def split_name(name: str, event_type: str) -> tuple[str, str]:
    """(head with date and time, place) — the place is after the LAST ", "."""
    head, sep, place = name.rpartition(", ")
    if not sep:
        return name, ""
    return head, place.strip()


def occurred_at(name: str, url: str, published: datetime.datetime):
    """The time in `name` (no year): year from the url, else from `datetime` (a name
    dated December published in January belongs to the year before)."""
    match = _NAME_HEAD.match(name)
    if not match or match["month"] not in MONTHS:
        return None
    month = MONTHS[match["month"]]
    url_year = _URL_YEAR.search(url)
    if url_year:
        year = int(url_year["year"])
    else:
        year = published.year - (1 if month == 12 and published.month == 1 else 0)
    if not YEARS[0] <= year <= YEARS[1]:
        return None
    try:
        return datetime.datetime(
            year,
            month,
            int(match["day"]),
            int(match["hour"]),
            int(match["minute"]),
            tzinfo=published.tzinfo,
        )
    except ValueError:
        return None


def _check_element(index: int, item, problems: ProblemList) -> ParsedEvent | None:
    where = f"[{index}]"
    if not isinstance(item, dict):
        problems.add(None, where, _("an event must be an object"))
        return None
    ok = True
    for key, kind in _FIELDS.items():
        value = item.get(key)
        if key not in item:
            problems.add(None, f"{where}.{key}", _("missing field"))
            ok = False
        elif not isinstance(value, kind) or isinstance(value, bool):
            problems.add(None, f"{where}.{key}", _("expected %(kind)s") % {"kind": kind.__name__})
            ok = False
    location = item.get("location")
    if not isinstance(location, dict) or not isinstance(location.get("name"), str):
        problems.add(None, f"{where}.location.name", _("missing field"))
        ok = False
    if not ok:
        return None
    if not 0 < item["id"] <= MAX_EVENT_ID:
        problems.add(None, f"{where}.id", _("expected %(kind)s") % {"kind": _("a positive id")})
        ok = False
    texts = {key: item[key] for key in _FIELDS if key != "id"}
    texts.update({"location.name": location["name"], "location.gps": str(location.get("gps"))})
    for key, text in texts.items():
        if "\x00" in text:  # PostgreSQL cannot store it
            problems.add(None, f"{where}.{key}", _("must not contain NUL characters"))
            ok = False
    if not ok:
        return None
    try:
        published = parse_datetime(item["datetime"])
        if not YEARS[0] <= published.year <= YEARS[1]:
            raise ValueError(published)
    except ValueError:
        problems.add(
            None,
            f"{where}.datetime",
            _("not a time like 2025-06-07 7:32:06 +02:00: %(v)s") % {"v": item["datetime"]},
        )
        return None
    _head, place = split_name(item["name"], item["type"])
    return ParsedEvent(
        event_id=item["id"],
        published_at=published,
        occurred_at=occurred_at(item["name"], item["url"], published),
        name=item["name"],
        summary=item["summary"],
        url=item["url"],
        type=item["type"],
        location_name=location["name"],
        gps=str(location.get("gps") or ""),
        place_in_name=place,
        is_summary=item["type"].strip().startswith(SUMMARY_PREFIX),
    )


def parse_events(data: bytes, source: str = "-", *, limits=None) -> list[ParsedEvent]:
    """Validate the whole response; raise PoliceEventsError listing every problem."""
    check_file(data, source, {"json"}, limits, error=PoliceEventsError)
    text = decode_text(data, source, error=PoliceEventsError)
    document = load_json(text, source, error=PoliceEventsError)
    if not isinstance(document, list):
        raise PoliceEventsError.single(source, 1, 1, _("expected a JSON array of events"))
    problems = ProblemList(source, error=PoliceEventsError)
    events = [_check_element(index, item, problems) for index, item in enumerate(document)]
    problems.raise_if_any()
    return [event for event in events if event is not None]


@dataclass
class Gazetteer:
    """Kommun and county names, matched with casefold()."""

    kommuner: dict = field(default_factory=dict)
    counties: dict = field(default_factory=dict)

    @classmethod
    def load(cls) -> "Gazetteer":
        return cls(
            kommuner={m.name.casefold(): m for m in Municipality.objects.select_related("county")},
            counties={c.name.casefold(): c for c in County.objects.all()},
        )

    def resolve(self, event: ParsedEvent):
        """(municipality or None, county or None)."""
        location = event.location_name.strip().casefold()
        if location in self.kommuner:
            kommun = self.kommuner[location]
            return kommun, kommun.county
        county = self.counties.get(location)
        kommun = self.kommuner.get(event.place_in_name.casefold()) if event.place_in_name else None
        if kommun is not None and (county is None or kommun.county_id == county.pk):
            return kommun, kommun.county
        return None, county


@dataclass
class ImportResult:
    source: str
    rows: int = 0
    imported: int = 0
    duplicates: int = 0
    without_kommun: int = 0
    summaries: int = 0
    by_kommun: dict = field(default_factory=dict)
    dry_run: bool = False
    already_imported: bool = False

    def as_json(self) -> dict:
        return {
            "source": self.source,
            "rows": self.rows,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "without_kommun": self.without_kommun,
            "summaries": self.summaries,
            "by_kommun": dict(sorted(self.by_kommun.items())),
            "dry_run": self.dry_run,
        }

    def summary_lines(self) -> list[str]:
        lines = [
            _("%(source)s: %(rows)d events, %(imported)d new, %(duplicates)d already imported")
            % {
                "source": self.source,
                "rows": self.rows,
                "imported": self.imported,
                "duplicates": self.duplicates,
            },
            _("%(n)d without a kommun (county level), %(s)d summaries (never counted)")
            % {"n": self.without_kommun, "s": self.summaries},
        ]
        for code, count in sorted(self.by_kommun.items()):
            lines.append(f"  {code}: {count}")
        if self.dry_run:
            lines.append(_("Dry run: nothing was saved."))
        return lines


def _new_rows(events: list[ParsedEvent], result: ImportResult) -> list[PoliceEvent]:
    ids = [e.event_id for e in events]
    existing = set()
    for start in range(0, len(ids), 500):
        existing.update(
            PoliceEvent.objects.filter(event_id__in=ids[start : start + 500]).values_list(
                "event_id", flat=True
            )
        )
    gazetteer = Gazetteer.load()
    rows, seen = [], set()
    for event in events:
        if event.event_id in existing or event.event_id in seen:
            result.duplicates += 1
            continue
        seen.add(event.event_id)
        kommun, county = gazetteer.resolve(event)
        if event.is_summary:
            result.summaries += 1
        if kommun is None:
            result.without_kommun += 1
        elif not event.is_summary:
            result.by_kommun[kommun.code] = result.by_kommun.get(kommun.code, 0) + 1
        rows.append(
            PoliceEvent(
                event_id=event.event_id,
                municipality=kommun,
                county=county,
                published_at=event.published_at,
                occurred_at=event.occurred_at,
                name=event.name[:300],
                summary=event.summary,
                url=event.url[:400],
                type=event.type[:120],
                location_name=event.location_name[:120],
                gps=event.gps[:60],
                is_summary=event.is_summary,
            )
        )
    return rows


def import_events(
    data: bytes, *, source: str, user=None, dry_run: bool = False, fetched: bool = False
) -> ImportResult:
    events = parse_events(data, source)
    result = ImportResult(source=source, rows=len(events), dry_run=dry_run)
    with transaction.atomic():
        rows = _new_rows(events, result)
        result.imported = len(rows)
        if dry_run:
            transaction.set_rollback(True)
            return result
        PoliceEvent.objects.bulk_create(rows, batch_size=500)
        if rows or fetched:
            PoliceImportRun.objects.create(
                source=source[:400],
                sha256=sha256_of(data),
                rows=result.rows,
                imported=result.imported,
                duplicates=result.duplicates,
                user=user if getattr(user, "is_authenticated", False) else None,
                fetched=fetched,
            )
    return result
