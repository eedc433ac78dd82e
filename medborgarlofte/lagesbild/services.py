"""Every write to a lägesbild goes through these functions.

Each runs in one transaction and leaves an audit entry. Any edit of a lägesbild clears
its approvals (both parties approve what they stand behind; the two-party approval is
accounts/approvals.py); when both parties have approved, the content is frozen as a new
LagesbildVersion. Edits return the number of approvals cleared; the add-… services return
the new row with `approvals_cleared` set.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from medborgarlofte.accounts import access, approvals, audit, decisions
from medborgarlofte.privacy.gate import check_publishable

from . import publication, ranking
from .models import (
    Consequence,
    Evidence,
    IntelligenceSummary,
    Lagesbild,
    LagesbildDecision,
    LagesbildVersion,
    Problem,
    Programme,
    RankChange,
)

PROBLEM_FIELDS = [
    "title",
    "behaviour",
    "place",
    "time",
    "affected",
    "causes",
    "focus_area",
    "chosen",
]


def _state(obj, fields) -> dict:
    out = {}
    for name in fields:
        value = getattr(obj, name)
        out[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


def _prepare_edit(lagesbild: Lagesbild, user) -> tuple[Lagesbild, int]:
    """Check the user may edit, lock the row, clear approvals. Returns (lagesbild, cleared)."""
    access.require_edit(user, lagesbild.municipality)
    lagesbild = approvals.lock(lagesbild)
    return lagesbild, approvals.clear_approvals(lagesbild, user)


def _next_position(queryset) -> int:
    current = queryset.aggregate(m=Max("position"))["m"]
    return 0 if current is None else current + 1


# --- The document ----------------------------------------------------------------------


@transaction.atomic
def create_lagesbild(municipality, user, **values) -> Lagesbild:
    access.require_edit(user, municipality)
    if Lagesbild.objects.filter(
        municipality=municipality,
        period_start=values["period_start"],
        period_end=values["period_end"],
    ).exists():
        raise ValidationError(_("There is already a situational picture for this period."))
    lagesbild = Lagesbild.objects.create(municipality=municipality, **values)
    audit.record(
        user=user,
        action="create_lagesbild",
        obj=lagesbild,
        summary=lagesbild.title,
        after=_state(lagesbild, ["title", "period_start", "period_end", "promise_year"]),
    )
    return lagesbild


@transaction.atomic
def update_lagesbild(lagesbild, user, **values) -> int:
    lagesbild, cleared = _prepare_edit(lagesbild, user)
    fields = ["title", "promise_year", "analysis", "consequences", "other_information"]
    before = _state(lagesbild, fields)
    for name, value in values.items():
        if name not in fields:
            raise ValueError(name)
        setattr(lagesbild, name, value)
    lagesbild.save()
    audit.record(
        user=user,
        action="update_lagesbild",
        obj=lagesbild,
        summary=lagesbild.title,
        before=before,
        after=_state(lagesbild, fields),
    )
    return cleared


# --- Consequences (lag 2023:196, 4 § 1 p.) ---------------------------------------------

CONSEQUENCE_FIELDS = ["title", "figure", "unit", "text", "source", "year", "example_data"]


@transaction.atomic
def add_consequence(lagesbild, user, **values) -> Consequence:
    lagesbild, cleared = _prepare_edit(lagesbild, user)
    item = Consequence.objects.create(
        lagesbild=lagesbild,
        municipality=lagesbild.municipality,
        position=_next_position(lagesbild.consequence_items),
        **{k: v for k, v in values.items() if k in CONSEQUENCE_FIELDS},
    )
    audit.record(
        user=user,
        action="add_consequence",
        obj=item,
        summary=item.title,
        after=_state(item, CONSEQUENCE_FIELDS),
    )
    item.approvals_cleared = cleared
    return item


@transaction.atomic
def delete_consequence(item, user) -> int:
    _lagesbild, cleared = _prepare_edit(item.lagesbild, user)
    audit.record(
        user=user,
        action="delete_consequence",
        obj=item,
        summary=item.title,
        before=_state(item, CONSEQUENCE_FIELDS),
    )
    item.delete()
    return cleared


# --- Problems --------------------------------------------------------------------------


@transaction.atomic
def add_problem(lagesbild, user, *, crime_categories=(), **values) -> Problem:
    lagesbild, cleared = _prepare_edit(lagesbild, user)
    problem = Problem.objects.create(
        lagesbild=lagesbild,
        municipality=lagesbild.municipality,
        position=_next_position(lagesbild.problems),
        **values,
    )
    problem.crime_categories.set(crime_categories)
    audit.record(
        user=user,
        action="add_problem",
        obj=problem,
        summary=problem.title,
        after=_problem_state(problem),
    )
    problem.approvals_cleared = cleared
    return problem


def _problem_state(problem) -> dict:
    state = _state(problem, PROBLEM_FIELDS)
    state["crime_categories"] = sorted(c.slug for c in problem.crime_categories.all())
    return state


@transaction.atomic
def update_problem(problem, user, *, crime_categories=None, **values) -> int:
    _lagesbild, cleared = _prepare_edit(problem.lagesbild, user)
    before = _problem_state(problem)
    for name, value in values.items():
        if name not in PROBLEM_FIELDS:
            raise ValueError(name)
        setattr(problem, name, value)
    problem.save()
    if crime_categories is not None:
        problem.crime_categories.set(crime_categories)
    audit.record(
        user=user,
        action="update_problem",
        obj=problem,
        summary=problem.title,
        before=before,
        after=_problem_state(problem),
    )
    return cleared


@transaction.atomic
def delete_problem(problem, user) -> int:
    lagesbild, cleared = _prepare_edit(problem.lagesbild, user)
    audit.record(
        user=user,
        action="delete_problem",
        obj=problem,
        summary=problem.title,
        before=_problem_state(problem),
    )
    problem.delete()
    rescore(lagesbild)
    return cleared


# --- Evidence --------------------------------------------------------------------------


def intelligence_label(lagesbild) -> str:
    """The only text evidence of the intelligence kind carries: never its content."""
    return _("Police intelligence report %(start)s–%(end)s (held by the police)") % {
        "start": lagesbild.period_start.isoformat(),
        "end": lagesbild.period_end.isoformat(),
    }


@transaction.atomic
def add_evidence(problem, user, *, kind, label, snapshot, strength, source_app="", source_key=""):
    lagesbild, cleared = _prepare_edit(problem.lagesbild, user)
    if kind == "intelligence":
        if not access.is_police(user, lagesbild.municipality):
            raise PermissionDenied
        label = intelligence_label(lagesbild)
        snapshot = {
            "source": _("Polisen"),
            "as_of": lagesbild.period_end.isoformat(),
            "strength_basis": snapshot.get("strength_basis", ""),
        }
    evidence = Evidence.objects.create(
        problem=problem,
        municipality=problem.municipality,
        kind=kind,
        source_app=source_app,
        source_key=source_key,
        label=label,
        snapshot=snapshot,
        strength=ranking.clamp(strength),
        position=_next_position(problem.evidence),
    )
    audit.record(
        user=user,
        action="add_evidence",
        obj=evidence,
        summary=f"{problem.title}: {label}"[:300],
        after={"kind": kind, "label": label, "strength": evidence.strength, "snapshot": snapshot},
    )
    rescore(lagesbild)
    evidence.approvals_cleared = cleared
    return evidence


def add_candidate_evidence(problem, user, candidate: dict):
    """Link a figure offered by a source section (sources.candidate) as evidence."""
    snapshot = {
        k: v
        for k, v in candidate.items()
        if k not in {"key", "kind", "source_app", "source_key", "label", "strength"}
    }
    return add_evidence(
        problem,
        user,
        kind=candidate["kind"],
        label=candidate["label"],
        snapshot=snapshot,
        strength=candidate["strength"],
        source_app=candidate["source_app"],
        source_key=candidate["source_key"],
    )


@transaction.atomic
def delete_evidence(evidence, user) -> int:
    lagesbild, cleared = _prepare_edit(evidence.problem.lagesbild, user)
    audit.record(
        user=user,
        action="delete_evidence",
        obj=evidence,
        summary=evidence.label,
        before={"kind": evidence.kind, "label": evidence.label, "snapshot": evidence.snapshot},
    )
    evidence.delete()
    rescore(lagesbild)
    return cleared


# --- Ranking ---------------------------------------------------------------------------


def problem_score(problem) -> ranking.Score:
    return ranking.components((e.kind, e.strength) for e in problem.evidence.all())


def rescore(lagesbild) -> None:
    """Store each problem's score; unless ordered by hand, order the problems by score."""
    problems = list(lagesbild.problems.prefetch_related("evidence"))
    for problem in problems:
        score = problem_score(problem).total
        if problem.score != score:
            problem.score = score
            problem.save(update_fields=["score"])
    if not lagesbild.manual_order:
        ordered = sorted(problems, key=lambda p: (-p.score, p.position, p.pk))
        _save_order(ordered)


def _save_order(ordered) -> None:
    for position, problem in enumerate(ordered):
        if problem.position != position:
            problem.position = position
            problem.save(update_fields=["position"])


@transaction.atomic
def move_problem(problem, user, *, direction: str, reason: str) -> int:
    """Move a problem one step up or down; the reason is required and kept."""
    if not reason.strip():
        raise ValidationError(_("Give a reason for moving the problem."))
    lagesbild, cleared = _prepare_edit(problem.lagesbild, user)
    ordered = list(lagesbild.problems.all())
    index = next(i for i, p in enumerate(ordered) if p.pk == problem.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(ordered):
        return cleared
    ordered[index], ordered[target] = ordered[target], ordered[index]
    _save_order(ordered)
    lagesbild.manual_order = True
    lagesbild.save(update_fields=["manual_order"])
    RankChange.objects.create(
        lagesbild=lagesbild,
        municipality=lagesbild.municipality,
        problem=problem,
        from_position=index + 1,
        to_position=target + 1,
        reason=reason.strip(),
        user=user,
        user_label=audit.actor_label(user),
    )
    audit.record(
        user=user,
        action="move_problem",
        obj=problem,
        summary=f"{problem.title}: {index + 1} → {target + 1}: {reason.strip()}"[:300],
        before={"position": index + 1},
        after={"position": target + 1, "reason": reason.strip()},
    )
    return cleared


@transaction.atomic
def sort_by_score(lagesbild, user) -> int:
    lagesbild, cleared = _prepare_edit(lagesbild, user)
    lagesbild.manual_order = False
    lagesbild.save(update_fields=["manual_order"])
    rescore(lagesbild)
    audit.record(user=user, action="sort_problems_by_score", obj=lagesbild, summary=lagesbild.title)
    return cleared


# --- Approval and versions -------------------------------------------------------------


@transaction.atomic
def approve_lagesbild(lagesbild, user, party_kind: str | None = None):
    """Approve for one party (accounts/approvals.py); the approval that completes both
    freezes a new version (returned; None otherwise)."""

    def check(lagesbild, _party_kind, completes):
        if not lagesbild.problems.exists():
            raise ValidationError(_("Add at least one problem before approving."))
        if completes:  # this approval publishes it: the gate first (privacy/gate.py)
            check_publishable(publication.document_label(lagesbild), publication.texts(lagesbild))

    result = approvals.approve(lagesbild, user, party_kind, check=check)
    return freeze_version(result.document, user) if result.both_approved else None


@transaction.atomic
def withdraw_approval(lagesbild, user, party_kind: str | None = None) -> None:
    """Withdraw one party's approval; refused once both have approved and the version is
    frozen (edit the lägesbild to start a new round of approval)."""
    approvals.withdraw(lagesbild, user, party_kind)


def freeze_version(lagesbild, user) -> LagesbildVersion:
    """Snapshot the composed document (and, separately, the police-only part)."""
    from .composition import compose, police_snapshot

    content = compose(lagesbild, with_candidates=False)
    number = (lagesbild.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = LagesbildVersion.objects.create(
        lagesbild=lagesbild,
        municipality=lagesbild.municipality,
        number=number,
        content=content,
        police_sections=police_snapshot(lagesbild),
        approved_by={
            a.party_kind: {"user": a.user.get_username(), "at": a.at.isoformat()}
            for a in lagesbild.approvals.select_related("user")
        },
    )
    lagesbild.status = Lagesbild.Status.APPROVED
    lagesbild.save(update_fields=["status", "updated_at"])
    audit.record(
        user=user,
        action="freeze_lagesbild",
        obj=version,
        summary=f"{lagesbild.title} v{number}",
        after={"problems": len(content["problems"]), "police_part": bool(version.police_sections)},
    )
    return version


def statutory_gaps(content: dict) -> list[str]:
    """The parts of lag (2023:196) 4 § a frozen version lacks (empty when complete)."""
    from .composition import MAPPING_KEYS

    gaps = []
    mapping = [s for s in content.get("sections", []) if s.get("key") in MAPPING_KEYS]
    if not any(s.get("available") for s in mapping):
        gaps.append(_("the mapping of crime has no source with data"))
    if not (content.get("consequences") or (content.get("consequences_text") or "").strip()):
        gaps.append(_("the consequences of crime are not described"))
    if not (content.get("analysis") or "").strip():
        gaps.append(_("the analysis is not written"))
    return gaps


@transaction.atomic
def decide_version(version: LagesbildVersion, user, **values) -> LagesbildDecision:
    """Record the kommun's decision on a frozen version (the statutory lägesbild). Only a
    version that holds every part of 4 § can be decided; a decided version is final, a
    change is made in the working copy and frozen (and decided) as a new version."""
    decisions.require_decide(user, version.municipality)
    version = LagesbildVersion.objects.select_for_update().get(
        pk=version.pk, municipality=version.municipality
    )
    gaps = statutory_gaps(version.content)
    if gaps:
        raise ValidationError(
            _("The version lacks what lag (2023:196) 4 § asks for: %(gaps)s.")
            % {"gaps": "; ".join(gaps)}
        )
    decision = decisions.record_decision(LagesbildDecision, version, user, **values)
    audit.record(
        user=user,
        action="decide_lagesbild_version",
        obj=version,
        summary=f"{version}: {decision}"[:300],
        after=decisions.state(decision),
    )
    return decision


# --- Programmes ------------------------------------------------------------------------


@transaction.atomic
def add_programme(municipality, user, **values) -> Programme:
    access.require_edit(user, municipality)
    if values.get("url"):  # it becomes a link: http(s) only, never javascript: or data:
        URLValidator(schemes=["http", "https"])(values["url"])
    programme = Programme.objects.create(municipality=municipality, **values)
    audit.record(
        user=user,
        action="add_programme",
        obj=programme,
        summary=programme.title,
        after=_state(programme, ["title", "url", "first_year", "last_year"]),
    )
    return programme


@transaction.atomic
def delete_programme(programme, user) -> None:
    access.require_edit(user, programme.municipality)
    audit.record(
        user=user,
        action="delete_programme",
        obj=programme,
        summary=programme.title,
        before=_state(programme, ["title", "url", "first_year", "last_year"]),
    )
    programme.delete()


# --- Police intelligence (police only) -------------------------------------------------


@sensitive_variables("text")
@transaction.atomic
def save_intelligence(municipality, user, *, period_start, period_end, text, example_data=False):
    """Create or replace the summary for a period. Police users only. The audit entry
    records that it changed, never its text."""
    if not access.is_police(user, municipality):
        raise PermissionDenied
    summary, created = IntelligenceSummary.objects.update_or_create(
        municipality=municipality,
        period_start=period_start,
        period_end=period_end,
        defaults={"text": text, "updated_by": user, "example_data": example_data},
    )
    audit.record(
        user=user,
        action="create_intelligence" if created else "update_intelligence",
        obj=summary,
        summary=f"{period_start.isoformat()}–{period_end.isoformat()} ({len(text)} characters)",
    )
    return summary
