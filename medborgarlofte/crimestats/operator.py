"""The operator's national files: upload, preview what will change per kommun, import.

Kinds: Brå's yearly file (either layout), the tidy statistics format and SCB population.
The uploaded file waits in the private files directory under a random token tied to the
operator (an hour at most) between the preview and the import; the import parses it
again and writes through the importers' writers (all or nothing, one ImportRun).

Freshness for the statistics page comes from the import runs: "Brå 2024, hämtad 12 mars
2025".
"""

import contextlib
import json
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medborgarlofte.kommuner.models import Municipality, Population
from medborgarlofte.privacy import uploads

from .importers.bra_yearly import parse_bra_yearly
from .importers.scb import parse_population
from .importers.tidy import parse_tidy
from .importers.writing import write_population, write_statistics
from .models import AreaTotal, CrimeStatistic, ImportRun, KpiValue

KINDS = {
    "bra-yearly": gettext_lazy("Brå's yearly file “Anmälda brott i kommunerna” (CSV)"),
    "tidy": gettext_lazy("Crime statistics in the tidy format (CSV or XLSX)"),
    "population": gettext_lazy("Population per kommun from SCB (PxWeb JSON or CSV)"),
}
POPULATION_SOURCE = "SCB, folkmängd 31 december"
MAX_AGE = 3600


@dataclass
class KommunChange:
    code: str
    name: str
    rows: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0


@dataclass
class Preview:
    kind: str
    file_name: str
    rows: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    kommuner: list[KommunChange] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    already_imported: ImportRun | None = None


def parse(kind: str, data: bytes, name: str, year: int | None):
    """(rows, parsed yearly file or None); ImportFileError or UploadRefused when refused."""
    limits = uploads.web_limits()
    if kind == "bra-yearly":
        parsed = parse_bra_yearly(data, name, year=year, limits=limits)
        return parsed.rows, parsed
    if kind == "tidy":
        return parse_tidy(data, name, limits=limits), None
    if kind == "population":
        return parse_population(data, name, limits=limits), None
    raise ValueError(kind)


def _source(kind: str) -> str:
    return "bra" if kind == "bra-yearly" else kind


def preview(kind: str, data: bytes, name: str, year: int | None = None) -> Preview:
    rows, parsed = parse(kind, data, name, year)
    result = Preview(kind, name, rows=len(rows))
    if parsed is not None:
        result.skipped, result.missing = parsed.skipped, parsed.missing
    from .importers.writing import sha256

    run_kind = "population" if kind == "population" else "crime"
    result.already_imported = (
        ImportRun.objects.filter(sha256=sha256(data), kind=run_kind).order_by("at").first()
    )
    names = dict(Municipality.objects.values_list("code", "name"))
    ids = dict(Municipality.objects.values_list("code", "pk"))
    per_kommun: dict[str, KommunChange] = {}
    if kind == "population":
        existing = {
            (m, y): p
            for m, y, p in Population.objects.filter(year__in={r[1] for r in rows}).values_list(
                "municipality_id", "year", "population"
            )
        }
        keyed = [(code, existing.get((ids[code], y)), p) for code, y, p in rows]
    else:
        source = _source(kind)
        existing = {
            (m, c, y, mo): (n, s)
            for m, c, y, mo, n, s in CrimeStatistic.objects.filter(
                source=source, year__in={r[2] for r in rows}, category_id__in={r[1] for r in rows}
            ).values_list("municipality_id", "category_id", "year", "month", "count", "status")
        }
        keyed = [
            (code, existing.get((ids[code], c, y, mo)), (n, s)) for code, c, y, mo, n, s in rows
        ]
    for code, before, after in keyed:
        entry = per_kommun.setdefault(code, KommunChange(code, names.get(code, code)))
        entry.rows += 1
        if before is None:
            entry.new += 1
        elif before != after:
            entry.changed += 1
        else:
            entry.unchanged += 1
    result.kommuner = sorted(per_kommun.values(), key=lambda k: k.code)
    for entry in result.kommuner:
        result.new += entry.new
        result.changed += entry.changed
        result.unchanged += entry.unchanged
    return result


def import_file(kind: str, data: bytes, name: str, year: int | None, user):
    """Parse again and write: all or nothing, one ImportRun (audited by the writer)."""
    rows, _parsed = parse(kind, data, name, year)
    if kind == "population":
        return write_population(
            rows, data=data, file_name=name, source_label=POPULATION_SOURCE, user=user
        )
    return write_statistics(rows, data=data, file_name=name, source=_source(kind), user=user)


# --- The file between preview and import ------------------------------------------------


def _directory() -> Path:
    path = Path(settings.MEDBORGARLOFTE_PRIVATE_FILES) / "national-uploads"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def save_upload(user, kind: str, year: int | None, name: str, content: bytes) -> str:
    directory = _directory()
    limit = time.time() - MAX_AGE
    for item in directory.iterdir():
        with contextlib.suppress(OSError):
            if item.stat().st_mtime < limit:
                item.unlink()
    token = secrets.token_urlsafe(24)
    (directory / f"{token}.bin").write_bytes(content)
    os.chmod(directory / f"{token}.bin", 0o600)
    meta = {"user": user.pk, "kind": kind, "year": year, "name": name, "at": time.time()}
    (directory / f"{token}.json").write_text(json.dumps(meta), encoding="utf-8")
    return token


def load_upload(token: str, user) -> dict | None:
    """{"kind", "year", "name", "content"} of the user's own upload, or None."""
    if not token or not token.replace("-", "").replace("_", "").isalnum() or len(token) > 64:
        return None
    directory = _directory()
    try:
        meta = json.loads((directory / f"{token}.json").read_text(encoding="utf-8"))
        content = (directory / f"{token}.bin").read_bytes()
    except (OSError, ValueError):
        return None
    if meta.get("user") != user.pk or meta.get("at", 0) < time.time() - MAX_AGE:
        return None
    return {**meta, "content": content}


def delete_upload(token: str) -> None:
    for suffix in (".bin", ".json"):
        with contextlib.suppress(OSError):
            (_directory() / f"{token}{suffix}").unlink()


# --- Freshness ----------------------------------------------------------------------


def freshness() -> list[str]:
    """One line per national source with data: "Brå 2024, hämtad 12 mars 2025"."""
    sources = [
        (
            _("Brå"),
            ImportRun.objects.filter(source="bra", kind="crime"),
            AreaTotal.objects.filter(source="bra", area="SE").aggregate(y=Max("year"))["y"],
        ),
        (
            _("Kolada"),
            ImportRun.objects.filter(kind="kolada"),
            KpiValue.objects.aggregate(y=Max("year"))["y"],
        ),
        (
            _("SCB population"),
            ImportRun.objects.filter(kind="population"),
            Population.objects.filter(source__startswith="SCB, folkmängd 31")
            .aggregate(y=Max("year"))
            .get("y"),
        ),
    ]
    lines = []
    for label, runs, year in sources:
        run = runs.order_by("-at").first()
        if run is None or year is None:
            continue
        day = date_format(timezone.localtime(run.at).date(), "j F Y")
        lines.append(
            _("%(source)s %(year)s, fetched %(date)s")
            % {"source": label, "year": year, "date": day}
        )
    return lines
