"""Retention rules for dialogues (registered with privacy.retention; periods in docs/privacy.md).

What goes is the free text: the entry keeps its kommun, date, source, channel, area and
themes, so every count of the lägesbild's dialogue section (entries per source, theme, area
and period) stays the same after disposal, and frozen versions keep what they froze. The
copies of the text in the audit log go with it. The fingerprint stays, so that importing
the same file again does not bring the text back.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medborgarlofte.accounts import audit
from medborgarlofte.privacy.retention import Rule, count_by_kommun, merge_plans, register

from . import uploads
from .models import DialogueEntry

AUDIT_TYPES = ["dialogueentry"]
AUDIT_KEYS = ["text"]


def _old_texts(cutoff):
    return DialogueEntry.objects.filter(
        date__lt=timezone.localdate(cutoff), created_at__lt=cutoff, is_example=False
    ).exclude(text="")


def _text_plan(cutoff):
    return merge_plans(
        ("texts", count_by_kommun(_old_texts(cutoff))),
        ("audit copies", audit.count_copied_text(AUDIT_TYPES, AUDIT_KEYS, cutoff)),
    )


def _text_dispose(cutoff, kommun):
    return {
        "texts": _old_texts(cutoff).filter(municipality_id=kommun).update(text=""),
        "audit copies": audit.blank_copied_text(AUDIT_TYPES, AUDIT_KEYS, cutoff, kommun),
    }


register(
    Rule(kind="dialogue_text", label=_("Dialogue texts"), plan=_text_plan, dispose=_text_dispose)
)


# The random key of each public form (so that a form sent twice is stored once) is only
# needed for minutes; removed after a day, a copy of the page kept in a browser can no
# longer be matched to the entry.
def _keyed(cutoff):
    return DialogueEntry.objects.filter(idempotency_key__isnull=False, created_at__lt=cutoff)


def _keys_plan(cutoff):
    return {kommun: {"keys": n} for kommun, n in count_by_kommun(_keyed(cutoff)).items()}


def _keys_dispose(cutoff, kommun):
    return {"keys": _keyed(cutoff).filter(municipality_id=kommun).update(idempotency_key=None)}


register(
    Rule(
        kind="dialogue_form_keys",
        label=_("Form keys of dialogue entries"),
        plan=_keys_plan,
        dispose=_keys_dispose,
        fixed_age=datetime.timedelta(days=1),
        fixed_label=_("1 day"),
    )
)


# Files waiting for the column-mapping step of an import (uploads.py): an hour at most.
def _leftovers(cutoff):
    limit = cutoff.timestamp()
    for item in uploads._directory().iterdir():
        try:
            if item.is_file() and item.stat().st_mtime < limit:
                yield item
        except OSError:
            continue


def _leftovers_plan(cutoff):
    count = sum(1 for _item in _leftovers(cutoff))
    return {None: {"files": count}} if count else {}


def _leftovers_dispose(cutoff, _kommun):
    count = 0
    for item in _leftovers(cutoff):
        try:
            item.unlink()
            count += 1
        except OSError:
            continue
    return {"files": count}


register(
    Rule(
        kind="dialogue_upload_leftovers",
        label=_("Uploaded dialogue files left from the column-mapping step"),
        plan=_leftovers_plan,
        dispose=_leftovers_dispose,
        fixed_age=datetime.timedelta(seconds=uploads.MAX_AGE),
        fixed_label=_("1 hour"),
        per_kommun=False,
    )
)
