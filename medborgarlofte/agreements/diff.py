"""What changed between two versions of a medborgarlöfte, in plain Swedish (issue 18).

Pure functions on exchange-format documents (agreements.exchange), so the comparison
sees exactly what a reader of the document sees; the pieces (Change, word_diff, values
in words) are in accounts/diffing.py. diff_agreements(old, new) returns the changes in
the order of the document: the title and facts, parties, signatures, introduction,
basis, focus areas, priority crime categories, sections and their commitments, effects
and the follow-up plan.

How things are matched: parties and focus areas by their `key`; commitments by their
stable `ref` (then by their text); sections by heading, then focus area, then in order;
indicators by title, then in order. A commitment "moved" when it is in another section,
or when its order among the commitments kept in its section changed (removing one
commitment does not move the rest).

Every value is written in words: choices by their labels (Strategisk, Varje vecka,
Prestation, Ökning), parties by their names, numbers and dates in Swedish. No raw key of
the format is shown. With public=True the result holds only what the public page shows
(no extensions); the caller passes documents that went through the privacy gate.
"""

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medborgarlofte.accounts.diffing import (
    ADDED,
    KIND_ADDED,
    KIND_CHANGED,
    KIND_MOVED,
    KIND_REMOVED,
    REMOVED,
    SAME,
    Change,
    choice,
    field_change,
    from_to,
    moved_items,
    names,
    pair_by,
    text_change,
    value,
    whole,
    word_diff,
)

from .models import BasisItem, Cadence, Commitment, Indicator, Level, Party

SCHEDULE_WORDS = {
    "tertial": gettext_lazy("every tertial"),
    "quarter": gettext_lazy("every quarter"),
    "kvartal": gettext_lazy("every quarter"),
    "half_year": gettext_lazy("every half year"),
    "halvår": gettext_lazy("every half year"),
    "year": gettext_lazy("every year"),
}
INDICATOR_FIELDS = ("kind", "unit", "baseline", "target", "direction", "source")


def _label(model, field: str) -> str:
    return capfirst(str(model._meta.get_field(field).verbose_name))


def _quoted(text) -> str:
    return _("“%(text)s”") % {"text": text}


# --- The whole document -----------------------------------------------------------------


def diff_agreements(old: dict, new: dict, *, public: bool = False) -> list[Change]:
    """The changes from document `old` to document `new`, in document order."""
    changes: list[Change | None] = [
        text_change(_("Title"), old.get("title"), new.get("title")),
        text_change(_("Local police area"), old.get("police_area"), new.get("police_area")),
        field_change(_("Period"), _period(old), _period(new)),
        *_parties(old, new),
        *_signatures(old, new),
        text_change(_("Introduction"), old.get("introduction"), new.get("introduction")),
        *_basis(old.get("basis") or [], new.get("basis") or []),
        *_focus_areas(old.get("focus_areas") or [], new.get("focus_areas") or []),
        *_crime_categories(old.get("crime_categories") or [], new.get("crime_categories") or []),
        *_sections(old, new),
        text_change(_("Expected effects"), old.get("effects"), new.get("effects")),
        text_change(
            _("Follow-up plan"),
            (old.get("follow_up") or {}).get("text"),
            (new.get("follow_up") or {}).get("text"),
        ),
        field_change(_("Follow-up dates"), _schedule(old), _schedule(new)),
    ]
    if not public and (old.get("extensions") or {}) != (new.get("extensions") or {}):
        changes.append(
            Change(
                KIND_CHANGED,
                _("The additional machine-readable data (extensions) was changed."),
            )
        )
    return [change for change in changes if change is not None]


def _period(doc) -> str:
    period = doc.get("period") or {}
    if not period:
        return value(None)
    return f"{value(period.get('start'))} – {value(period.get('end'))}"


def _schedule(doc) -> str:
    schedule = (doc.get("follow_up") or {}).get("schedule")
    if isinstance(schedule, str):
        return str(SCHEDULE_WORDS.get(schedule, schedule))
    return value(schedule)


# --- Parties and signatures -------------------------------------------------------------


def _party_names(doc) -> dict:
    return {p["key"]: p["name"] for p in doc.get("parties") or []}


def _owners(doc, keys) -> str:
    found = _party_names(doc)
    return names(found.get(key, key) for key in keys or [])


def _parties(old, new) -> list[Change]:
    changes = []
    for a, b in pair_by(old.get("parties") or [], new.get("parties") or [], [lambda p: p["key"]]):
        if a is None:
            changes.append(
                Change(
                    KIND_ADDED,
                    _("Party added: %(name)s (%(kind)s).")
                    % {"name": b["name"], "kind": choice(Party.Kind, b.get("kind"))},
                )
            )
        elif b is None:
            changes.append(
                Change(KIND_REMOVED, _("Party removed: %(name)s.") % {"name": a["name"]})
            )
        elif a != b:
            details = []
            if a.get("kind") != b.get("kind"):
                details.append(
                    from_to(
                        _label(Party, "kind"),
                        choice(Party.Kind, a.get("kind")),
                        choice(Party.Kind, b.get("kind")),
                    )
                )
            if a["name"] != b["name"]:
                sentence = _("Party %(old)s was renamed %(new)s.") % {
                    "old": _quoted(a["name"]),
                    "new": _quoted(b["name"]),
                }
            else:
                sentence = _("Party %(name)s was changed.") % {"name": _quoted(b["name"])}
            changes.append(Change(KIND_CHANGED, sentence, details=tuple(details)))
    return changes


def _signatory(doc, item) -> str:
    party = _party_names(doc).get(item.get("party"), item.get("party"))
    if item.get("name"):
        return _("%(role)s %(name)s (%(party)s)") % {
            "role": item["role"],
            "name": item["name"],
            "party": party,
        }
    return _("%(role)s (%(party)s)") % {"role": item["role"], "party": party}


def _signatures(old, new) -> list[Change]:
    old_signed, new_signed = old.get("signed") or {}, new.get("signed") or {}
    changes = [
        field_change(_("Signed on"), value(old_signed.get("date")), value(new_signed.get("date")))
    ]
    pairs = pair_by(
        old_signed.get("signatories") or [],
        new_signed.get("signatories") or [],
        [lambda s: (s.get("party"), s.get("role"))],
        by_position=True,
    )
    for a, b in pairs:
        if a is None:
            changes.append(
                Change(KIND_ADDED, _("Signatory added: %(who)s.") % {"who": _signatory(new, b)})
            )
        elif b is None:
            changes.append(
                Change(KIND_REMOVED, _("Signatory removed: %(who)s.") % {"who": _signatory(old, a)})
            )
        elif _signatory(old, a) != _signatory(new, b):
            changes.append(
                Change(
                    KIND_CHANGED, from_to(_("Signatory"), _signatory(old, a), _signatory(new, b))
                )
            )
    return [c for c in changes if c is not None]


# --- Basis, focus areas, crime categories ------------------------------------------------


def _basis_kind(item) -> str:
    return choice(BasisItem.Kind, item.get("kind"))


def _basis_text(item) -> str:
    text = f"{_basis_kind(item)}: {item['description']}"
    if item.get("years"):
        text += f" ({', '.join(str(y) for y in item['years'])})"
    return text


def _basis(old_items, new_items) -> list[Change]:
    changes = []
    pairs = pair_by(
        old_items,
        new_items,
        [lambda b: (b.get("kind"), b["description"]), lambda b: b["description"]],
        by_position=True,
    )
    for a, b in pairs:
        if a is None:
            changes.append(
                Change(KIND_ADDED, _("Added to the basis:"), whole(_basis_text(b), ADDED))
            )
        elif b is None:
            changes.append(
                Change(KIND_REMOVED, _("Removed from the basis:"), whole(_basis_text(a), REMOVED))
            )
        elif a != b:
            details = []
            if a.get("kind") != b.get("kind"):
                details.append(from_to(_label(BasisItem, "kind"), _basis_kind(a), _basis_kind(b)))
            if (a.get("years") or []) != (b.get("years") or []):
                details.append(
                    from_to(
                        _label(BasisItem, "years"),
                        names(str(y) for y in a.get("years") or []),
                        names(str(y) for y in b.get("years") or []),
                    )
                )
            changes.append(
                Change(
                    KIND_CHANGED,
                    _("Basis changed (%(kind)s):") % {"kind": _basis_kind(b)},
                    word_diff(a["description"], b["description"]),
                    tuple(details),
                )
            )
    return changes


def _focus_areas(old_items, new_items) -> list[Change]:
    changes = []
    for a, b in pair_by(old_items, new_items, [lambda f: f["key"]]):
        if a is None:
            changes.append(
                Change(
                    KIND_ADDED, _("Focus area added: %(title)s.") % {"title": _quoted(b["title"])}
                )
            )
        elif b is None:
            changes.append(
                Change(
                    KIND_REMOVED,
                    _("Focus area removed: %(title)s.") % {"title": _quoted(a["title"])},
                )
            )
        elif a["title"] != b["title"]:
            changes.append(
                Change(KIND_CHANGED, _("Focus area renamed:"), word_diff(a["title"], b["title"]))
            )
    return changes


def _crime_categories(old_names, new_names) -> list[Change]:
    changes = [
        Change(KIND_REMOVED, _("Priority crime category removed: %(name)s.") % {"name": name})
        for name in old_names
        if name not in new_names
    ]
    changes += [
        Change(KIND_ADDED, _("Priority crime category added: %(name)s.") % {"name": name})
        for name in new_names
        if name not in old_names
    ]
    return changes


# --- Sections and commitments ------------------------------------------------------------


def _area_title(doc, key) -> str:
    titles = {f["key"]: f["title"] for f in doc.get("focus_areas") or []}
    return titles.get(key, key) if key else _("none")


def _sections(old, new) -> list[Change]:
    old_sections, new_sections = old.get("sections") or [], new.get("sections") or []
    indexed_old = list(enumerate(old_sections))
    indexed_new = list(enumerate(new_sections))
    pairs = pair_by(
        indexed_old,
        indexed_new,
        [lambda s: s[1]["heading"], lambda s: s[1].get("focus_area") or object()],
        by_position=True,
    )
    # Each pair of sections gets an id; a section only in one version gets its own.
    old_id, new_id = {}, {}
    for pair_id, (a, b) in enumerate(pairs):
        if a is not None:
            old_id[a[0]] = pair_id
        if b is not None:
            new_id[b[0]] = pair_id
    kept_order_old = [old_id[i] for i, _s in indexed_old if pairs[old_id[i]][1] is not None]
    kept_order_new = [new_id[j] for j, _s in indexed_new if pairs[new_id[j]][0] is not None]
    moved = moved_items(kept_order_old, kept_order_new)

    changes: list[Change] = []
    for pair_id, (a, b) in enumerate(pairs):
        if a is None:
            changes.append(
                Change(
                    KIND_ADDED,
                    _("Section added: %(heading)s.") % {"heading": _quoted(b[1]["heading"])},
                )
            )
            continue
        if b is None:
            changes.append(
                Change(
                    KIND_REMOVED,
                    _("Section removed: %(heading)s.") % {"heading": _quoted(a[1]["heading"])},
                )
            )
            continue
        (old_index, sa), (new_index, sb) = a, b
        if sa["heading"] != sb["heading"]:
            changes.append(
                Change(
                    KIND_CHANGED,
                    _("Section heading changed:"),
                    word_diff(sa["heading"], sb["heading"]),
                )
            )
        if sa.get("focus_area") != sb.get("focus_area"):
            changes.append(
                Change(
                    KIND_CHANGED,
                    from_to(
                        _("Focus area of the section %(heading)s")
                        % {"heading": _quoted(sb["heading"])},
                        _area_title(old, sa.get("focus_area")),
                        _area_title(new, sb.get("focus_area")),
                    ),
                )
            )
        if pair_id in moved:
            changes.append(
                Change(
                    KIND_MOVED,
                    _("Section %(heading)s moved from place %(old)s to place %(new)s.")
                    % {
                        "heading": _quoted(sb["heading"]),
                        "old": old_index + 1,
                        "new": new_index + 1,
                    },
                )
            )
    changes += _commitments(old, new, old_id, new_id)
    return changes


def _flatten(sections, section_ids) -> list[dict]:
    return [
        {
            "section": section_ids[s_index],
            "heading": section["heading"],
            "place": c_index + 1,
            "commitment": commitment,
        }
        for s_index, section in enumerate(sections)
        for c_index, commitment in enumerate(section.get("commitments") or [])
    ]


def _commitments(old, new, old_ids, new_ids) -> list[Change]:
    old_items = _flatten(old.get("sections") or [], old_ids)
    new_items = _flatten(new.get("sections") or [], new_ids)
    pairs = pair_by(
        old_items,
        new_items,
        [lambda c: c["commitment"].get("ref") or object(), lambda c: c["commitment"]["text"]],
    )
    # Moves inside one section: the order of the commitments kept in the same section.
    within = set()
    for section in set(new_ids.values()):
        same = [(a, b) for a, b in pairs if a and b and a["section"] == b["section"] == section]
        order_old = [id(b) for a, b in sorted(same, key=lambda p: p[0]["place"])]
        order_new = [id(b) for a, b in sorted(same, key=lambda p: p[1]["place"])]
        within |= moved_items(order_old, order_new)

    changes = []
    for a, b in pairs:
        if a is None:
            changes.append(_added_commitment(new, b))
        elif b is None:
            changes.append(
                Change(
                    KIND_REMOVED,
                    _("Commitment removed from %(section)s:") % {"section": _quoted(a["heading"])},
                    whole(a["commitment"]["text"], REMOVED),
                )
            )
        else:
            change = _changed_commitment(old, new, a, b, moved_within=id(b) in within)
            if change is not None:
                changes.append(change)
    return changes


def _indicator_facts(item) -> str:
    facts = [choice(Indicator.Kind, item.get("kind"))]
    for field in ("unit", "baseline", "target"):
        if item.get(field) not in (None, ""):
            facts.append(f"{_label(Indicator, field).lower()} {value(item[field])}")
    if item.get("direction"):
        facts.append(choice(Indicator.Direction, item["direction"]).lower())
    if item.get("source"):
        facts.append(f"{_label(Indicator, 'source').lower()}: {item['source']}")
    return ", ".join(facts)


def _indicator_value(item, field) -> str:
    if field == "kind":
        return choice(Indicator.Kind, item.get("kind"))
    if field == "direction":
        return choice(Indicator.Direction, item.get("direction"))
    return value(item.get(field))


def _indicators(old_items, new_items) -> list[str]:
    sentences = []
    pairs = pair_by(old_items, new_items, [lambda i: i["title"]], by_position=True)
    for a, b in pairs:
        if a is None:
            sentences.append(
                _("Indicator %(title)s was added (%(facts)s).")
                % {"title": _quoted(b["title"]), "facts": _indicator_facts(b)}
            )
        elif b is None:
            sentences.append(_("Indicator %(title)s was removed.") % {"title": _quoted(a["title"])})
        elif a != b:
            parts = [
                from_to(
                    _label(Indicator, field), _indicator_value(a, field), _indicator_value(b, field)
                )
                for field in INDICATOR_FIELDS
                if a.get(field) != b.get(field)
            ]
            if a["title"] != b["title"]:
                sentences.append(
                    _("Indicator %(old)s was renamed %(new)s.")
                    % {"old": _quoted(a["title"]), "new": _quoted(b["title"])}
                )
            if parts:
                sentences.append(
                    _("Indicator %(title)s: %(changes)s.")
                    % {"title": _quoted(b["title"]), "changes": "; ".join(parts)}
                )
    return sentences


def _commitment_field(doc, commitment, field) -> str:
    if field == "owners":
        return _owners(doc, commitment.get("owners"))
    choices = Level if field == "level" else Cadence
    return choice(choices, commitment.get(field))


def _added_commitment(new, b) -> Change:
    commitment = b["commitment"]
    details = [from_to_single(_("Owners"), _owners(new, commitment.get("owners")))]
    for field in ("level", "cadence"):
        if commitment.get(field):
            details.append(
                from_to_single(_label(Commitment, field), _commitment_field(new, commitment, field))
            )
    details += [
        _("Indicator %(title)s (%(facts)s).")
        % {"title": _quoted(i["title"]), "facts": _indicator_facts(i)}
        for i in commitment.get("indicators") or []
    ]
    return Change(
        KIND_ADDED,
        _("Commitment added under %(section)s:") % {"section": _quoted(b["heading"])},
        whole(commitment["text"], ADDED),
        tuple(details),
    )


def from_to_single(label: str, text: str) -> str:
    return _("%(what)s: %(value)s") % {"what": label, "value": text}


def _changed_commitment(old, new, a, b, *, moved_within: bool) -> Change | None:
    ca, cb = a["commitment"], b["commitment"]
    details = []
    if a["section"] != b["section"]:
        details.append(
            _("Moved from the section %(old)s to %(new)s.")
            % {"old": _quoted(a["heading"]), "new": _quoted(b["heading"])}
        )
    elif moved_within:
        details.append(
            _("Moved from place %(old)s to place %(new)s in the section.")
            % {"old": a["place"], "new": b["place"]}
        )
    moved = bool(details)
    for field, label in (
        ("owners", _("Owners")),
        ("level", _label(Commitment, "level")),
        ("cadence", _label(Commitment, "cadence")),
    ):
        before, after = _commitment_field(old, ca, field), _commitment_field(new, cb, field)
        if before != after:
            details.append(from_to(label, before, after))
    details += _indicators(ca.get("indicators") or [], cb.get("indicators") or [])
    text_changed = ca["text"] != cb["text"]
    if not text_changed and not details:
        return None
    section = _quoted(b["heading"])
    if text_changed or len(details) > int(moved):
        words = word_diff(ca["text"], cb["text"]) if text_changed else whole(cb["text"], SAME)
        return Change(
            KIND_CHANGED,
            _("Commitment changed under %(section)s:") % {"section": section},
            words,
            tuple(details),
        )
    return Change(
        KIND_MOVED,
        _("Commitment moved (now under %(section)s):") % {"section": section},
        whole(cb["text"], SAME),
        tuple(details),
    )
