"""Who may see and change the åtgärdsplan (built on accounts.access).

Coordinator and police read and edit (the police take part in joint measures and
approve the plan when they take part); readers read; the kommun's decision is recorded
by its coordinators (accounts/decisions.py). Another kommun's user gets 404.
The building blocks are re-exported so call sites read ``access.require_edit(...)``."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from medborgarlofte.accounts.access import (  # noqa: F401  (re-exported building blocks)
    EDIT_ROLES,
    READ_ROLES,
    can_edit,
    get_municipality_for_user,
    municipalities_for_user,
    require_edit,
    roles_for,
)
from medborgarlofte.agreements.models import Section, Status
from medborgarlofte.kommuner.models import Place
from medborgarlofte.lagesbild.models import Lagesbild, Problem

from .models import (
    ActionPlan,
    ActionPlanImportRun,
    CooperationAgreement,
    GoalCommitment,
    Measure,
    MeasureFollowUp,
)


def plans_for_user(user, municipality):
    if not roles_for(user, municipality) & READ_ROLES:
        raise Http404
    return ActionPlan.objects.filter(municipality=municipality).select_related("lagesbild")


def get_plan_for_user(user, pk: int, *, edit: bool = False) -> ActionPlan:
    plan = (
        ActionPlan.objects.filter(pk=pk, municipality__in=municipalities_for_user(user))
        .select_related("municipality", "lagesbild")
        .first()
    )
    if plan is None:
        raise Http404
    if edit and not can_edit(user, plan.municipality):
        raise PermissionDenied
    return plan


def get_measure_for_user(user, plan: ActionPlan, pk: int) -> Measure:
    measure = Measure.objects.filter(pk=pk, plan=plan, municipality=plan.municipality).first()
    if measure is None:
        raise Http404
    return measure


def places_for_plan(plan: ActionPlan, current=None):
    """The kommun's active places of the gazetteer (and a measure's current one)."""
    places = Place.objects.filter(municipality=plan.municipality)
    return places.filter(active=True) | places.filter(pk=getattr(current, "place_id", None))


def get_followup_for_user(user, measure: Measure, pk: int) -> MeasureFollowUp:
    found = MeasureFollowUp.objects.filter(
        pk=pk, measure=measure, municipality=measure.municipality
    ).first()
    if found is None:
        raise Http404
    return found


def lagesbilder_for_plan(user, municipality):
    """The lägesbilder a plan can be based on."""
    if not roles_for(user, municipality) & READ_ROLES:
        raise Http404
    return Lagesbild.objects.filter(municipality=municipality)


def import_runs_for_user(user, municipality):
    """The kommun's uploads of åtgärdsplan files, newest first (those who edit)."""
    if not roles_for(user, municipality) & EDIT_ROLES:
        raise Http404
    return ActionPlanImportRun.objects.filter(municipality=municipality).select_related("plan")


def problems_for_plan(plan: ActionPlan):
    """The problems of the plan's lägesbild (a measure addresses some of them)."""
    return Problem.objects.filter(lagesbild=plan.lagesbild, municipality=plan.municipality)


def draft_sections_for_user(user, municipality):
    """Sections of the kommun's agreement drafts: where a measure can become a commitment."""
    if not can_edit(user, municipality):
        raise Http404
    return (
        Section.objects.filter(municipality=municipality)
        .exclude(version__status=Status.PUBLISHED)
        .select_related("version", "version__agreement")
        .order_by("-version__agreement__period_start", "version__number", "position")
    )


def measures_for_commitments(user, municipality, agreement):
    """The measures linked to commitments of an agreement (for the editor's notes)."""
    if not roles_for(user, municipality) & READ_ROLES:
        return Measure.objects.none()
    return (
        Measure.objects.filter(municipality=municipality, agreement=agreement)
        .exclude(commitment_ref="")
        .select_related("plan")
    )


def cooperations_for_user(user, municipality):
    if not roles_for(user, municipality) & READ_ROLES:
        raise Http404
    return CooperationAgreement.objects.filter(municipality=municipality)


def get_cooperation_for_user(user, pk: int, *, edit: bool = False) -> CooperationAgreement:
    found = (
        CooperationAgreement.objects.filter(pk=pk, municipality__in=municipalities_for_user(user))
        .select_related("municipality")
        .first()
    )
    if found is None:
        raise Http404
    if edit and not can_edit(user, found.municipality):
        raise PermissionDenied
    return found


def promises_under(cooperation: CooperationAgreement) -> list[dict]:
    """The medborgarlöften of the agreement's years, each with the commitments of its
    newest version and the goals each serves: [{agreement, version, commitments:
    [{commitment, goals}]}]."""
    from medborgarlofte.agreements.models import Agreement

    links: dict[tuple, list] = {}
    for link in GoalCommitment.objects.filter(
        goal__cooperation=cooperation, municipality=cooperation.municipality
    ).select_related("goal"):
        links.setdefault((link.agreement_id, link.commitment_ref), []).append(link.goal)
    out = []
    agreements = Agreement.objects.filter(
        municipality=cooperation.municipality,
        period_start__year__gte=cooperation.first_year,
        period_start__year__lte=cooperation.last_year,
    ).order_by("period_start")
    for agreement in agreements:
        version = agreement.versions.order_by("-number").first()
        if version is None:
            continue
        rows = [
            {
                "commitment": c,
                "goals": sorted(links.get((agreement.pk, c.ref), []), key=lambda g: g.position),
            }
            for c in version.commitments.order_by("section__position", "position", "id")
        ]
        out.append({"agreement": agreement, "version": version, "commitments": rows})
    return out


def goal_links_for_commitments(user, municipality, agreement):
    """The goal links of an agreement's commitments (for the editor's notes)."""
    if not roles_for(user, municipality) & READ_ROLES:
        return GoalCommitment.objects.none()
    return GoalCommitment.objects.filter(
        municipality=municipality, agreement=agreement
    ).select_related("goal", "goal__cooperation")
