"""The building blocks of access: roles, memberships, the kommun of a user, can-edit.

Each domain app has its own ``access.py`` next to the code it serves (agreements,
lagesbild, followup, incidents, surveys, dialogues) with the ``get_…_for_user`` lookups
for its objects, built on these blocks; this module imports no domain app (the layer
contract in pyproject.toml, docs/decisions/0004-layers.md).

Every lookup takes the user and answers with what that user may see. An object of a
kommun the user holds no role in answers 404 (Http404), so its existence is not
leaked; an object the user may read but not change answers 403 (PermissionDenied).
Views must not call Model.objects for tenant data (a test greps for that).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from medborgarlofte.kommuner.models import Municipality

from .models import AuditEntry, Membership, Role

# Roles that may open the internal pages of a kommun (reporters only see their own reports).
READ_ROLES = frozenset({Role.COORDINATOR, Role.POLICE, Role.READER})
# Roles that may edit, approve and publish agreements and run imports.
EDIT_ROLES = frozenset({Role.COORDINATOR, Role.POLICE})


def roles_for(user, municipality) -> set[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    cache = getattr(user, "_medborgarlofte_roles", None)
    if cache is None:
        cache = {}
        for code, role in Membership.objects.filter(user=user).values_list(
            "municipality__code", "role"
        ):
            cache.setdefault(code, set()).add(role)
        user._medborgarlofte_roles = cache
    return set(cache.get(municipality.code, set()))


def municipalities_for_user(user, roles=READ_ROLES):
    """The kommuner in which the user holds one of the roles."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Municipality.objects.none()
    return Municipality.objects.filter(
        memberships__user=user, memberships__role__in=list(roles)
    ).distinct()


def get_municipality_for_user(user, code: str, roles=READ_ROLES) -> Municipality:
    municipality = municipalities_for_user(user, READ_ROLES).filter(code=code).first()
    if municipality is None:
        raise Http404
    if not roles_for(user, municipality) & set(roles):
        raise PermissionDenied
    return municipality


def can_edit(user, municipality) -> bool:
    return bool(roles_for(user, municipality) & EDIT_ROLES)


def kommun_rows_for_user(user, municipality, queryset, roles=READ_ROLES):
    """The kommun's rows of ``queryset`` (a model with a ``municipality`` field) for a user
    holding one of ``roles`` there; 404 for anybody else. The per-app ``…_for_user``
    lists are this with their model, ordering and related rows."""
    if not roles_for(user, municipality) & set(roles):
        raise Http404
    return queryset.filter(municipality=municipality)


def get_kommun_row_for_user(user, municipality, queryset, pk: int, *, edit: bool = False):
    """One row of ``queryset`` (already scoped by ``kommun_rows_for_user`` or an app's
    list): 404 when it is not there, 403 when ``edit`` and the user may only read."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    if edit:
        require_edit(user, municipality)
    return found


def audit_entries_for_user(user, municipality):
    """The kommun's audit log. Entries about police-only material (reads and changes of
    intelligence summaries) are shown to its police users only: to anyone else they would
    tell when a summary was written, how long it is and when it was read."""
    from .police_reads import POLICE_ONLY_ACTIONS

    if not roles_for(user, municipality) & EDIT_ROLES:
        raise PermissionDenied
    entries = AuditEntry.objects.filter(municipality=municipality).select_related("actor")
    if not is_police(user, municipality):
        entries = entries.exclude(action__in=POLICE_ONLY_ACTIONS)
    return entries


def require_edit(user, municipality) -> None:
    if not can_edit(user, municipality):
        raise PermissionDenied


# --- Reporters (EST reports: medborgarlofte/incidents) ----------------------------------
# Reporters submit reports and see their own; coordinator and police review; readers read.

REPORT_ROLES = frozenset({Role.REPORTER, Role.COORDINATOR, Role.POLICE})


def require_report(user, municipality) -> None:
    if not roles_for(user, municipality) & REPORT_ROLES:
        raise PermissionDenied


def municipalities_for_reporter(user):
    return municipalities_for_user(user, REPORT_ROLES)


def get_municipality_for_reporter(user, code: str) -> Municipality:
    """404 without any role in the kommun, 403 for a reader (who may not report)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise Http404
    roles = set()
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is not None:
        roles = roles_for(user, municipality)
    if not roles:
        raise Http404
    if not roles & REPORT_ROLES:
        raise PermissionDenied
    return municipality


# --- Police-only material (intelligence summaries: medborgarlofte/lagesbild/access.py) --
# Non-police users get 404 (its existence is not confirmed), and every read by the police
# is written to the audit log with who, when (UTC), what (the object) and why (`why`: the
# purpose of the page that shows it and, for exports, the reason chosen;
# accounts/police_reads.py).


def is_police(user, municipality) -> bool:
    return Role.POLICE in roles_for(user, municipality)


def log_police_read(user, obj, why, municipality=None) -> None:
    """Write one read of police-only material to the audit log (who, when, what, why)."""
    from . import audit
    from .police_reads import READ_ACTION

    audit.record(
        user=user,
        action=READ_ACTION,
        obj=obj,
        municipality=municipality,
        summary=why.summary(),
        after=why.as_audit(),
    )
