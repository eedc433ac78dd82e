"""The tenant isolation guard: a query on a tenant table must be scoped to a kommun.

Every tenant-owned table carries its kommun (`municipality`). Views fetch tenant data through
their app's `access.py` (built on `accounts.access`), which filters by the kommuner the user
holds a role in. This module checks that rule at run time, below the ORM, so a forgotten
filter cannot slip through unseen:

- while a request is handled (``TenantGuardMiddleware``), every SELECT on a tenant model is
  inspected before it runs;
- the query counts as *scoped* when its WHERE clause constrains the kommun (the
  ``municipality`` column, or a column of the joined kommun table), a tenant parent row (a
  foreign key to another tenant model, e.g. the commitments of one agreement version: the parent
  was itself fetched through the access module), or the user who owns the rows (a foreign key to
  the user model: a reporter's own reports, a user's own memberships);
- a query that reads across kommuner on purpose (public pages of published material, national
  comparisons) says so with ``across_kommuner(queryset, reason)``;
- anything else is an unscoped query: with ``TENANT_GUARD = "raise"`` (the test suite) it raises
  ``UnscopedTenantQuery``; with ``"log"`` (the default in production) it is logged as an error
  with the model and the SQL, so monitoring sees it without turning a page into a 500;
  ``"off"`` disables the check.

Reference data that happens to be keyed by kommun (population, the place gazetteer, official
crime statistics, public police events) is public and not a tenant model.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import os
import traceback
from contextlib import contextmanager

from django.conf import settings
from django.db.models import Model
from django.db.models.expressions import Col
from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor
from django.db.models.sql.compiler import (
    SQLCompiler,
    SQLDeleteCompiler,
    SQLInsertCompiler,
    SQLUpdateCompiler,
)
from django.db.models.sql.subqueries import AggregateQuery
from django.db.models.sql.where import AND, WhereNode

logger = logging.getLogger(__name__)

# Keyed by kommun, but public reference data: anyone may read all of it.
REFERENCE_MODELS = frozenset(
    {
        "kommuner.Population",
        "kommuner.Place",
        "crimestats.CrimeStatistic",
        "crimestats.KpiValue",
        "incidents.PoliceEvent",
    }
)

# The attribute a deliberately cross-kommun query carries on its sql.Query (copied by clone()).
_REASON = "_medborgarlofte_across_kommuner"

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep

_FOLLOWED = "followed a foreign key of a row already read"

# How many queries the guard checked (the test suite prints it; see conftest.py).
STATS = {"checked": 0, "across_kommuner": 0}

# Writes are not checked: a row is saved or deleted through an instance already read.
_WRITES = (SQLInsertCompiler, SQLUpdateCompiler, SQLDeleteCompiler)

_active: contextvars.ContextVar[bool] = contextvars.ContextVar("tenant_guard", default=False)


class UnscopedTenantQuery(Exception):
    """A query read a tenant table without constraining the kommun (a possible leak)."""


def across_kommuner(queryset, reason: str):
    """Mark a queryset as reading across kommuner on purpose; `reason` says why."""
    if not reason:
        raise ValueError("across_kommuner needs a reason")
    clone = queryset.all()
    setattr(clone.query, _REASON, reason)
    return clone


@contextmanager
def guarded():
    """Check every query inside the block (the middleware wraps each request in this)."""
    token = _active.set(True)
    try:
        yield
    finally:
        _active.reset(token)


@contextmanager
def unguarded():
    """Suspend the check inside the block (system work that is not done for one user)."""
    token = _active.set(False)
    try:
        yield
    finally:
        _active.reset(token)


@functools.cache
def _tenant_labels() -> frozenset[str]:
    from django.apps import apps

    from medborgarlofte.kommuner.models import Municipality

    labels = set()
    for model in apps.get_models():
        if model._meta.label in REFERENCE_MODELS:
            continue
        for field in model._meta.concrete_fields:
            if field.name == "municipality" and field.related_model is Municipality:
                labels.add(model._meta.label)
    return frozenset(labels)


def is_tenant_model(model) -> bool:
    return model is not None and model._meta.label in _tenant_labels()


def _scopes(field) -> bool:
    """Whether a constraint on this column ties the rows to a kommun, a tenant parent or a user."""
    from django.contrib.auth import get_user_model

    from medborgarlofte.kommuner.models import Municipality

    if field.model is Municipality:
        return True  # a column of the joined kommun table, e.g. municipality__code
    related = getattr(field, "related_model", None)
    if related is None or not getattr(field, "many_to_one", False) and not field.one_to_one:
        return False
    return related is Municipality or related is get_user_model() or is_tenant_model(related)


def is_scoped(query) -> bool:
    if isinstance(query, AggregateQuery):
        query = query.inner_query
    if getattr(query, _REASON, None):
        return True
    return _constrains(query.where)


def _constrains(node) -> bool:
    """Whether every row the condition admits is tied to a kommun, a tenant parent or a user.

    AND: one scoping branch is enough; OR: every branch must scope; NOT scopes nothing
    (``exclude(municipality=…)`` reads every other kommun).
    """
    if isinstance(node, WhereNode):
        if node.negated or not node.children:
            return False
        branches = [_constrains(child) for child in node.children]
        return any(branches) if node.connector == AND else all(branches)
    lhs = getattr(node, "lhs", None)
    if isinstance(lhs, Col):
        return _scopes(lhs.target)
    return False


def _caller() -> str:
    """The innermost frame of our own code that made the query (for the message)."""
    for frame in reversed(traceback.extract_stack()):
        path = os.path.abspath(frame.filename)
        if path.startswith(_PACKAGE) and path != __file__:
            return f"{os.path.relpath(path, _PACKAGE)}:{frame.lineno}"
    return "?"


def check(query) -> None:
    """Raise or log when `query` reads a tenant table without a kommun scope."""
    mode = getattr(settings, "TENANT_GUARD", "log")
    if mode == "off" or not _active.get():
        return
    model = query.inner_query.model if isinstance(query, AggregateQuery) else query.model
    if not is_tenant_model(model) or query.is_empty():
        return
    STATS["checked"] += 1
    reason = getattr(
        query.inner_query if isinstance(query, AggregateQuery) else query, _REASON, None
    )
    if reason and reason != _FOLLOWED:
        STATS["across_kommuner"] += 1
    if is_scoped(query):
        return
    message = (
        f"Unscoped query on the tenant model {model._meta.label} at {_caller()}: filter by "
        f"kommun through the app's access.py, or mark it with across_kommuner(queryset, reason)."
    )
    if mode == "raise":
        raise UnscopedTenantQuery(message)
    logger.error(message)


def install() -> None:
    """Wrap the SELECT compiler, refresh_from_db and foreign keys (from AppConfig.ready)."""
    if getattr(SQLCompiler.execute_sql, "_tenant_guard", False):
        return
    original_execute = SQLCompiler.execute_sql

    @functools.wraps(original_execute)
    def execute_sql(self, *args, **kwargs):
        if isinstance(self, SQLCompiler) and not isinstance(
            self, _WRITES
        ):  # backend subclasses too
            check(self.query)
        return original_execute(self, *args, **kwargs)

    execute_sql._tenant_guard = True
    SQLCompiler.execute_sql = execute_sql

    original_refresh = Model.refresh_from_db

    @functools.wraps(original_refresh)
    def refresh_from_db(self, *args, **kwargs):
        # Reloading a row the caller already holds reveals nothing new.
        with unguarded():
            return original_refresh(self, *args, **kwargs)

    Model.refresh_from_db = refresh_from_db

    original_related = ForwardManyToOneDescriptor.get_queryset

    @functools.wraps(original_related)
    def get_queryset(self, **hints):
        # Following a foreign key of a row the caller already holds (comment.party): the row
        # was scoped when it was read, and its key names exactly one parent.
        queryset = original_related(self, **hints)
        setattr(queryset.query, _REASON, _FOLLOWED)
        return queryset

    ForwardManyToOneDescriptor.get_queryset = get_queryset
