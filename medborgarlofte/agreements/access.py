"""Who may see and change the agreements (built on accounts.access, Zulip-style).

Views and the API fetch agreements, versions and the rows inside a version here.
The building blocks are re-exported so call sites read ``access.require_edit(...)``."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from medborgarlofte.accounts.access import (  # noqa: F401  (re-exported building blocks)
    EDIT_ROLES,
    READ_ROLES,
    audit_entries_for_user,
    can_edit,
    get_municipality_for_user,
    municipalities_for_user,
    require_edit,
    roles_for,
)

from .models import Agreement, AgreementVersion, Commitment


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


def commitments_for_user(user, municipality):
    """Commitments of the kommun's agreements (read-only use by the weekly meeting)."""
    if not roles_for(user, municipality) & READ_ROLES:
        raise Http404
    return Commitment.objects.filter(municipality=municipality).select_related("version")


def get_version_by_pk_for_user(user, pk: int) -> AgreementVersion:
    """A version by its own key (the comments name documents so); 404 if not yours."""
    version = (
        AgreementVersion.objects.filter(pk=pk, municipality__in=municipalities_for_user(user))
        .select_related("municipality", "agreement")
        .first()
    )
    if version is None:
        raise Http404
    return version
