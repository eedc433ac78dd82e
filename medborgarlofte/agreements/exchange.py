"""The agreement exchange format `medborgarlofte/1`: reading, checking and writing documents.

Pure functions, no database writes. `load_document` turns bytes into a plain document,
`validate_document` lists every problem (its rules live in importing.py, next to the
import that depends on them), `canonical_document` gives the one form a valid document
is compared and stored in, `export_version_document` builds that form from a stored
version and `dump_document` writes it as YAML or JSON. Importing lives in importing.py.
See docs/formats/agreement-v1.md.
"""

import datetime
import json
import re
from dataclasses import dataclass

import yaml
from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from medborgarlofte.kommuner.models import Municipality
from medborgarlofte.privacy import uploads

from . import models as m

FORMAT = "medborgarlofte/1"
TOP_KEYS = (
    "format",
    "municipality",
    "title",
    "police_area",
    "period",
    "parties",
    "signed",
    "introduction",
    "basis",
    "focus_areas",
    "crime_categories",
    "sections",
    "effects",
    "follow_up",
    "extensions",
)
TOP_REQUIRED = ("format", "municipality", "period", "parties", "sections")
SCHEDULE_WORDS = ("tertial", "half_year", "year")
SOURCE_PREFIXES = ("crime_statistics", "incidents", "meetings", "survey")
SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_EXACT_INT = 2**53  # baseline/target are stored as floats: larger integers lose digits
MAX_EXTENSION_DEPTH = 32
YEAR_RANGE = (1900, 2100)


# --- Errors -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentIssue:
    path: str  # e.g. "sections[1].commitments[3].owners[0]"; "" for the whole document
    message: str
    line: int | None = None  # 1-based, for syntax errors

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def as_dict(self) -> dict:
        data = {"path": self.path, "message": self.message}
        if self.line is not None:
            data["line"] = self.line
        return data


class DocumentError(Exception):
    """A document that cannot be used; nothing was changed."""

    def __init__(self, errors: list[DocumentIssue], name: str = ""):
        self.errors = list(errors)
        self.name = name
        super().__init__(str(self))

    @classmethod
    def single(cls, name: str, path: str, message: str) -> "DocumentError":
        return cls([DocumentIssue(path, message)], name)

    def __str__(self) -> str:
        prefix = f"{self.name}: " if self.name else ""
        return "\n".join(prefix + str(issue) for issue in self.errors)


def _fail(name: str, message: str, *, path: str = "", line: int | None = None):
    raise DocumentError([DocumentIssue(path, message, line)], name)


# --- Loading ----------------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses explicit tags, anchors, aliases, merge keys and duplicate keys."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        mark = event.start_mark
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(
                problem=_("anchors and aliases (& and *) are not allowed"), problem_mark=mark
            )
        if getattr(event, "tag", None) is not None:
            raise yaml.MarkedYAMLError(
                problem=_("explicit YAML tags (%(tag)s) are not allowed") % {"tag": event.tag},
                problem_mark=mark,
            )
        return super().compose_node(parent, index)

    def flatten_mapping(self, node):
        for key_node, _value in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise yaml.MarkedYAMLError(
                    problem=_("merge keys (<<) are not allowed"), problem_mark=key_node.start_mark
                )

    def construct_mapping(self, node, deep=False):
        self.flatten_mapping(node)
        seen = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (list, dict)):
                raise yaml.MarkedYAMLError(
                    problem=_("a key must be a plain value"), problem_mark=key_node.start_mark
                )
            if key in seen:
                raise yaml.MarkedYAMLError(
                    problem=_('duplicate key "%(key)s"') % {"key": key},
                    problem_mark=key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _load_yaml(text: str, name: str):
    try:
        loader = _StrictLoader(text)
    except yaml.reader.ReaderError as exc:  # a control character, refused before parsing
        line = text.count("\n", 0, exc.position) + 1
        _fail(
            name,
            _("YAML error at line %(line)d, column %(column)d: %(problem)s")
            % {
                "line": line,
                "column": exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1,
                "problem": _("the character U+%(code)04X is not allowed") % {"code": exc.character},
            },
            line=line,
        )
    try:
        loader.get_event()  # stream start
        if loader.check_event(yaml.StreamEndEvent):
            _fail(name, _("the document is empty"))
        node = loader.compose_document()
        if not loader.check_event(yaml.StreamEndEvent):
            line = loader.peek_event().start_mark.line + 1
            _fail(
                name,
                _("line %(line)d: only one YAML document is allowed (found a second one)")
                % {"line": line},
                line=line,
            )
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or str(exc)
        line = mark.line + 1 if mark else None
        if mark:
            problem = _("YAML error at line %(line)d, column %(column)d: %(problem)s") % {
                "line": line,
                "column": mark.column + 1,
                "problem": problem,
            }
        _fail(name, problem, line=line)
    except yaml.YAMLError as exc:
        _fail(name, _("YAML error: %(problem)s") % {"problem": exc})
    finally:
        loader.dispose()


def _refuse_json_constant(value):
    raise ValueError(_("%(value)s is not a number JSON allows") % {"value": value})


def _json_pairs(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(_('duplicate key "%(key)s"') % {"key": key})
        result[key] = value
    return result


def _load_json(text: str, name: str):
    try:
        return json.loads(text, object_pairs_hook=_json_pairs, parse_constant=_refuse_json_constant)
    except json.JSONDecodeError as exc:
        _fail(
            name,
            _("JSON error at line %(line)d, column %(column)d: %(problem)s")
            % {"line": exc.lineno, "column": exc.colno, "problem": exc.msg},
            line=exc.lineno,
        )


def looks_like_json(data: bytes, name: str = "") -> bool:
    if name.lower().endswith(".json"):
        return True
    if name.lower().endswith((".yaml", ".yml")):
        return False
    return data.lstrip()[:1] in (b"{", b"[")


def load_document(data: bytes, *, name: str) -> dict:
    """Parse a YAML or JSON agreement document; DocumentError if it cannot be used.
    The bytes pass privacy.uploads' gate first: at most MAX_AGREEMENT_UPLOAD_BYTES, UTF-8
    text (not a renamed binary file)."""
    limits = uploads.with_max_bytes(None, settings.MAX_AGREEMENT_UPLOAD_BYTES)
    try:
        uploads.check_upload(data, name, kinds={"json", "yaml"}, limits=limits)
    except uploads.UploadRefused as exc:
        _fail(name, exc.message, line=exc.line)
    text = data.decode("utf-8").removeprefix("\ufeff")
    is_json = looks_like_json(data, name)
    try:
        doc = _load_json(text, name) if is_json else _load_yaml(text, name)
    except RecursionError:
        _fail(name, _("the document is nested too deeply"))
    except ValueError as exc:  # e.g. integers with too many digits, duplicate JSON keys
        _fail(name, str(exc))
    if not isinstance(doc, dict):
        _fail(
            name,
            _("expected a map (key: value) at the top level, got %(got)s") % {"got": describe(doc)},
        )
    return doc


# --- Messages -------------------------------------------------------------------------


def describe(value) -> str:
    """What kind of value this is, for error messages."""
    if value is None:
        return _("null")
    if isinstance(value, bool):
        return _("a boolean (%(value)s)") % {"value": "true" if value else "false"}
    if isinstance(value, int):
        return _("an integer (%(value)s)") % {"value": value}
    if isinstance(value, float):
        return _("a number (%(value)s)") % {"value": value}
    if isinstance(value, str):
        return _("a string")
    if isinstance(value, datetime.datetime):
        return _("a date and time")
    if isinstance(value, datetime.date):
        return _("a date")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a map")
    return type(value).__name__


def join(path: str, key) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def validate_document(doc) -> list[DocumentIssue]:
    """Every problem of the document, in document order; [] when it is valid.

    The rules live in importing.py (this module stays under the size limit)."""
    from .validation import validate_document as validate

    return validate(doc)


# --- Canonical form and export ----------------------------------------------------------


def _iso(value) -> str:
    return value.isoformat() if isinstance(value, datetime.date) else value


def _number(value):
    if isinstance(value, float) and value.is_integer() and abs(value) <= MAX_EXACT_INT:
        return int(value)
    return value


def _plain(value):
    """Extension values as JSON values (YAML dates become ISO strings)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _put(target: dict, key: str, value) -> None:
    """Set an optional key, leaving it out when empty."""
    if value is None or (isinstance(value, (str, list, dict)) and len(value) == 0):
        return
    target[key] = value


def default_title(municipality_name: str, year: int) -> str:
    return f"Medborgarlöfte {municipality_name} {year}"


def generate_ref(section_number: int, commitment_number: int, used: set) -> str:
    """A ref like "s2-c5" (1-based), made unique against the refs already used."""
    base = ref = f"s{section_number}-c{commitment_number}"
    suffix = 2
    while ref in used:
        ref, suffix = f"{base}-{suffix}", suffix + 1
    used.add(ref)
    return ref


def canonical_document(doc: dict) -> dict:
    """The one form of a VALID document: spec key order, JSON values only, ISO date strings,
    empty optional keys left out, integral numbers as int, default title and refs filled in."""
    start, end = _iso(doc["period"]["start"]), _iso(doc["period"]["end"])
    out = {"format": FORMAT, "municipality": doc["municipality"]}
    title = doc.get("title")
    if not title:
        name = (
            Municipality.objects.filter(code=doc["municipality"])
            .values_list("name", flat=True)
            .first()
        )
        title = default_title(name or doc["municipality"], int(start[:4]))
    out["title"] = title
    _put(out, "police_area", doc.get("police_area"))
    out["period"] = {"start": start, "end": end}
    out["parties"] = [
        {"key": p["key"], "kind": p["kind"], "name": p["name"]} for p in doc["parties"]
    ]
    signed_in, signed = doc.get("signed") or {}, {}
    _put(signed, "date", _iso(signed_in.get("date")))
    signatories = []
    for item in signed_in.get("signatories") or []:
        entry = {"party": item["party"], "role": item["role"]}
        _put(entry, "name", item.get("name"))
        signatories.append(entry)
    _put(signed, "signatories", signatories)
    _put(out, "signed", signed)
    _put(out, "introduction", doc.get("introduction"))
    basis = []
    for item in doc.get("basis") or []:
        entry = {"kind": item["kind"], "description": item["description"]}
        _put(entry, "years", list(item.get("years") or []))
        basis.append(entry)
    _put(out, "basis", basis)
    _put(
        out,
        "focus_areas",
        [{"key": f["key"], "title": f["title"]} for f in doc.get("focus_areas") or []],
    )
    _put(out, "crime_categories", list(doc.get("crime_categories") or []))
    out["sections"] = _canonical_sections(doc["sections"])
    _put(out, "effects", doc.get("effects"))
    follow_in, follow_up = doc.get("follow_up") or {}, {}
    _put(follow_up, "text", follow_in.get("text"))
    schedule = follow_in.get("schedule")
    _put(
        follow_up,
        "schedule",
        [_iso(d) for d in schedule] if isinstance(schedule, list) else schedule,
    )
    _put(out, "follow_up", follow_up)
    _put(out, "extensions", _plain(doc.get("extensions") or {}))
    return out


def _canonical_sections(sections: list) -> list:
    used = {c["ref"] for s in sections for c in s["commitments"] if c.get("ref")}
    result = []
    for s_index, section in enumerate(sections, start=1):
        entry = {"heading": section["heading"]}
        _put(entry, "focus_area", section.get("focus_area"))
        commitments = []
        for c_index, item in enumerate(section["commitments"], start=1):
            commitment = {"text": item["text"], "owners": list(item["owners"])}
            _put(commitment, "level", item.get("level"))
            _put(commitment, "cadence", item.get("cadence"))
            indicators = []
            for indicator in item.get("indicators") or []:
                ind = {"title": indicator["title"], "kind": indicator["kind"]}
                _put(ind, "unit", indicator.get("unit"))
                _put(ind, "baseline", _number(indicator.get("baseline")))
                _put(ind, "target", _number(indicator.get("target")))
                _put(ind, "direction", indicator.get("direction"))
                _put(ind, "source", indicator.get("source"))
                indicators.append(ind)
            _put(commitment, "indicators", indicators)
            commitment["ref"] = item.get("ref") or generate_ref(s_index, c_index, used)
            commitments.append(commitment)
        entry["commitments"] = commitments
        result.append(entry)
    return result


def _with_content(queryset):
    commitments = m.Commitment.objects.prefetch_related(
        Prefetch("owner_links", queryset=m.CommitmentOwner.objects.select_related("party")),
        "indicators",
    )
    return queryset.select_related("agreement", "municipality").prefetch_related(
        "parties",
        "basis",
        "focus_areas",
        "crime_categories",
        Prefetch("signatories", queryset=m.Signatory.objects.select_related("party")),
        Prefetch(
            "sections",
            queryset=m.Section.objects.select_related("focus_area").prefetch_related(
                Prefetch("commitments", queryset=commitments)
            ),
        ),
    )


def export_version_document(version) -> dict:
    """The canonical document of a stored version (read fresh from the database)."""
    v = _with_content(
        m.AgreementVersion.objects.filter(pk=version.pk, municipality_id=version.municipality_id)
    ).get()
    raw = {
        "municipality": v.municipality.code,
        "title": v.title,
        "police_area": v.police_area,
        "period": {"start": v.agreement.period_start, "end": v.agreement.period_end},
        "parties": [{"key": p.key, "kind": p.kind, "name": p.name} for p in v.parties.all()],
        "signed": {
            "date": v.signed_date,
            "signatories": [
                {"party": s.party.key, "role": s.role, "name": s.name} for s in v.signatories.all()
            ],
        },
        "introduction": v.introduction,
        "basis": [
            {"kind": b.kind, "description": b.description, "years": b.years} for b in v.basis.all()
        ],
        "focus_areas": [{"key": f.key, "title": f.title} for f in v.focus_areas.all()],
        "crime_categories": [c.name for c in v.crime_categories.all()],
        "sections": [
            {
                "heading": s.heading,
                "focus_area": s.focus_area.key if s.focus_area else None,
                "commitments": [_export_commitment(c) for c in s.commitments.all()],
            }
            for s in v.sections.all()
        ],
        "effects": v.effects,
        "follow_up": {"text": v.follow_up_text, "schedule": v.follow_up_schedule},
        "extensions": v.extensions,
    }
    return canonical_document(raw)


def _export_commitment(c) -> dict:
    return {
        "text": c.text,
        "owners": [link.party.key for link in c.owner_links.all()],
        "level": c.level,
        "cadence": c.cadence,
        "indicators": [
            {
                "title": i.title,
                "kind": i.kind,
                "unit": i.unit,
                "baseline": i.baseline,
                "target": i.target,
                "direction": i.direction,
                "source": i.source,
            }
            for i in c.indicators.all()
        ],
        "ref": c.ref,
    }


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):  # our loader refuses anchors and aliases
        return True


def _represent_str(dumper, data):
    if any(ch in data for ch in "\r\x85\u2028\u2029\ufeff"):
        style = '"'  # PyYAML writes these raw in other styles and reads them back changed
    else:
        style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def _yaml_dates(doc: dict) -> dict:
    """Dates as YAML dates (written unquoted, 2024-01-01) where the format has dates."""
    doc = dict(doc)
    doc["period"] = {k: datetime.date.fromisoformat(v) for k, v in doc["period"].items()}
    if "date" in doc.get("signed", {}):
        doc["signed"] = {
            **doc["signed"],
            "date": datetime.date.fromisoformat(doc["signed"]["date"]),
        }
    schedule = doc.get("follow_up", {}).get("schedule")
    if isinstance(schedule, list):
        doc["follow_up"] = {
            **doc["follow_up"],
            "schedule": [datetime.date.fromisoformat(d) for d in schedule],
        }
    return doc


def dump_document(doc: dict, fmt: str = "yaml") -> str:
    """A canonical document as YAML or JSON text (UTF-8, å ä ö written as they are)."""
    if fmt == "json":
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if fmt != "yaml":
        raise ValueError(f"unknown format {fmt!r}")
    return yaml.dump(
        _yaml_dates(doc),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )


# --- Finding an agreement ---------------------------------------------------------------


def agreement_for_year(agreements, year: int):
    """The agreement (of a queryset) whose period starts in `year`; the latest if several."""
    if not 1 <= year <= 9999:  # a date lookup outside Python's date range would raise
        return None
    return (
        agreements.filter(period_start__year=year).order_by("-period_start", "-period_end").first()
    )


def version_of(agreement, number: int | None = None):
    """Version `number` of the agreement, or its latest version; None if there is none."""
    versions = agreement.versions.all()
    if number is not None:
        return versions.filter(number=number).first()
    return versions.order_by("-number").first()
