"""From the lägesbild's priorities to the promise (issue 4).

Problems of a lägesbild are linked to commitments ("why this promise"), and the chosen
problems of an approved lägesbild set the draft version's focus areas and priority crime
categories. The links are not part of the exchange format medborgarlofte/1. Every write
goes through the editing services (services.py), so it clears approvals like any edit.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from medborgarlofte.accounts import access, audit

from .models import Agreement, AgreementVersion, Commitment, Status
from .services import (
    EditOutcome,
    add_crime_category,
    add_focus_area,
    prepare_edit,
    start_new_version,
)


def focus_area_key(title: str) -> str:
    from django.utils.text import slugify

    swedish = title.replace("å", "a").replace("ä", "a").replace("ö", "o")
    swedish = swedish.replace("Å", "A").replace("Ä", "A").replace("Ö", "O")
    return slugify(swedish)[:80] or "fokusomrade"


def copy_problem_links(source: AgreementVersion, target: AgreementVersion) -> None:
    """Carry the problem links of a version's commitments over to a copy (matched by ref)."""
    by_ref = {c.ref: c for c in target.commitments.all()}
    for commitment in source.commitments.prefetch_related("problems"):
        copy = by_ref.get(commitment.ref)
        if copy is not None and commitment.problems.all():
            copy.problems.set(commitment.problems.all())


@transaction.atomic
def link_commitment_problems(commitment: Commitment, user, problems) -> EditOutcome:
    """Set the lägesbild problems a commitment answers. Clears approvals like any edit;
    refused on published versions (start a new version)."""
    _version, outcome = prepare_edit(commitment.version, user)
    problems = list(problems)
    if any(p.municipality_id != commitment.municipality_id for p in problems):
        raise PermissionDenied
    before = sorted(commitment.problems.values_list("pk", flat=True))
    commitment.problems.set(problems)
    audit.record(
        user=user,
        action="link_commitment_problems",
        obj=commitment,
        summary=commitment.text[:120],
        before={"problems": before},
        after={"problems": sorted(p.pk for p in problems)},
    )
    return outcome


@dataclass
class PrioritiesOutcome:
    version: AgreementVersion
    focus_areas_added: list
    categories_added: list
    not_backed: list
    approvals_cleared: int = 0


def _chosen_problems(lagesbild) -> list:
    from medborgarlofte.lagesbild.models import Lagesbild

    lagesbild = Lagesbild.objects.get(
        pk=lagesbild.pk, municipality_id=lagesbild.municipality_id
    )  # the current status, not a stale copy
    if lagesbild.status != Lagesbild.Status.APPROVED:
        raise ValidationError(
            _(
                "The situational picture must be approved by both parties before its priorities are used."
            )
        )
    chosen = list(lagesbild.problems.filter(chosen=True).prefetch_related("crime_categories"))
    if not chosen:
        raise ValidationError(_("The situational picture has no prioritised problems."))
    return chosen


@transaction.atomic
def apply_lagesbild_priorities(agreement: Agreement, lagesbild, user) -> PrioritiesOutcome:
    """Add the focus areas and crime categories of the lägesbild's chosen problems to the
    agreement's draft version (a new version is started when the latest is published).
    Existing entries are kept; those not backed by a chosen problem are reported."""
    access.require_edit(user, agreement.municipality)
    if lagesbild.municipality_id != agreement.municipality_id:
        raise PermissionDenied
    chosen = _chosen_problems(lagesbild)
    version = agreement.versions.order_by("-number").first()
    if version.status == Status.PUBLISHED:
        version = start_new_version(agreement, user)
    areas, categories = [], []
    for problem in chosen:
        if problem.focus_area and problem.focus_area not in areas:
            areas.append(problem.focus_area)
        for category in problem.crime_categories.all():
            if category not in categories:
                categories.append(category)
    existing_keys = set(version.focus_areas.values_list("key", flat=True))
    added_areas, cleared = [], 0
    for title in areas:
        if focus_area_key(title) not in existing_keys:
            area = add_focus_area(version, user, key=focus_area_key(title), title=title)
            cleared += area.approvals_cleared
            existing_keys.add(focus_area_key(title))
            added_areas.append(title)
    linked = set(version.crime_categories.values_list("category_id", flat=True))
    names = {n.casefold() for n in version.crime_categories.values_list("name", flat=True)}
    added_categories = []
    for category in categories:
        if category.pk not in linked and category.name.casefold() not in names:
            cleared += add_crime_category(version, user, name=category.name).approvals_cleared
            added_categories.append(category.name)
    wanted = {focus_area_key(t) for t in areas}
    not_backed = [a.title for a in version.focus_areas.all() if a.key not in wanted]
    audit.record(
        user=user,
        action="apply_lagesbild_priorities",
        obj=version,
        summary=f"{lagesbild.title} → {version.title} v{version.number}",
        after={"focus_areas": added_areas, "crime_categories": added_categories},
    )
    return PrioritiesOutcome(version, added_areas, added_categories, not_backed, cleared)
