"""The only place where internal views and the API fetch tenant data.

Every lookup takes the user and answers with what that user may see. An object of a
kommun the user holds no role in answers 404 (Http404), so its existence is not
leaked; an object the user may read but not change answers 403 (PermissionDenied).
Views must not call Model.objects for tenant data (a test greps for that).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from medborgarlofte.agreements.models import Agreement, AgreementVersion
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


def agreements_for_user(user):
    return Agreement.objects.filter(municipality__in=municipalities_for_user(user)).select_related(
        "municipality"
    )


def get_agreement_for_user(user, pk: int, *, edit: bool = False) -> Agreement:
    agreement = agreements_for_user(user).filter(pk=pk).first()
    if agreement is None:
        raise Http404
    if edit and not can_edit(user, agreement.municipality):
        raise PermissionDenied
    return agreement


def get_version_for_user(
    user, agreement_pk: int, number: int, *, edit: bool = False
) -> AgreementVersion:
    agreement = get_agreement_for_user(user, agreement_pk, edit=edit)
    version = (
        agreement.versions.filter(number=number).select_related("municipality", "agreement").first()
    )
    if version is None:
        raise Http404
    return version


def get_child_for_user(user, version: AgreementVersion, model, pk: int):
    """A row inside a version (section, commitment, indicator …), scoped to that version."""
    scope = {"version": version} if hasattr(model, "version") else {"commitment__version": version}
    obj = model.objects.filter(pk=pk, municipality=version.municipality, **scope).first()
    if obj is None:
        raise Http404
    return obj


def audit_entries_for_user(user, municipality):
    if not roles_for(user, municipality) & EDIT_ROLES:
        raise PermissionDenied
    return AuditEntry.objects.filter(municipality=municipality).select_related("actor")


def require_edit(user, municipality) -> None:
    if not can_edit(user, municipality):
        raise PermissionDenied
