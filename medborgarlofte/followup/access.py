"""Who may see and change the follow-up of an agreement (activities, evidence, reports).

Built on accounts.access and agreements.access; the building blocks are re-exported."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from medborgarlofte.accounts.access import (  # noqa: F401  (re-exported building blocks)
    EDIT_ROLES,
    READ_ROLES,
    can_edit,
    get_municipality_for_user,
    require_edit,
    roles_for,
)
from medborgarlofte.agreements.access import agreements_for_user  # noqa: F401
from medborgarlofte.agreements.models import Agreement
from medborgarlofte.kommuner.models import Place

from .models import Activity, Evidence, FollowUp


def get_followup_agreement_for_user(user, code: str, year: int, *, edit: bool = False):
    """The kommun's agreement whose period starts in, or else covers, `year` (404 if none
    or not yours)."""
    municipality = get_municipality_for_user(user, code)
    if edit and not can_edit(user, municipality):
        raise PermissionDenied
    if not 1 <= year <= 9999:
        raise Http404
    agreements = (
        Agreement.objects.filter(municipality=municipality)
        .select_related("municipality")
        .prefetch_related("versions")
        .order_by("-period_start", "-period_end")
    )
    # The agreement starting that year; else a multi-year one covering it (2021–2022 for
    # 2022: the year in the URL selects the year of the agreement).
    agreement = agreements.filter(period_start__year=year).first() or (
        agreements.filter(period_start__year__lt=year, period_end__year__gte=year).first()
    )
    if agreement is None:
        raise Http404
    return agreement


def activities_for_user(user, agreement):
    if not roles_for(user, agreement.municipality) & READ_ROLES:
        raise Http404
    return Activity.objects.filter(agreement=agreement, municipality=agreement.municipality)


def places_for_activity(municipality_id: int):
    """The kommun's active places of the gazetteer: where an activity may be done."""
    return Place.objects.filter(municipality_id=municipality_id, active=True)


def get_activity_for_user(user, agreement, pk: int, *, edit: bool = False):
    activity = activities_for_user(user, agreement).filter(pk=pk).first()
    if activity is None:
        raise Http404
    if edit and not can_edit(user, agreement.municipality):
        raise PermissionDenied
    return activity


def get_evidence_for_user(user, agreement, pk: int):
    if not roles_for(user, agreement.municipality) & READ_ROLES:
        raise Http404
    item = Evidence.objects.filter(
        pk=pk, municipality=agreement.municipality, activity__agreement=agreement
    ).first()
    if item is None:
        raise Http404
    return item


def get_followup_for_user(user, agreement, period: str):
    """The follow-up of a period, or None when nothing has been saved yet."""
    if not roles_for(user, agreement.municipality) & READ_ROLES:
        raise Http404
    return (
        FollowUp.objects.filter(agreement=agreement, municipality=agreement.municipality)
        .filter(period=period)
        .prefetch_related("statuses", "narratives", "approvals__user")
        .first()
    )


def followups_for_user(user, agreement):
    if not roles_for(user, agreement.municipality) & READ_ROLES:
        raise Http404
    return FollowUp.objects.filter(agreement=agreement, municipality=agreement.municipality)
