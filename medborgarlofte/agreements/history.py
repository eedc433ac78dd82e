"""What changed between two versions of an agreement.

Works on exchange-format documents (agreements.exchange), so the comparison sees
exactly what a reader of the published document sees. Commitments are matched by
their stable `ref`, focus areas and parties by `key`, sections by position.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TOP_LEVEL_LABELS = {
    "title": gettext_lazy("Title"),
    "police_area": gettext_lazy("Local police area"),
    "period": gettext_lazy("Period"),
    "introduction": gettext_lazy("Introduction"),
    "effects": gettext_lazy("Expected effects"),
    "follow_up": gettext_lazy("Follow-up plan"),
    "signed": gettext_lazy("Signatures"),
    "basis": gettext_lazy("Basis (sources)"),
    "extensions": gettext_lazy("Extensions"),
}


@dataclass(frozen=True)
class Change:
    kind: str  # "added", "removed", "changed", "moved"
    label: str
    old: str = ""
    new: str = ""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return str(value)


def _keyed(items, key):
    return {item[key]: item for item in items or []}


def _commitment_text(commitment) -> str:
    owners = ", ".join(commitment.get("owners", []))
    extra = [commitment.get("level", ""), commitment.get("cadence", "")]
    extra_text = " · ".join(e for e in extra if e)
    suffix = f" [{owners}{' · ' + extra_text if extra_text else ''}]"
    indicators = commitment.get("indicators") or []
    if indicators:
        suffix += " " + _("indicators: %(list)s") % {
            "list": "; ".join(_text(i) for i in indicators)
        }
    return commitment["text"] + suffix


def diff_documents(old: dict, new: dict) -> list[Change]:
    changes: list[Change] = []
    for key, label in TOP_LEVEL_LABELS.items():
        if old.get(key) != new.get(key):
            changes.append(Change("changed", str(label), _text(old.get(key)), _text(new.get(key))))

    old_parties, new_parties = _keyed(old.get("parties"), "key"), _keyed(new.get("parties"), "key")
    for key in old_parties.keys() | new_parties.keys():
        a, b = old_parties.get(key), new_parties.get(key)
        if a != b:
            kind = "added" if a is None else "removed" if b is None else "changed"
            changes.append(Change(kind, _("Party %(key)s") % {"key": key}, _text(a), _text(b)))

    old_areas, new_areas = (
        _keyed(old.get("focus_areas"), "key"),
        _keyed(new.get("focus_areas"), "key"),
    )
    for key in [*old_areas, *[k for k in new_areas if k not in old_areas]]:
        a, b = old_areas.get(key, {}).get("title"), new_areas.get(key, {}).get("title")
        if a != b:
            kind = "added" if a is None else "removed" if b is None else "changed"
            changes.append(Change(kind, _("Focus area"), a or "", b or ""))

    old_cats, new_cats = old.get("crime_categories") or [], new.get("crime_categories") or []
    for name in old_cats:
        if name not in new_cats:
            changes.append(Change("removed", _("Crime category"), name, ""))
    for name in new_cats:
        if name not in old_cats:
            changes.append(Change("added", _("Crime category"), "", name))

    old_sections, new_sections = old.get("sections") or [], new.get("sections") or []
    for index in range(max(len(old_sections), len(new_sections))):
        a = old_sections[index] if index < len(old_sections) else None
        b = new_sections[index] if index < len(new_sections) else None
        label = _("Section %(number)s") % {"number": index + 1}
        if a is None or b is None:
            kind = "added" if a is None else "removed"
            changes.append(
                Change(kind, label, (a or {}).get("heading", ""), (b or {}).get("heading", ""))
            )
        elif (a.get("heading"), a.get("focus_area")) != (b.get("heading"), b.get("focus_area")):
            changes.append(
                Change(
                    "changed",
                    label,
                    _text([a.get("heading"), a.get("focus_area")]),
                    _text([b.get("heading"), b.get("focus_area")]),
                )
            )

    changes.extend(_commitment_changes(old_sections, new_sections))
    return changes


def _commitment_changes(old_sections, new_sections) -> list[Change]:
    def flatten(sections):
        out = {}
        for s_index, section in enumerate(sections):
            for c_index, commitment in enumerate(section.get("commitments") or []):
                out[commitment.get("ref") or f"{s_index}.{c_index}"] = (
                    s_index,
                    c_index,
                    commitment,
                )
        return out

    old_c, new_c = flatten(old_sections), flatten(new_sections)
    changes = []
    for ref, (s_index, c_index, commitment) in old_c.items():
        label = _("Commitment %(ref)s") % {"ref": ref}
        if ref not in new_c:
            changes.append(Change("removed", label, _commitment_text(commitment), ""))
            continue
        ns, nc, new_commitment = new_c[ref]
        if {k: v for k, v in commitment.items() if k != "ref"} != {
            k: v for k, v in new_commitment.items() if k != "ref"
        }:
            changes.append(
                Change(
                    "changed", label, _commitment_text(commitment), _commitment_text(new_commitment)
                )
            )
        elif (s_index, c_index) != (ns, nc):
            changes.append(
                Change(
                    "moved",
                    label,
                    _("section %(s)s, place %(c)s") % {"s": s_index + 1, "c": c_index + 1},
                    _("section %(s)s, place %(c)s") % {"s": ns + 1, "c": nc + 1},
                )
            )
    for ref, (_s, _c, commitment) in new_c.items():
        if ref not in old_c:
            changes.append(
                Change(
                    "added",
                    _("Commitment %(ref)s") % {"ref": ref},
                    "",
                    _commitment_text(commitment),
                )
            )
    return changes


def version_history(agreement) -> list[dict]:
    """Every version, newest first, each with the changes against the version before it."""
    from .exchange import export_version_document

    versions = list(agreement.versions.order_by("number"))
    documents = [export_version_document(v) for v in versions]
    history = []
    for index, version in enumerate(versions):
        changes = diff_documents(documents[index - 1], documents[index]) if index else []
        history.append({"version": version, "changes": changes, "first": index == 0})
    history.reverse()
    return history
