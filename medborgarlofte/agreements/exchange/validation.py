"""Every rule of the exchange format, checked on a parsed document.

`validate_document` collects all problems with their paths (exported by the package as
exchange.validate_document). See docs/formats/agreement-v1.md.
"""

import datetime
import difflib
import math
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medborgarlofte.kommuner.models import Municipality

from .. import models as m
from .constants import (
    DATE_RE,
    FORMAT,
    MAX_EXACT_INT,
    MAX_EXTENSION_DEPTH,
    SCHEDULE_WORDS,
    SLUG_RE,
    SOURCE_PREFIXES,
    TOP_KEYS,
    TOP_REQUIRED,
    YEAR_RANGE,
)
from .issues import DocumentIssue, describe, join


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class _Checker:
    def __init__(self):
        self.issues: list[DocumentIssue] = []

    def error(self, path: str, message: str) -> None:
        self.issues.append(DocumentIssue(path, message))

    def expected(self, path: str, what: str, value) -> None:
        self.error(
            path,
            _("expected %(expected)s, got %(got)s") % {"expected": what, "got": describe(value)},
        )

    def mapping(self, value, path, required=(), optional=()):
        if not isinstance(value, dict):
            self.expected(path, _("a map"), value)
            return None
        allowed = [*required, *optional]
        for key in value:
            if key in allowed:
                continue
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = (_(' (did you mean "%(key)s"?)') % {"key": close[0]}) if close else ""
            self.error(
                join(path, str(key)),
                _('unknown key "%(key)s"%(hint)s; allowed keys: %(allowed)s')
                % {"key": key, "hint": hint, "allowed": ", ".join(allowed)},
            )
        for key in required:
            if key not in value:
                self.error(join(path, key), _("required key is missing"))
        return value

    def items(self, value, path, *, min_items=0):
        if not isinstance(value, list):
            self.expected(path, _("a list"), value)
            return []
        if len(value) < min_items:
            self.error(path, _("must contain at least %(count)d item(s)") % {"count": min_items})
        return value

    def string(self, value, path, *, max_length=None, allow_empty=False):
        if not isinstance(value, str):
            self.expected(path, _("a string"), value)
            return None
        if "\x00" in value:
            self.error(path, _("must not contain NUL characters"))
            return None
        if not allow_empty and not value.strip():
            self.error(path, _("must not be empty"))
            return None
        if max_length is not None and len(value) > max_length:
            self.error(
                path,
                _("too long: %(length)d characters, at most %(max)d")
                % {"length": len(value), "max": max_length},
            )
            return None
        return value

    def choice(self, value, path, choices):
        if not isinstance(value, str):
            self.expected(path, _("one of: %(choices)s") % {"choices": ", ".join(choices)}, value)
            return None
        if value not in choices:
            self.error(
                path,
                _('"%(value)s" is not allowed; expected one of: %(choices)s')
                % {"value": value, "choices": ", ".join(choices)},
            )
            return None
        return value

    def slug(self, value, path, max_length, seen: dict):
        key = self.string(value, path, max_length=max_length)
        if key is None:
            return None
        if not SLUG_RE.match(key):
            self.error(
                path,
                _('"%(value)s" is not a valid key: use only letters a–z, digits, "-" and "_"')
                % {"value": key},
            )
            return None
        if key in seen:
            self.error(
                path,
                _('duplicate key "%(key)s" (already used at %(other)s)')
                % {"key": key, "other": seen[key]},
            )
            return None
        seen[key] = path
        return key

    def date(self, value, path):
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value
        if isinstance(value, str) and DATE_RE.match(value):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                self.error(path, _('"%(value)s" is not a valid date') % {"value": value})
                return None
        self.expected(path, _("an ISO date (YYYY-MM-DD)"), value)
        return None

    def number(self, value, path):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.expected(path, _("a number"), value)
        elif isinstance(value, float) and not math.isfinite(value):
            self.error(path, _("must be a finite number"))
        elif isinstance(value, int) and abs(value) > MAX_EXACT_INT:
            self.error(path, _("too large: at most %(max)d") % {"max": MAX_EXACT_INT})

    def reference(self, value, path, declared: dict, what: str, declared_label: str):
        if not isinstance(value, str):
            self.expected(path, _("the key of a declared %(what)s") % {"what": what}, value)
            return None
        if value not in declared:
            self.error(
                path,
                _('unknown %(what)s "%(value)s" (%(label)s: %(declared)s)')
                % {
                    "what": what,
                    "value": value,
                    "label": declared_label,
                    "declared": ", ".join(declared) or _("none"),
                },
            )
            return None
        return value

    def json_value(self, value, path, depth=0):
        if depth > MAX_EXTENSION_DEPTH:
            self.error(
                path, _("nested too deeply (at most %(max)d levels)") % {"max": MAX_EXTENSION_DEPTH}
            )
        elif isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    self.expected(join(path, str(key)), _("a string key"), key)
                elif "\x00" in key:
                    self.error(join(path, key), _("must not contain NUL characters"))
                else:
                    self.json_value(item, join(path, key), depth + 1)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.json_value(item, join(path, index), depth + 1)
        elif isinstance(value, float) and not math.isfinite(value):
            self.error(path, _("must be a finite number"))
        elif isinstance(value, float) and abs(value) >= MAX_EXACT_INT:
            # PostgreSQL keeps such numbers as exact decimals: they would come back changed.
            self.error(
                path,
                _(
                    "a decimal number this large cannot be kept exactly; write it "
                    "as an integer or a string"
                ),
            )
        elif isinstance(value, str) and "\x00" in value:
            self.error(path, _("must not contain NUL characters"))
        elif not (value is None or isinstance(value, (str, int, float, datetime.date))):
            self.expected(path, _("a plain value"), value)


def validate_document(doc) -> list[DocumentIssue]:
    """Every problem of the document, in document order; [] when it is valid."""
    c = _Checker()
    if c.mapping(doc, "", TOP_REQUIRED, [k for k in TOP_KEYS if k not in TOP_REQUIRED]) is None:
        return c.issues
    _check_header(c, doc)
    parties = _check_parties(c, doc)
    if "signed" in doc:
        _check_signed(c, doc["signed"], parties)
    for index, item in enumerate(c.items(doc.get("basis", []), "basis")):
        _check_basis(c, item, join("basis", index))
    focus_areas: dict = {}
    for index, item in enumerate(c.items(doc.get("focus_areas", []), "focus_areas")):
        path = join("focus_areas", index)
        if c.mapping(item, path, ("key", "title")) is not None:
            c.slug(item.get("key"), join(path, "key"), _max_length(m.FocusArea, "key"), focus_areas)
            c.string(
                item.get("title"), join(path, "title"), max_length=_max_length(m.FocusArea, "title")
            )
    seen_categories: dict = {}
    for index, name in enumerate(c.items(doc.get("crime_categories", []), "crime_categories")):
        path = join("crime_categories", index)
        if c.string(name, path, max_length=_max_length(m.PriorityCategory, "name")) is not None:
            folded = " ".join(name.casefold().split())
            if folded in seen_categories:
                c.error(
                    path,
                    _('"%(name)s" is listed twice (also at %(other)s)')
                    % {"name": name, "other": seen_categories[folded]},
                )
            seen_categories.setdefault(folded, path)
    refs: dict = {}
    for index, section in enumerate(c.items(doc.get("sections"), "sections")):
        _check_section(c, section, join("sections", index), parties, focus_areas, refs)
    _check_follow_up(c, doc)
    if "extensions" in doc:
        if isinstance(doc["extensions"], dict):
            c.json_value(doc["extensions"], "extensions")
        else:
            c.expected("extensions", _("a map"), doc["extensions"])
    return c.issues


def _check_header(c: _Checker, doc: dict) -> None:
    if "format" in doc and doc["format"] != FORMAT:
        if isinstance(doc["format"], str):
            c.error(
                "format",
                _('unsupported format "%(value)s"; expected "%(format)s"')
                % {"value": doc["format"], "format": FORMAT},
            )
        else:
            c.expected("format", f'"{FORMAT}"', doc["format"])
    if "municipality" in doc:
        code = doc["municipality"]
        if isinstance(code, int) and not isinstance(code, bool):
            c.error(
                "municipality",
                _(
                    "expected a kommun code as a quoted string of four digits "
                    '(e.g. "0642"), got %(got)s'
                )
                % {"got": describe(code)},
            )
        elif c.string(code, "municipality") is None:
            pass
        elif not re.fullmatch(r"[0-9]{4}", code):
            c.error(
                "municipality",
                _('"%(value)s" is not a kommun code: expected four digits, e.g. "0642"')
                % {"value": code},
            )
        elif not Municipality.objects.filter(code=code).exists():
            c.error("municipality", _('unknown kommun code "%(value)s"') % {"value": code})
    V = m.AgreementVersion
    if "title" in doc:
        c.string(doc["title"], "title", max_length=_max_length(V, "title"))
    if "police_area" in doc:
        c.string(
            doc["police_area"],
            "police_area",
            max_length=_max_length(V, "police_area"),
            allow_empty=True,
        )
    for key in ("introduction", "effects"):
        if key in doc:
            c.string(doc[key], key, allow_empty=True)
    if "period" in doc and c.mapping(doc["period"], "period", ("start", "end")) is not None:
        start = c.date(doc["period"]["start"], "period.start") if "start" in doc["period"] else None
        end = c.date(doc["period"]["end"], "period.end") if "end" in doc["period"] else None
        if start and end and end < start:
            c.error(
                "period.end",
                _("the period ends (%(end)s) before it starts (%(start)s)")
                % {"end": end.isoformat(), "start": start.isoformat()},
            )


def _check_parties(c: _Checker, doc: dict) -> dict:
    parties: dict = {}
    if "parties" not in doc:
        return parties
    for index, item in enumerate(c.items(doc["parties"], "parties", min_items=1)):
        path = join("parties", index)
        if c.mapping(item, path, ("key", "kind", "name")) is None:
            continue
        c.slug(item.get("key"), join(path, "key"), _max_length(m.Party, "key"), parties)
        c.choice(item.get("kind"), join(path, "kind"), m.Party.Kind.values)
        c.string(item.get("name"), join(path, "name"), max_length=_max_length(m.Party, "name"))
    return parties


def _check_signed(c: _Checker, signed, parties: dict) -> None:
    if c.mapping(signed, "signed", optional=("date", "signatories")) is None:
        return
    if "date" in signed:
        c.date(signed["date"], "signed.date")
    for index, item in enumerate(c.items(signed.get("signatories", []), "signed.signatories")):
        path = join("signed.signatories", index)
        if c.mapping(item, path, ("party", "role"), ("name",)) is None:
            continue
        c.reference(
            item.get("party"), join(path, "party"), parties, _("party"), _("declared parties")
        )
        c.string(item.get("role"), join(path, "role"), max_length=_max_length(m.Signatory, "role"))
        if "name" in item:
            c.string(
                item["name"],
                join(path, "name"),
                allow_empty=True,
                max_length=_max_length(m.Signatory, "name"),
            )


def _check_basis(c: _Checker, item, path: str) -> None:
    if c.mapping(item, path, ("kind", "description"), ("years",)) is None:
        return
    c.choice(item.get("kind"), join(path, "kind"), m.BasisItem.Kind.values)
    c.string(item.get("description"), join(path, "description"))
    for index, year in enumerate(c.items(item.get("years", []), join(path, "years"))):
        if isinstance(year, bool) or not isinstance(year, int):
            c.expected(join(join(path, "years"), index), _("a year (integer)"), year)
        elif not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
            c.error(
                join(join(path, "years"), index),
                _("%(year)d is not a year between %(min)d and %(max)d")
                % {"year": year, "min": YEAR_RANGE[0], "max": YEAR_RANGE[1]},
            )


def _check_section(c: _Checker, section, path, parties, focus_areas, refs) -> None:
    if c.mapping(section, path, ("heading", "commitments"), ("focus_area",)) is None:
        return
    c.string(
        section.get("heading"), join(path, "heading"), max_length=_max_length(m.Section, "heading")
    )
    if "focus_area" in section:
        c.reference(
            section["focus_area"],
            join(path, "focus_area"),
            focus_areas,
            _("focus area"),
            _("declared focus areas"),
        )
    if "commitments" not in section:
        return
    commitments = c.items(section["commitments"], join(path, "commitments"), min_items=1)
    for index, item in enumerate(commitments):
        _check_commitment(c, item, join(join(path, "commitments"), index), parties, refs)


def _check_commitment(c: _Checker, item, path, parties, refs) -> None:
    optional = ("level", "cadence", "indicators", "ref")
    if c.mapping(item, path, ("text", "owners"), optional) is None:
        return
    c.string(item.get("text"), join(path, "text"))
    owners_path = join(path, "owners")
    seen: set = set()
    for index, owner in enumerate(c.items(item.get("owners", []), owners_path, min_items=1)):
        party = c.reference(
            owner, join(owners_path, index), parties, _("party"), _("declared parties")
        )
        if party is not None and party in seen:
            c.error(join(owners_path, index), _('party "%(key)s" is listed twice') % {"key": party})
        seen.add(party)
    if "level" in item:
        c.choice(item["level"], join(path, "level"), m.Level.values)
    if "cadence" in item:
        c.choice(item["cadence"], join(path, "cadence"), m.Cadence.values)
    if "ref" in item:
        ref = c.string(item["ref"], join(path, "ref"), max_length=_max_length(m.Commitment, "ref"))
        if ref is not None and "/" in ref:  # a ref is a segment of the follow-up addresses
            c.error(
                join(path, "ref"),
                _('"%(ref)s" cannot be a ref: it must not contain "/"') % {"ref": ref},
            )
        elif ref is not None and ref in refs:
            c.error(
                join(path, "ref"),
                _('duplicate ref "%(ref)s" (already used at %(other)s)')
                % {"ref": ref, "other": refs[ref]},
            )
        elif ref is not None:
            refs[ref] = join(path, "ref")
    for index, indicator in enumerate(
        c.items(item.get("indicators", []), join(path, "indicators"))
    ):
        _check_indicator(c, indicator, join(join(path, "indicators"), index))


def _check_indicator(c: _Checker, item, path) -> None:
    optional = ("unit", "baseline", "target", "direction", "source")
    if c.mapping(item, path, ("title", "kind"), optional) is None:
        return
    I = m.Indicator  # noqa: E741
    c.string(item.get("title"), join(path, "title"), max_length=_max_length(I, "title"))
    c.choice(item.get("kind"), join(path, "kind"), I.Kind.values)
    if "unit" in item:
        c.string(
            item["unit"], join(path, "unit"), max_length=_max_length(I, "unit"), allow_empty=True
        )
    for key in ("baseline", "target"):
        if key in item:
            c.number(item[key], join(path, key))
    if "direction" in item:
        c.choice(item["direction"], join(path, "direction"), I.Direction.values)
    if "source" in item:
        source = c.string(item["source"], join(path, "source"), max_length=_max_length(I, "source"))
        problem = indicator_source_problem(source or "")
        if problem:
            c.error(join(path, "source"), problem)


def indicator_source_problem(source: str) -> str | None:
    """Why a text is not an indicator source, or None. The editor's form and the exchange
    format use this one rule, so whatever the editor accepts can be published, exported
    and copied into a new version (security finding 5, issue 11)."""
    prefix, _sep, rest = source.partition(":")
    if source and source != "manual" and not (prefix in SOURCE_PREFIXES and rest.strip()):
        return _(
            '"%(value)s" is not a source: expected "manual" or '
            'one of %(prefixes)s followed by ":" and a name'
        ) % {"value": source, "prefixes": ", ".join(p + ":" for p in SOURCE_PREFIXES)}
    return None


# Words for the parts of a document, for messages shown in the editor: (one, the list).
PATH_LABELS = {
    "sections": (gettext_lazy("section"), gettext_lazy("sections")),
    "commitments": (gettext_lazy("commitment"), gettext_lazy("commitments")),
    "indicators": (gettext_lazy("indicator"), gettext_lazy("indicators")),
    "owners": (gettext_lazy("owner"), gettext_lazy("owners")),
    "basis": (gettext_lazy("basis item"), gettext_lazy("basis")),
    "focus_areas": (gettext_lazy("focus area"), gettext_lazy("focus areas")),
    "parties": (gettext_lazy("party"), gettext_lazy("parties")),
    "signed": (gettext_lazy("signature"), gettext_lazy("signatures")),
    "heading": (gettext_lazy("heading"), gettext_lazy("heading")),
    "text": (gettext_lazy("text"), gettext_lazy("text")),
    "title": (gettext_lazy("title"), gettext_lazy("title")),
    "source": (gettext_lazy("data source"), gettext_lazy("data source")),
    "follow_up": (gettext_lazy("follow-up plan"), gettext_lazy("follow-up plan")),
}


def readable_path(path: str) -> str:
    """ "sections[4].commitments[0].text" as "avsnitt 5 › åtagande 1 › text"."""
    parts = []
    for key, index in re.findall(r"(\w+)(?:\[(\d+)\])?", path):
        one, many = PATH_LABELS.get(key, (key, key))
        parts.append(f"{one} {int(index) + 1}" if index else str(many))
    return " › ".join(parts)


def readable_issues(issues, limit: int = 10) -> list[str]:
    """Issues as lines for the editor: readable path, then the message."""
    return [
        f"{readable_path(issue.path)}: {issue.message}" if issue.path else issue.message
        for issue in issues[:limit]
    ]


def _check_follow_up(c: _Checker, doc: dict) -> None:
    if "follow_up" not in doc:
        return
    follow_up = c.mapping(doc["follow_up"], "follow_up", optional=("text", "schedule"))
    if follow_up is None:
        return
    if "text" in follow_up:
        c.string(follow_up["text"], "follow_up.text", allow_empty=True)
    if "schedule" not in follow_up:
        return
    schedule = follow_up["schedule"]
    if isinstance(schedule, str):
        c.choice(schedule, "follow_up.schedule", SCHEDULE_WORDS)
    elif isinstance(schedule, list):
        for index, value in enumerate(schedule):
            c.date(value, join("follow_up.schedule", index))
    else:
        c.expected(
            "follow_up.schedule",
            _("a list of ISO dates or one of: %(choices)s")
            % {"choices": ", ".join(SCHEDULE_WORDS)},
            schedule,
        )
