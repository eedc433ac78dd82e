"""The one form of a valid document, in which it is compared and stored."""

import datetime

from medborgarlofte.kommuner.models import Municipality

from .constants import (
    FORMAT,
    MAX_EXACT_INT,
)


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
