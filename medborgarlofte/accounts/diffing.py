"""What changed between two versions of a document, in words people read (issue 18).

The pieces every document's diff is made of (agreements/diff.py for the medborgarlöfte,
lagesbild/diff.py for the lägesbild): a Change is one plain sentence ("Ansvariga:
Polisen → Polisen och kommunen"), optionally with the changed words marked inside a
text (word_diff) and further sentences under it. Everything here is a pure function of
its arguments; the template accounts/_changes.html shows a list of changes, with the
removed and added words in <del> and <ins> and a hidden "removed:"/"added:" for screen
readers, so the marking never rests on colour alone.
"""

import datetime
import difflib
import re
from dataclasses import dataclass

from django.utils import formats
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

SAME, REMOVED, ADDED = "same", "removed", "added"
# Change kinds (also the CSS class change-<kind>).
KIND_ADDED, KIND_REMOVED, KIND_CHANGED, KIND_MOVED = "added", "removed", "changed", "moved"

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class Segment:
    """A run of text in a word diff: unchanged, removed or added."""

    text: str
    kind: str = SAME


@dataclass(frozen=True)
class Change:
    kind: str  # KIND_ADDED, KIND_REMOVED, KIND_CHANGED or KIND_MOVED
    sentence: str  # the change in one plain sentence, already translated
    words: tuple[Segment, ...] = ()  # a text with its changed words marked
    details: tuple[str, ...] = ()  # further sentences (owners, level, indicators …)


def tokens(text: str) -> list[str]:
    """Words, punctuation marks and runs of white space: joined they give the text back."""
    return _TOKEN.findall(text or "")


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """The new text with the words that changed marked: removed words where they stood,
    then the added ones. Consecutive runs of one kind are merged; white space between two
    changes goes with the changes, so "a b c" → "x y z" reads as one removal and one
    addition rather than three of each."""
    a, b = tokens(old), tokens(new)
    raw: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            raw.append((SAME, "".join(a[i1:i2])))
            continue
        if i2 > i1:
            raw.append((REMOVED, "".join(a[i1:i2])))
        if j2 > j1:
            raw.append((ADDED, "".join(b[j1:j2])))
    # White space alone between two changes joins them.
    cleaned: list[tuple[str, str]] = []
    for index, (kind, text) in enumerate(raw):
        between = 0 < index < len(raw) - 1 and raw[index - 1][0] != SAME
        if kind == SAME and not text.strip() and between and raw[index + 1][0] != SAME:
            cleaned.extend([(REMOVED, text), (ADDED, text)])
        else:
            cleaned.append((kind, text))
    # Gather each stretch of changes: its removed text first, then its added text.
    segments: list[Segment] = []
    removed, added = "", ""
    for kind, text in [*cleaned, (SAME, "")]:
        if kind == REMOVED:
            removed += text
        elif kind == ADDED:
            added += text
        else:
            if removed:
                segments.append(Segment(removed, REMOVED))
            if added:
                segments.append(Segment(added, ADDED))
            removed, added = "", ""
            if text:
                segments.append(Segment(text, SAME))
    return tuple(segments)


def whole(text: str, kind: str) -> tuple[Segment, ...]:
    """A text that is all added or all removed."""
    return (Segment(text, kind),) if text else ()


# --- Values in words --------------------------------------------------------------------


def names(items) -> str:
    """ "A", "A och B", "A, B och C"; "ingen" for none."""
    items = [str(item) for item in items if item not in (None, "")]
    if not items:
        return _("none")
    return str(get_text_list(items, _("and")))


def value(item) -> str:
    """A value as written in Swedish: numbers "1 234,5", dates "2 december 2026", an
    empty value "inte angivet"."""
    if item in (None, "") or item == []:
        return _("not stated")
    if isinstance(item, bool):
        return _("yes") if item else _("no")
    if isinstance(item, (int, float)):
        if isinstance(item, float) and item.is_integer():
            item = int(item)
        return formats.localize(item, use_l10n=True)
    if isinstance(item, datetime.date):
        return formats.date_format(item, "j F Y")
    if isinstance(item, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", item):
        try:
            return formats.date_format(datetime.date.fromisoformat(item), "j F Y")
        except ValueError:
            return item
    if isinstance(item, (list, tuple)):
        return names(value(v) for v in item)
    return str(item)


def from_to(label: str, old, new) -> str:
    """ "Nivå: Strategisk → Taktisk"."""
    return _("%(what)s: %(old)s → %(new)s") % {"what": label, "old": old, "new": new}


def choice(choices, key) -> str:
    """The label of a choice value (a TextChoices class or a dict), never the raw key
    unless it is unknown."""
    if key in (None, ""):
        return _("not stated")
    labels = dict(choices.choices) if hasattr(choices, "choices") else dict(choices)
    return str(labels.get(key, key))


def text_change(label: str, old: str, new: str) -> Change | None:
    """A free text field (title, introduction …): added, removed or changed word by word."""
    old, new = old or "", new or ""
    if old == new:
        return None
    if not old:
        return Change(KIND_ADDED, _("%(what)s was added:") % {"what": label}, whole(new, ADDED))
    if not new:
        return Change(
            KIND_REMOVED, _("%(what)s was removed:") % {"what": label}, whole(old, REMOVED)
        )
    return Change(KIND_CHANGED, _("%(what)s was changed:") % {"what": label}, word_diff(old, new))


def field_change(label: str, old, new) -> Change | None:
    """A short value (a date, a choice already in words): one sentence, old → new."""
    if old == new:
        return None
    return Change(KIND_CHANGED, from_to(label, old, new))


def moved_items(old_order: list, new_order: list) -> set:
    """The items (present in both lists) that moved: those outside the longest common
    subsequence of the two orders, so removing one item does not make the rest "moved"."""
    common = set(old_order) & set(new_order)
    a = [item for item in old_order if item in common]
    b = [item for item in new_order if item in common]
    # Longest common subsequence, by dynamic programming (lists are short).
    lengths = [[0] * (len(b) + 1) for _row in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            lengths[i][j] = (
                lengths[i + 1][j + 1] + 1
                if a[i] == b[j]
                else max(lengths[i + 1][j], lengths[i][j + 1])
            )
    kept, i, j = set(), 0, 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            kept.add(a[i])
            i, j = i + 1, j + 1
        elif lengths[i + 1][j] >= lengths[i][j + 1]:
            i += 1
        else:
            j += 1
    return common - kept


def pair_by(old_items: list, new_items: list, keys, *, by_position: bool = False) -> list[tuple]:
    """Pair the items of two lists: by equal key(item) for each key function in turn,
    then, with `by_position`, what is left in order. Returns (old or None, new or None) pairs in the
    new order, then the removed ones in the old order."""
    old_left, new_left = list(range(len(old_items))), list(range(len(new_items)))
    pairs: dict[int, int] = {}  # new index → old index
    for key in keys:
        by_key: dict = {}
        for i in old_left:
            by_key.setdefault(key(old_items[i]), []).append(i)
        for j in list(new_left):
            candidates = by_key.get(key(new_items[j]))
            if candidates:
                i = candidates.pop(0)
                pairs[j] = i
                old_left.remove(i)
                new_left.remove(j)
    for i, j in zip(list(old_left), list(new_left), strict=False) if by_position else ():
        pairs[j] = i
        old_left.remove(i)
        new_left.remove(j)
    out = [
        (old_items[pairs[j]] if j in pairs else None, new_items[j]) for j in range(len(new_items))
    ]
    out.extend((old_items[i], None) for i in old_left)
    return out
