"""Retention rules for evidence files of activities (registered with privacy.retention;
periods in docs/privacy.md).

An evidence file (a photo or PDF attached to an activity) goes with its row; the activity
itself, which follow-ups count, stays. Files on disk that no row refers to (left by an
upload whose transaction failed) go after a day.
"""

import datetime
import os

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from medborgarlofte.kommuner.models import Municipality
from medborgarlofte.privacy.retention import Rule, count_by_kommun, merge_plans, register

from . import evidence as evidence_files
from .models import Evidence


def _old_files(cutoff):
    return Evidence.objects.filter(uploaded_at__lt=cutoff)


def _files_plan(cutoff):
    return merge_plans(("files", count_by_kommun(_old_files(cutoff))))


def _remove(names) -> None:
    for name in names:
        try:
            evidence_files.path_of(name).unlink(missing_ok=True)
        except (OSError, ValueError):
            continue  # left for the orphan rule below


def _files_dispose(cutoff, kommun):
    rows = _old_files(cutoff).filter(municipality_id=kommun)
    names = list(rows.values_list("stored_name", flat=True))
    rows.delete()
    # The files go once the rows are gone for good; a file whose removal fails is an
    # orphan and goes on the next run.
    transaction.on_commit(lambda: _remove(names))
    return {"files": len(names)}


register(
    Rule(
        kind="evidence_files",
        label=_("Evidence files of activities"),
        plan=_files_plan,
        dispose=_files_dispose,
    )
)


def _orphans(cutoff):
    """(kommun code, path) of files under evidence/ that no row refers to, older than cutoff."""
    root = evidence_files.private_root() / "evidence"
    if not root.is_dir():
        return
    known = set(Evidence.objects.values_list("stored_name", flat=True))
    limit = cutoff.timestamp()
    for directory in sorted(root.iterdir()):
        if not directory.is_dir():
            continue
        for path in sorted(directory.iterdir()):
            name = f"evidence/{directory.name}/{path.name}"
            try:
                old = path.is_file() and os.stat(path).st_mtime < limit
            except OSError:
                continue
            if old and name not in known:
                yield directory.name, path


def _kommun_ids(codes) -> dict:
    return dict(Municipality.objects.filter(code__in=set(codes)).values_list("code", "id"))


def _orphans_plan(cutoff):
    found = list(_orphans(cutoff))
    ids = _kommun_ids(code for code, _path in found)
    plan: dict = {}
    for code, _path in found:
        counts = plan.setdefault(ids.get(code), {"files": 0})
        counts["files"] += 1
    return plan


def _orphans_dispose(cutoff, kommun):
    found = list(_orphans(cutoff))
    ids = _kommun_ids(code for code, _path in found)
    count = 0
    for code, path in found:
        if ids.get(code) == kommun:
            try:
                path.unlink()
                count += 1
            except OSError:
                continue
    return {"files": count}


register(
    Rule(
        kind="orphan_evidence_files",
        label=_("Evidence files that no activity refers to"),
        plan=_orphans_plan,
        dispose=_orphans_dispose,
        fixed_age=datetime.timedelta(days=1),
        fixed_label=_("1 day"),
    )
)
