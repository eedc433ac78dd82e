"""Retention rules for incidents and police events (registered with privacy.retention;
periods in docs/privacy.md).

What goes is the free text: an incident keeps its kommun, category, place (a generalised
grid cell), date, time band and status, so the weekly and tertial counts stay the same after
disposal; frozen lägesbild versions keep what they froze. The copies of the text in the
audit log go with it. A police event keeps its type, time and place; its summary goes.
"""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medborgarlofte.accounts import audit
from medborgarlofte.privacy.retention import Rule, count_by_kommun, merge_plans, register

from .models import Incident, PoliceEvent, Report

# The report's audit entry holds a snapshot of each incident; corrections and handling hold
# the incident's own fields.
AUDIT_TYPES = ["report", "incident"]
AUDIT_KEYS = ["description", "action_taken"]


def _old_texts(cutoff):
    return Incident.objects.filter(
        date__lt=timezone.localdate(cutoff), created_at__lt=cutoff, is_example=False
    ).filter(~Q(description="") | ~Q(action_taken=""))


def _text_plan(cutoff):
    return merge_plans(
        ("texts", count_by_kommun(_old_texts(cutoff))),
        ("audit copies", audit.count_copied_text(AUDIT_TYPES, AUDIT_KEYS, cutoff)),
    )


def _text_dispose(cutoff, kommun):
    texts = _old_texts(cutoff).filter(municipality_id=kommun)
    return {
        "texts": texts.update(description="", action_taken=""),
        "audit copies": audit.blank_copied_text(AUDIT_TYPES, AUDIT_KEYS, cutoff, kommun),
    }


register(
    Rule(
        kind="incident_text",
        label=_("Incident descriptions"),
        plan=_text_plan,
        dispose=_text_dispose,
    )
)


def _old_summaries(cutoff):
    return PoliceEvent.objects.filter(published_at__lt=cutoff).exclude(summary="")


def _events_plan(cutoff):
    return merge_plans(("summaries", count_by_kommun(_old_summaries(cutoff))))


def _events_dispose(cutoff, kommun):
    return {"summaries": _old_summaries(cutoff).filter(municipality_id=kommun).update(summary="")}


register(
    Rule(
        kind="police_event_text",
        label=_("Summaries of police events"),
        plan=_events_plan,
        dispose=_events_dispose,
    )
)


# The random key of each report form is only needed for minutes (a form sent twice is
# stored once).
def _keyed(cutoff):
    return Report.objects.filter(idempotency_key__isnull=False, created_at__lt=cutoff)


def _keys_plan(cutoff):
    return merge_plans(("keys", count_by_kommun(_keyed(cutoff))))


def _keys_dispose(cutoff, kommun):
    return {"keys": _keyed(cutoff).filter(municipality_id=kommun).update(idempotency_key=None)}


register(
    Rule(
        kind="incident_form_keys",
        label=_("Form keys of incident reports"),
        plan=_keys_plan,
        dispose=_keys_dispose,
        fixed_age=datetime.timedelta(days=1),
        fixed_label=_("1 day"),
    )
)
