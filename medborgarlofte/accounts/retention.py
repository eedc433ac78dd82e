"""Retention rules for the audit log, accounts, login records and sessions.

Registered with privacy.retention (docs/privacy.md has the periods and their basis).
"""

import datetime
from importlib import import_module

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user

from medborgarlofte.privacy.retention import Rule, register

from . import audit
from .models import AuditEntry

# Username of an account whose personal data has been disposed of (the row stays: approvals
# and reports point to it).
DISPOSED_USERNAME = "gallrad-{pk}"


def _audit_plan(cutoff):
    rows = (
        AuditEntry.objects.filter(at__lt=cutoff)
        .order_by()
        .values_list("municipality_id")
        .annotate(n=Count("id"))
    )
    return {kommun: {"entries": n} for kommun, n in rows}


def _audit_dispose(cutoff, kommun):
    return {"entries": audit.dispose_entries(cutoff, kommun)}


register(
    Rule(
        kind="audit_log",
        label=_("Audit log entries"),
        plan=_audit_plan,
        dispose=_audit_dispose,
        # Who did what must stay answerable for at least a year, whatever the setting says.
        minimum_months=12,
    )
)


def _inactive_accounts(cutoff):
    disposed = (
        Q(username__startswith=DISPOSED_USERNAME.split("{")[0])
        & Q(email="")
        & Q(first_name="")
        & Q(last_name="")
    )
    return (
        get_user_model()
        .objects.filter(is_active=False)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
        .exclude(disposed)
    )


def _accounts_plan(cutoff):
    count = _inactive_accounts(cutoff).count()
    return {None: {"accounts": count}} if count else {}


def _accounts_dispose(cutoff, _kommun):
    count = 0
    for user in _inactive_accounts(cutoff).select_for_update():
        user.username = DISPOSED_USERNAME.format(pk=user.pk)
        user.first_name = user.last_name = user.email = ""
        user.set_unusable_password()
        user.save()
        for device in devices_for_user(user, confirmed=None):
            device.delete()
        count += 1
    return {"accounts": count}


register(
    Rule(
        kind="inactive_accounts",
        label=_("Deactivated accounts"),
        plan=_accounts_plan,
        dispose=_accounts_dispose,
        per_kommun=False,
    )
)

LOGIN_MODELS = {"logins": AccessLog, "failed logins": AccessAttempt, "failures": AccessFailureLog}


def _login_plan(cutoff):
    counts = {
        label: model.objects.filter(attempt_time__lt=cutoff).count()
        for label, model in LOGIN_MODELS.items()
    }
    return {None: counts} if any(counts.values()) else {}


def _login_dispose(cutoff, _kommun):
    return {
        label: model.objects.filter(attempt_time__lt=cutoff).delete()[1].get(model._meta.label, 0)
        for label, model in LOGIN_MODELS.items()
    }


register(
    Rule(
        kind="login_records",
        label=_("Login records"),
        plan=_login_plan,
        dispose=_login_dispose,
        per_kommun=False,
    )
)


def _session_model():
    """The session table, when sessions are kept in the database (db or cached_db)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    return store.get_model_class() if hasattr(store, "get_model_class") else None


def _sessions_plan(now):
    model = _session_model()
    count = model.objects.filter(expire_date__lt=now).count() if model else 0
    return {None: {"sessions": count}} if count else {}


def _sessions_dispose(now, _kommun):
    model = _session_model()
    return {"sessions": model.objects.filter(expire_date__lt=now).delete()[0]}


register(
    Rule(
        kind="expired_sessions",
        label=_("Expired sessions"),
        plan=_sessions_plan,
        dispose=_sessions_dispose,
        fixed_age=datetime.timedelta(0),
        fixed_label=_("at expiry"),
        per_kommun=False,
    )
)
