"""Writing the audit log. Every service function that writes calls record()."""

from contextlib import contextmanager

from django.db import connection

from .models import AUDIT_DISPOSAL_CUTOFF, AuditEntry


def actor_label(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return "system"
    return user.get_username()


def record(
    *,
    user,
    action: str,
    obj=None,
    municipality=None,
    summary: str = "",
    before=None,
    after=None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEntry:
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or str(obj.pk)
        if municipality is None:
            municipality = getattr(obj, "municipality", None)
    return AuditEntry.objects.create(
        municipality=municipality,
        actor=user if getattr(user, "is_authenticated", False) else None,
        actor_label=actor_label(user),
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary[:300],
        before=before,
        after=after,
    )


# --- Retention (gallring) of the audit log --------------------------------------------
# The audit log is append-only. Its entries are disposed of after their retention period,
# and copies of free text in their before/after (a dialogue text, an incident description)
# are blanked when the text itself is disposed of: dispose_entries (through
# retention_disposal, the one opening in the append-only guard) and blank_copied_text,
# used only by the retention rules of `medborgarlofte apply_retention` (a test checks that
# no other module calls them); every disposal writes its own entry.


@contextmanager
def retention_disposal(cutoff):
    """Inside the block, entries older than `cutoff` may be deleted (AuditEntryQuerySet
    checks); nothing younger, and no other change."""
    token = AUDIT_DISPOSAL_CUTOFF.set(cutoff)
    try:
        yield
    finally:
        AUDIT_DISPOSAL_CUTOFF.reset(token)


def _blank(value, keys: frozenset[str]):
    """(value with every non-empty `keys` entry at any depth set to "", whether it changed)."""
    if isinstance(value, dict):
        changed, result = False, {}
        for key, item in value.items():
            if key in keys and item not in ("", None):
                result[key], changed = "", True
            else:
                result[key], inner = _blank(item, keys)
                changed = changed or inner
        return result, changed
    if isinstance(value, list):
        pairs = [_blank(item, keys) for item in value]
        return [item for item, _changed in pairs], any(changed for _item, changed in pairs)
    return value, False


def _entries_with_copies(object_types, keys, cutoff, municipality_id=...):
    entries = AuditEntry.objects.filter(object_type__in=object_types, at__lt=cutoff)
    if municipality_id is not ...:
        entries = entries.filter(municipality_id=municipality_id)
    keys = frozenset(keys)
    for entry in entries.only("pk", "municipality_id", "before", "after").iterator():
        before, changed_before = _blank(entry.before, keys)
        after, changed_after = _blank(entry.after, keys)
        if changed_before or changed_after:
            entry.before, entry.after = before, after
            yield entry


def count_copied_text(object_types, keys, cutoff) -> dict:
    """{kommun id (None: no kommun): entries older than `cutoff` about `object_types` whose
    before/after still hold a non-empty value under one of `keys`}."""
    counts: dict = {}
    for entry in _entries_with_copies(object_types, keys, cutoff):
        counts[entry.municipality_id] = counts.get(entry.municipality_id, 0) + 1
    return counts


def blank_copied_text(object_types, keys, cutoff, municipality_id) -> int:
    """Blank those values in one kommun's entries; returns the number of entries changed.

    The only write to existing entries: `before` and `after` of entries older than the
    cutoff, one parameterised UPDATE per entry in one executemany (benchmarks/retention.py:
    with bulk_update's CASE expressions a run took 43 s instead of 7 s)."""
    entries = list(_entries_with_copies(object_types, keys, cutoff, municipality_id))  # at < cutoff
    before, after = AuditEntry._meta.get_field("before"), AuditEntry._meta.get_field("after")
    quote = connection.ops.quote_name
    sql = (
        f"UPDATE {quote(AuditEntry._meta.db_table)} SET {quote(before.column)} = %s, "  # noqa: S608
        f"{quote(after.column)} = %s WHERE {quote('id')} = %s"
    )
    rows = [
        (
            before.get_db_prep_save(entry.before, connection),
            after.get_db_prep_save(entry.after, connection),
            entry.pk,
        )
        for entry in entries
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(entries)


def dispose_entries(cutoff, municipality_id) -> int:
    """Delete one kommun's entries older than `cutoff` (None: entries without a kommun)."""
    with retention_disposal(cutoff):
        deleted, _by_model = AuditEntry.objects.filter(
            municipality_id=municipality_id, at__lt=cutoff
        ).delete()
    return deleted
