"""Who may see and change the lägesbild, its problems, programmes and intelligence.

Intelligence summaries are police-only: non-police users get 404 (their existence is
not confirmed), and every read by the police is written to the audit log with who,
when (UTC), what (the object) and why (`why`: the purpose of the page that shows it and,
for exports, the reason chosen; accounts/police_reads.py). Built on accounts.access;
the building blocks are re-exported."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from medborgarlofte.accounts.access import (  # noqa: F401  (re-exported building blocks)
    EDIT_ROLES,
    READ_ROLES,
    can_edit,
    get_municipality_for_user,
    is_police,
    log_police_read,
    municipalities_for_user,
    require_edit,
    roles_for,
)

from .models import IntelligenceSummary, Lagesbild, Problem, Programme


def intelligence_for_user(user, municipality, *, why):
    """All intelligence summaries of a kommun (police only, each read logged)."""
    if not is_police(user, municipality):
        raise Http404
    summaries = list(IntelligenceSummary.objects.filter(municipality=municipality))
    for summary in summaries:
        log_police_read(user, summary, why)
    return summaries


def get_intelligence_for_user(user, code: str, pk: int, *, why, edit: bool = False):
    """One intelligence summary (police only; 404 for everyone else), the read logged."""
    municipality = get_municipality_for_user(user, code)
    if not is_police(user, municipality):
        raise Http404
    summary = IntelligenceSummary.objects.filter(municipality=municipality, pk=pk).first()
    if summary is None:
        raise Http404
    if not edit:
        log_police_read(user, summary, why)
    return summary


def intelligence_for_period_for_user(user, municipality, start, end, *, why):
    """The summary covering exactly this period, for police users (read logged); None for
    everyone else, without touching the table."""
    if not is_police(user, municipality):
        return None
    summary = IntelligenceSummary.objects.filter(
        municipality=municipality, period_start=start, period_end=end
    ).first()
    if summary is not None:
        log_police_read(user, summary, why)
    return summary


def frozen_police_sections_for_user(user, version, *, why) -> list:
    """The police-only part of a frozen lägesbild version: [] for non-police users."""
    if not is_police(user, version.municipality) or not version.police_sections:
        return []
    log_police_read(user, version, why)
    return version.police_sections


def lagesbilder_for_user(user, municipality):
    if not roles_for(user, municipality) & READ_ROLES:
        raise Http404
    return Lagesbild.objects.filter(municipality=municipality)


def get_lagesbild_for_user(user, pk: int, *, edit: bool = False):
    lagesbild = (
        Lagesbild.objects.filter(pk=pk, municipality__in=municipalities_for_user(user))
        .select_related("municipality", "municipality__county")
        .first()
    )
    if lagesbild is None:
        raise Http404
    if edit and not can_edit(user, lagesbild.municipality):
        raise PermissionDenied
    return lagesbild


def get_lagesbild_version_for_user(user, pk: int, number: int):
    lagesbild = get_lagesbild_for_user(user, pk)
    version = lagesbild.versions.filter(number=number).first()
    if version is None:
        raise Http404
    return version


def get_lagesbild_child_for_user(user, lagesbild, model, pk: int):
    """A problem (or evidence of one of its problems) inside this lägesbild."""
    scope = (
        {"lagesbild": lagesbild}
        if hasattr(model, "lagesbild")
        else {"problem__lagesbild": lagesbild}
    )
    obj = model.objects.filter(pk=pk, municipality=lagesbild.municipality, **scope).first()
    if obj is None:
        raise Http404
    return obj


def programmes_for_user(user, municipality):
    if not roles_for(user, municipality) & READ_ROLES:
        raise Http404
    return Programme.objects.filter(municipality=municipality)


def get_programme_for_user(user, code: str, pk: int, *, edit: bool = False):
    municipality = get_municipality_for_user(user, code, roles=EDIT_ROLES if edit else READ_ROLES)
    programme = programmes_for_user(user, municipality).filter(pk=pk).first()
    if programme is None:
        raise Http404
    return programme


def problems_for_user(user, municipality):
    """Problems of the kommun's lägesbilder (for linking commitments to them)."""
    if not roles_for(user, municipality) & READ_ROLES:
        raise Http404
    return Problem.objects.filter(municipality=municipality).select_related("lagesbild")
