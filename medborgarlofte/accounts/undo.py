"""Undo a delete, where that is possible (issue 16: "every delete asks first and can be
undone").

A delete service returns a snapshot of what it removed (plain JSON: field values and the
keys of what it pointed to); the view keeps the latest one in the user's session for
WINDOW, under a scope naming the page it belongs to (an agreement version, a survey
wave). That page shows "Ångra" (templates/accounts/_undo.html) while the snapshot is
fresh; pressing it posts to the app's undo view, which takes the snapshot out of the
session and hands it to the app's restore service. Restoring is an edit like any other:
it runs in a transaction, is audited and (in an agreement draft) clears approvals. Only
the latest delete can be undone, once, by the user who made it, on the same page.
"""

import datetime

from django.utils import timezone

SESSION_KEY = "undo_delete"
WINDOW = datetime.timedelta(minutes=15)


def offer(request, *, scope: str, kind: str, label: str, data: dict) -> None:
    """Keep the snapshot of what was just deleted (replacing any earlier one)."""
    request.session[SESSION_KEY] = {
        "scope": scope,
        "kind": kind,
        "label": label,
        "data": data,
        "at": timezone.now().isoformat(),
    }


def _fresh(entry, scope: str) -> bool:
    if not isinstance(entry, dict) or entry.get("scope") != scope:
        return False
    try:
        at = datetime.datetime.fromisoformat(entry["at"])
    except (KeyError, TypeError, ValueError):
        return False
    return timezone.now() - at <= WINDOW


def pending(request, scope: str) -> dict | None:
    """The snapshot that may still be restored on this page, or None."""
    entry = request.session.get(SESSION_KEY)
    return entry if _fresh(entry, scope) else None


def take(request, scope: str) -> dict | None:
    """Remove and return the snapshot for this page (None when gone or too old)."""
    entry = request.session.get(SESSION_KEY)
    if entry is None:
        return None
    if not _fresh(entry, scope):
        return None
    del request.session[SESSION_KEY]
    return entry
