"""Every write to an åtgärdsplan goes through these functions.

Each runs in one transaction and leaves an audit entry. Any edit of the plan or its
measures clears the approvals (accounts/approvals.py); a decided plan is frozen (edits
refused) and changed by a revision: a copy as the next version, the decided one kept as
it was. The follow-up of measures and the link from a measure to the commitment it
became are records of the work, not of the decided plan: they are allowed on a decided
plan and do not clear approvals.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from medborgarlofte.accounts import access, approvals, audit, decisions
from medborgarlofte.agreements import priorities
from medborgarlofte.agreements import services as agreement_services
from medborgarlofte.agreements.models import Party

from .models import (
    ActionPlan,
    ActionPlanDecision,
    CooperationAgreement,
    Goal,
    GoalCommitment,
    Measure,
    MeasureFollowUp,
)

PLAN_FIELDS = ["title", "first_year", "last_year", "summary", "police_take_part"]
MEASURE_FIELDS = [
    "title",
    "description",
    "responsible",
    "partners",
    "with_police",
    "starts",
    "ends",
    "place",
    "hours",
    "cost",
    "expected_effect",
    "indicator",
]


def _state(obj, fields) -> dict:
    out = {}
    for name in fields:
        value = getattr(obj, name)
        if hasattr(value, "pk"):  # a foreign key (the place): its id
            value = value.pk
        out[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


def _measure_state(measure) -> dict:
    state = _state(measure, MEASURE_FIELDS)
    state["problems"] = sorted(measure.problems.values_list("pk", flat=True))
    return state


def _prepare_edit(plan: ActionPlan, user) -> tuple[ActionPlan, int]:
    """Check the user may edit, lock the row, refuse a decided plan, clear approvals."""
    access.require_edit(user, plan.municipality)
    plan = approvals.lock(plan)
    if not plan.is_editable:
        raise ValidationError(_("The plan is decided. Revise it to make changes."))
    return plan, approvals.clear_approvals(plan, user)


def _check_problems(plan, problems) -> list:
    problems = list(problems)
    if any(p.lagesbild_id != plan.lagesbild_id for p in problems):
        raise PermissionDenied
    return problems


def _next_ref(plan) -> str:
    taken = set(plan.measures.values_list("ref", flat=True))
    n = plan.measures.count() + 1
    while f"Å{n}" in taken:
        n += 1
    return f"Å{n}"


# --- The plan --------------------------------------------------------------------------


@transaction.atomic
def create_plan(municipality, user, *, lagesbild, example_data=False, **values) -> ActionPlan:
    access.require_edit(user, municipality)
    if lagesbild.municipality_id != municipality.pk:
        raise PermissionDenied
    if values["last_year"] < values["first_year"]:
        raise ValidationError(_("The last year cannot be before the first year."))
    plan = ActionPlan.objects.create(
        municipality=municipality,
        lagesbild=lagesbild,
        example_data=example_data,
        **{k: v for k, v in values.items() if k in PLAN_FIELDS},
    )
    audit.record(
        user=user,
        action="create_actionplan",
        obj=plan,
        summary=str(plan),
        after={**_state(plan, PLAN_FIELDS), "lagesbild": lagesbild.pk},
    )
    return plan


@transaction.atomic
def update_plan(plan, user, **values) -> int:
    plan, cleared = _prepare_edit(plan, user)
    before = _state(plan, PLAN_FIELDS)
    for name, value in values.items():
        if name not in PLAN_FIELDS:
            raise ValueError(name)
        setattr(plan, name, value)
    if plan.last_year < plan.first_year:
        raise ValidationError(_("The last year cannot be before the first year."))
    plan.save()
    audit.record(
        user=user,
        action="update_actionplan",
        obj=plan,
        summary=str(plan),
        before=before,
        after=_state(plan, PLAN_FIELDS),
    )
    return cleared


# --- Measures --------------------------------------------------------------------------


def _check_window(values) -> None:
    if values.get("starts") and values.get("ends") and values["ends"] < values["starts"]:
        raise ValidationError(_("The measure must end after it starts."))


def _check_place(plan, place) -> None:
    """A measure's place is one of its own kommun's (the gazetteer is per kommun)."""
    if place is not None and place.municipality_id != plan.municipality_id:
        raise PermissionDenied


@transaction.atomic
def add_measure(plan, user, *, problems=(), **values) -> Measure:
    plan, cleared = _prepare_edit(plan, user)
    problems = _check_problems(plan, problems)
    _check_window(values)
    _check_place(plan, values.get("place"))
    measure = Measure.objects.create(
        plan=plan,
        municipality=plan.municipality,
        ref=_next_ref(plan),
        position=(plan.measures.aggregate(m=Max("position"))["m"] or 0) + 1,
        **{k: v for k, v in values.items() if k in MEASURE_FIELDS},
    )
    measure.problems.set(problems)
    audit.record(
        user=user,
        action="add_measure",
        obj=measure,
        summary=f"{measure.ref} {measure.title}"[:300],
        after=_measure_state(measure),
    )
    measure.approvals_cleared = cleared
    return measure


@transaction.atomic
def update_measure(measure, user, *, problems=None, **values) -> int:
    plan, cleared = _prepare_edit(measure.plan, user)
    before = _measure_state(measure)
    for name, value in values.items():
        if name not in MEASURE_FIELDS:
            raise ValueError(name)
        setattr(measure, name, value)
    _check_window({"starts": measure.starts, "ends": measure.ends})
    _check_place(plan, measure.place)
    measure.save()
    if problems is not None:
        measure.problems.set(_check_problems(plan, problems))
    audit.record(
        user=user,
        action="update_measure",
        obj=measure,
        summary=f"{measure.ref} {measure.title}"[:300],
        before=before,
        after=_measure_state(measure),
    )
    return cleared


@transaction.atomic
def delete_measure(measure, user) -> int:
    _plan, cleared = _prepare_edit(measure.plan, user)
    audit.record(
        user=user,
        action="delete_measure",
        obj=measure,
        summary=f"{measure.ref} {measure.title}"[:300],
        before=_measure_state(measure),
    )
    measure.delete()
    return cleared


# --- Approval (when the police take part) and the kommun's decision ----------------------


@transaction.atomic
def approve_plan(plan, user, party_kind: str | None = None) -> approvals.ApprovalResult:
    """One party's approval (accounts/approvals.py); only for plans the police take part in."""

    def check(plan, _party_kind, _completes):
        if not plan.police_take_part:
            raise ValidationError(
                _("The police do not take part in this plan: the kommun decides it alone.")
            )
        if not plan.measures.exists():
            raise ValidationError(_("Add at least one measure before approving."))

    return approvals.approve(plan, user, party_kind, check=check)


@transaction.atomic
def withdraw_approval(plan, user, party_kind: str | None = None) -> None:
    approvals.withdraw(plan, user, party_kind)


@transaction.atomic
def decide_plan(plan, user, **values) -> ActionPlanDecision:
    """Record the kommun's decision (accounts/decisions.py); the plan is then frozen. When
    the police take part, both parties must have approved it first."""
    decisions.require_decide(user, plan.municipality)
    plan = approvals.lock(plan)
    if not plan.measures.exists():
        raise ValidationError(_("Add at least one measure before the plan is decided."))
    if plan.police_take_part and not approvals.both_approved(plan):
        raise ValidationError(
            _("The police take part: both parties must approve the plan before it is decided.")
        )
    decision = decisions.record_decision(ActionPlanDecision, plan, user, **values)
    audit.record(
        user=user,
        action="decide_actionplan",
        obj=plan,
        summary=f"{plan}: {decision}"[:300],
        after=decisions.state(decision),
    )
    plan.status = ActionPlan.Status.DECIDED
    plan.save(update_fields=["status", "updated_at"])
    return decision


@transaction.atomic
def revise_plan(plan, user) -> ActionPlan:
    """A revision: a copy of the decided plan as the next version, a draft. The decided
    plan is not changed (its measures, follow-up and decision stay as they were)."""
    access.require_edit(user, plan.municipality)
    plan = approvals.lock(plan)
    if plan.is_editable:
        raise ValidationError(_("Only a decided plan is revised; this one can still be edited."))
    if ActionPlan.objects.filter(revises=plan, municipality=plan.municipality).exists():
        raise ValidationError(_("This plan has already been revised."))
    new = ActionPlan.objects.create(
        municipality=plan.municipality,
        lagesbild=plan.lagesbild,
        number=plan.number + 1,
        revises=plan,
        example_data=plan.example_data,
        **_state(plan, PLAN_FIELDS),
    )
    for old in plan.measures.prefetch_related("problems"):
        copy = Measure.objects.create(
            plan=new,
            municipality=new.municipality,
            ref=old.ref,
            position=old.position,
            agreement=old.agreement,
            commitment_ref=old.commitment_ref,
            **{name: getattr(old, name) for name in MEASURE_FIELDS},
        )
        copy.problems.set(old.problems.all())
    audit.record(
        user=user,
        action="revise_actionplan",
        obj=new,
        summary=str(new),
        after={"revises": plan.pk, "number": new.number, "measures": new.measures.count()},
    )
    return new


# --- Follow-up of measures ---------------------------------------------------------------


@transaction.atomic
def record_followup(measure, user, *, year, term, status, explanation) -> MeasureFollowUp:
    access.require_edit(user, measure.municipality)
    if not explanation.strip():
        raise ValidationError(_("Explain the status."))
    found = MeasureFollowUp.objects.filter(
        measure=measure, municipality=measure.municipality, year=year, term=term
    ).first()
    before = _state(found, ["status", "explanation"]) if found else None
    if found is None:
        found = MeasureFollowUp.objects.create(
            measure=measure,
            municipality=measure.municipality,
            year=year,
            term=term,
            status=status,
            explanation=explanation,
        )
    else:
        found.status, found.explanation = status, explanation
        found.save()
    audit.record(
        user=user,
        action="record_measure_followup",
        obj=found,
        summary=f"{measure.ref} {year} {term}: {status}",
        before=before,
        after={"year": year, "term": term, **_state(found, ["status", "explanation"])},
    )
    return found


# --- From a measure to a medborgarlöfte commitment ------------------------------------------


@transaction.atomic
def commitment_from_measure(measure, user, section):
    """A draft commitment in `section` (of an agreement draft) made from a measure done
    with the police: its text, both parties as owners, the measure's problems as the
    problems it answers. The measure keeps the link (agreement + commitment reference)."""
    access.require_edit(user, measure.municipality)
    measure = Measure.objects.select_for_update().get(
        pk=measure.pk, municipality=measure.municipality
    )
    if section.municipality_id != measure.municipality_id:
        raise PermissionDenied
    if not measure.with_police:
        raise ValidationError(
            _("Only a measure done together with the police can become a commitment.")
        )
    if measure.commitment_ref:
        raise ValidationError(_("This measure is already a commitment."))
    version = section.version
    if not version.is_editable:
        raise ValidationError(_("The agreement version is published: start a new version first."))
    owners = list(version.parties.filter(kind__in=[Party.Kind.MUNICIPALITY, Party.Kind.POLICE]))
    text = measure.title if not measure.description else f"{measure.title}. {measure.description}"
    commitment = agreement_services.add_commitment(section, user, text=text, owners=owners)
    problems = list(measure.problems.all())
    if problems:
        priorities.link_commitment_problems(commitment, user, problems)
    measure.agreement = version.agreement
    measure.commitment_ref = commitment.ref
    measure.save(update_fields=["agreement", "commitment_ref"])
    audit.record(
        user=user,
        action="measure_to_commitment",
        obj=measure,
        summary=f"{measure.ref} → {version.title} {commitment.ref}"[:300],
        after={"agreement": version.agreement_id, "commitment": commitment.ref},
    )
    return commitment


@transaction.atomic
def link_measure(measure, user, *, agreement, commitment_ref: str) -> None:
    """Link a measure to an existing commitment (the demo; a commitment made elsewhere)."""
    access.require_edit(user, measure.municipality)
    if agreement.municipality_id != measure.municipality_id:
        raise PermissionDenied
    measure.agreement, measure.commitment_ref = agreement, commitment_ref
    measure.save(update_fields=["agreement", "commitment_ref"])
    audit.record(
        user=user,
        action="link_measure_commitment",
        obj=measure,
        summary=f"{measure.ref} → {commitment_ref}",
        after={"agreement": agreement.pk, "commitment": commitment_ref},
    )


# --- Samverkansöverenskommelse ---------------------------------------------------------------

COOPERATION_FIELDS = ["title", "first_year", "last_year", "problems", "organisation"]
COOPERATION_FIELDS += ["follow_up_method"]
GOAL_FIELDS = ["title", "indicator", "baseline", "target"]


def _check_years(first, last) -> None:
    if last < first:
        raise ValidationError(_("The last year cannot be before the first year."))


def _prepare_cooperation_edit(cooperation, user) -> tuple[CooperationAgreement, int]:
    access.require_edit(user, cooperation.municipality)
    cooperation = approvals.lock(cooperation)
    if not cooperation.is_editable:
        raise ValidationError(
            _("The agreement is signed by both parties and can no longer change.")
        )
    return cooperation, approvals.clear_approvals(cooperation, user)


@transaction.atomic
def create_cooperation(municipality, user, *, example_data=False, **values):
    access.require_edit(user, municipality)
    _check_years(values["first_year"], values["last_year"])
    cooperation = CooperationAgreement.objects.create(
        municipality=municipality,
        example_data=example_data,
        **{k: v for k, v in values.items() if k in COOPERATION_FIELDS},
    )
    audit.record(
        user=user,
        action="create_cooperation",
        obj=cooperation,
        summary=str(cooperation)[:300],
        after=_state(cooperation, COOPERATION_FIELDS),
    )
    return cooperation


@transaction.atomic
def update_cooperation(cooperation, user, **values) -> int:
    cooperation, cleared = _prepare_cooperation_edit(cooperation, user)
    before = _state(cooperation, COOPERATION_FIELDS)
    for name, value in values.items():
        if name not in COOPERATION_FIELDS:
            raise ValueError(name)
        setattr(cooperation, name, value)
    _check_years(cooperation.first_year, cooperation.last_year)
    cooperation.save()
    audit.record(
        user=user,
        action="update_cooperation",
        obj=cooperation,
        summary=str(cooperation)[:300],
        before=before,
        after=_state(cooperation, COOPERATION_FIELDS),
    )
    return cleared


@transaction.atomic
def add_goal(cooperation, user, **values) -> Goal:
    cooperation, cleared = _prepare_cooperation_edit(cooperation, user)
    position = (cooperation.goals.aggregate(m=Max("position"))["m"] or 0) + 1
    goal = Goal.objects.create(
        cooperation=cooperation,
        municipality=cooperation.municipality,
        ref=f"M{position}",
        position=position,
        **{k: v for k, v in values.items() if k in GOAL_FIELDS},
    )
    audit.record(
        user=user,
        action="add_goal",
        obj=goal,
        summary=str(goal)[:300],
        after=_state(goal, GOAL_FIELDS),
    )
    goal.approvals_cleared = cleared
    return goal


@transaction.atomic
def sign_cooperation(cooperation, user, party_kind: str | None = None):
    """One party's signature; when both have signed, the agreement is signed and frozen."""

    def check(cooperation, _party_kind, _completes):
        if not cooperation.goals.exists():
            raise ValidationError(_("Add at least one measurable goal before signing."))

    return approvals.approve(cooperation, user, party_kind, check=check)


@transaction.atomic
def withdraw_signature(cooperation, user, party_kind: str | None = None):
    return approvals.withdraw(cooperation, user, party_kind)


@transaction.atomic
def set_commitment_goals(cooperation, user, *, agreement, commitment_ref: str, goals) -> None:
    """Which goals of the cooperation agreement a commitment of a medborgarlöfte serves.
    Allowed on a signed agreement: the promises of its years are made under it. The
    medborgarlöfte must be the kommun's and of the agreement's years."""
    access.require_edit(user, cooperation.municipality)
    if agreement.municipality_id != cooperation.municipality_id:
        raise PermissionDenied
    if not cooperation.first_year <= agreement.period_start.year <= cooperation.last_year:
        raise ValidationError(_("The medborgarlöfte is not of the agreement's years."))
    goals = list(goals)
    if any(goal.cooperation_id != cooperation.pk for goal in goals):
        raise PermissionDenied
    current = GoalCommitment.objects.filter(
        goal__cooperation=cooperation,
        municipality=cooperation.municipality,
        agreement=agreement,
        commitment_ref=commitment_ref,
    )
    before = sorted(current.values_list("goal__ref", flat=True))
    current.exclude(goal__in=goals).delete()
    for goal in goals:
        GoalCommitment.objects.get_or_create(
            goal=goal,
            municipality=cooperation.municipality,
            agreement=agreement,
            commitment_ref=commitment_ref,
        )
    audit.record(
        user=user,
        action="set_commitment_goals",
        obj=cooperation,
        summary=f"{commitment_ref}: {', '.join(g.ref for g in goals) or '–'}"[:300],
        before={"goals": before},
        after={
            "agreement": agreement.pk,
            "commitment": commitment_ref,
            "goals": sorted(g.ref for g in goals),
        },
    )
