"""Staff pages of the åtgärdsplan: the kommun's plans, one plan with its measures,
approvals, decision, revision, the follow-up of each measure and the step from a
measure to a medborgarlöfte commitment. Thin: fetch through access.py, validate with a
form, call one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from medborgarlofte.accounts import approvals, decisions
from medborgarlofte.importing.problems import ImportProblems
from medborgarlofte.incidents import before_after
from medborgarlofte.privacy import uploads

from . import access, document, exchange, services
from .forms import (
    CommitmentForm,
    CommitmentGoalsForm,
    CooperationForm,
    DecisionForm,
    FollowUpForm,
    GoalForm,
    MeasureForm,
    PlanDetailsForm,
    PlanForm,
    PlanUploadForm,
)
from .models import ActionPlan


def _plan_url(plan, anchor: str = "") -> str:
    url = reverse("actionplans:plan", args=[plan.pk])
    return f"{url}#{anchor}" if anchor else url


@login_required
def municipality(request, code, form=None, cooperation_form=None):
    kommun = access.get_municipality_for_user(request.user, code)
    can_edit = access.can_edit(request.user, kommun)
    lagesbilder = access.lagesbilder_for_plan(request.user, kommun)
    return render(
        request,
        "actionplans/municipality.html",
        {
            "municipality": kommun,
            "plans": access.plans_for_user(request.user, kommun),
            "form": (form or PlanForm(prefix="new", lagesbilder=lagesbilder)) if can_edit else None,
            "cooperations": access.cooperations_for_user(request.user, kommun),
            "cooperation_form": (cooperation_form or CooperationForm(prefix="coop"))
            if can_edit
            else None,
        },
        status=400 if form is not None or cooperation_form is not None else 200,
    )


@login_required
@require_POST
def create_plan(request, code):
    kommun = access.get_municipality_for_user(request.user, code, roles=access.EDIT_ROLES)
    lagesbilder = access.lagesbilder_for_plan(request.user, kommun)
    form = PlanForm(request.POST, prefix="new", lagesbilder=lagesbilder)
    if not form.is_valid():
        return municipality(request, code, form=form)
    plan = services.create_plan(kommun, request.user, **form.cleaned_data)
    return HttpResponseRedirect(_plan_url(plan))


# Earlier uploads listed on the upload page.
IMPORT_RUNS_SHOWN = 10


@login_required
def import_page(request, code, form=None, problems=None):
    """Upload an åtgärdsplan JSON file (docs/formats/actionplan.md): all or nothing."""
    kommun = access.get_municipality_for_user(request.user, code, roles=access.EDIT_ROLES)
    failed = form is not None or bool(problems)
    return render(
        request,
        "actionplans/import.html",
        {
            "municipality": kommun,
            "form": form or PlanUploadForm(),
            "problems": problems or [],
            "runs": access.import_runs_for_user(request.user, kommun)[:IMPORT_RUNS_SHOWN],
            "may_decide": decisions.can_decide(request.user, kommun),
        },
        status=400 if failed else 200,
    )


@login_required
@require_POST
def upload_plan(request, code):
    kommun = access.get_municipality_for_user(request.user, code, roles=access.EDIT_ROLES)
    form = PlanUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return import_page(request, code, form=form)
    upload = form.cleaned_data["file"]
    try:
        data = uploads.read_upload(upload, uploads.web_limits())
        plan, notes, imported = exchange.import_file(
            kommun,
            request.user,
            data,
            upload.name,
            uploads.web_limits(),
            confirmed=form.cleaned_data["confirm_personal_data"],
        )
    except uploads.UploadRefused as exc:
        return import_page(request, code, problems=[str(exc)])
    except ImportProblems as exc:
        return import_page(request, code, problems=exc.lines())
    if imported:
        messages.success(
            request,
            _("The file %(file)s was imported as %(title)s.")
            % {"file": upload.name, "title": plan.title},
        )
    else:
        messages.info(
            request,
            _("The file %(file)s was imported before: nothing was changed.")
            % {"file": upload.name},
        )
    for note in notes:
        messages.warning(request, note)
    return HttpResponseRedirect(_plan_url(plan))


def _measure_rows(request, plan, editable, can_edit, overrides):
    problems = access.problems_for_plan(plan)
    sections = access.draft_sections_for_user(request.user, plan.municipality) if can_edit else None
    rows = []
    for measure in plan.measures.prefetch_related("problems", "followups").select_related(
        "agreement", "place"
    ):
        rows.append(
            {
                "measure": measure,
                "before_after": before_after.compare_place(
                    measure.place, measure.starts, measure.ends
                )
                if measure.place_id
                else None,
                "form": overrides.get(("measure", measure.pk))
                or MeasureForm(
                    instance=measure,
                    prefix=f"m{measure.pk}",
                    problems=problems,
                    places=access.places_for_plan(plan, measure),
                )
                if editable
                else None,
                "followup_form": overrides.get(("followup", measure.pk))
                or FollowUpForm(prefix=f"f{measure.pk}")
                if can_edit
                else None,
                "commitment_form": overrides.get(("commitment", measure.pk))
                or CommitmentForm(prefix=f"c{measure.pk}", sections=sections)
                if can_edit and measure.with_police and not measure.commitment_ref
                else None,
            }
        )
    return rows


def _plan_context(request, plan, overrides=None) -> dict:
    overrides = overrides or {}
    kommun = plan.municipality
    can_edit = access.can_edit(request.user, kommun)
    editable = can_edit and plan.is_editable
    decision = decisions.existing(plan)
    may_decide = decision is None and decisions.can_decide(request.user, kommun)
    revision = ActionPlan.objects.filter(revises=plan, municipality=kommun).first()
    return {
        "plan": plan,
        "municipality": kommun,
        "can_edit": can_edit,
        "editable": editable,
        "measure_rows": _measure_rows(request, plan, editable, can_edit, overrides),
        "details_form": overrides.get("details") or PlanDetailsForm(instance=plan, prefix="plan")
        if editable
        else None,
        "measure_form": overrides.get("new_measure")
        or MeasureForm(
            prefix="new-measure",
            problems=access.problems_for_plan(plan),
            places=access.places_for_plan(plan),
        )
        if editable
        else None,
        "approve_url": reverse("actionplans:approve", args=[plan.pk]),
        **approvals.context_for(plan, request.user, can_act=editable and plan.police_take_part),
        "decision": decision,
        "decision_example": plan.example_data,
        "decision_form": (overrides.get("decision") or DecisionForm(prefix="decision"))
        if may_decide
        else None,
        "decide_url": reverse("actionplans:decide", args=[plan.pk]),
        "revision": revision,
        "can_revise": can_edit and decision is not None and revision is None,
        "totals": _totals(plan),
    }


def _totals(plan) -> dict:
    measures = list(plan.measures.all())
    return {
        "hours": sum(m.hours or 0 for m in measures),
        "cost": sum(m.cost or 0 for m in measures),
        "count": len(measures),
    }


@login_required
def plan(request, pk):
    found = access.get_plan_for_user(request.user, pk)
    return render(request, "actionplans/plan.html", _plan_context(request, found))


@login_required
def plan_pdf(request, pk):
    """The plan as a tagged PDF (actionplans/document.py)."""
    found = access.get_plan_for_user(request.user, pk)
    response = HttpResponse(document.plan_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.file_name(found)}"'
    return response


def _run(request, found, handle, *, template, context, url):
    """POST handling for a plan or a samverkansöverenskommelse: handle(found) returns
    (cleared, anchor), or a dict of form overrides (the page again with the errors, 400);
    a refused change is a message on the page."""
    try:
        result = handle(found)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(url(found))
    if isinstance(result, dict):
        found.refresh_from_db()
        return render(request, template, context(request, found, overrides=result), status=400)
    cleared, anchor = result
    approvals.report_cleared(request, cleared)
    return HttpResponseRedirect(url(found, anchor))


def _edit(request, pk, handle, *, edit=True):
    found = access.get_plan_for_user(request.user, pk, edit=edit)
    return _run(
        request, found, handle,
        template="actionplans/plan.html", context=_plan_context, url=_plan_url,
    )  # fmt: skip


@login_required
@require_POST
def update_plan(request, pk):
    def handle(plan):
        form = PlanDetailsForm(request.POST, instance=plan, prefix="plan")
        if not form.is_valid():
            return {"details": form}
        values = {name: form.cleaned_data[name] for name in form.changed_data}
        plan.refresh_from_db()
        return (services.update_plan(plan, request.user, **values) if values else 0), "details"

    return _edit(request, pk, handle)


@login_required
@require_POST
def add_measure(request, pk):
    def handle(plan):
        form = MeasureForm(
            request.POST,
            prefix="new-measure",
            problems=access.problems_for_plan(plan),
            places=access.places_for_plan(plan),
        )
        if not form.is_valid():
            return {"new_measure": form}
        data = dict(form.cleaned_data)
        measure = services.add_measure(plan, request.user, **data)
        return measure.approvals_cleared, f"m{measure.pk}"

    return _edit(request, pk, handle)


@login_required
@require_POST
def update_measure(request, pk, item):
    def handle(plan):
        measure = access.get_measure_for_user(request.user, plan, item)
        if request.POST.get("action") == "delete":
            return services.delete_measure(measure, request.user), "measures"
        form = MeasureForm(
            request.POST,
            instance=measure,
            prefix=f"m{measure.pk}",
            problems=access.problems_for_plan(plan),
            places=access.places_for_plan(plan, measure),
        )
        if not form.is_valid():
            return {("measure", measure.pk): form}
        data = dict(form.cleaned_data)
        measure.refresh_from_db()
        return services.update_measure(measure, request.user, **data), f"m{measure.pk}"

    return _edit(request, pk, handle)


@login_required
@require_POST
def record_followup(request, pk, item):
    def handle(plan):
        measure = access.get_measure_for_user(request.user, plan, item)
        form = FollowUpForm(request.POST, prefix=f"f{measure.pk}")
        if not form.is_valid():
            return {("followup", measure.pk): form}
        services.record_followup(measure, request.user, **form.cleaned_data)
        messages.success(request, _("The follow-up was saved."))
        return 0, f"m{measure.pk}"

    return _edit(request, pk, handle)


@login_required
@require_POST
def to_commitment(request, pk, item):
    def handle(plan):
        measure = access.get_measure_for_user(request.user, plan, item)
        sections = access.draft_sections_for_user(request.user, plan.municipality)
        form = CommitmentForm(request.POST, prefix=f"c{measure.pk}", sections=sections)
        if not form.is_valid():
            return {("commitment", measure.pk): form}
        commitment = services.commitment_from_measure(
            measure, request.user, form.cleaned_data["section"]
        )
        messages.success(
            request,
            _("The measure is now the draft commitment %(ref)s in %(title)s.")
            % {"ref": commitment.ref, "title": commitment.version.title},
        )
        return 0, f"m{measure.pk}"

    return _edit(request, pk, handle)


@login_required
@require_POST
def approve(request, pk):
    def handle(plan):
        party = request.POST.get("party_kind") or None
        if request.POST.get("action") == "withdraw":
            services.withdraw_approval(plan, request.user, party)
            messages.info(request, _("Your approval was withdrawn."))
        else:
            result = services.approve_plan(plan, request.user, party)
            if result.both_approved:
                messages.success(
                    request, _("Both parties have approved. The kommun can decide the plan.")
                )
            else:
                messages.success(request, _("You approved the action plan."))
        return 0, "status"

    return _edit(request, pk, handle)


@login_required
@require_POST
def decide(request, pk):
    def handle(plan):
        decisions.require_decide(request.user, plan.municipality)
        form = DecisionForm(request.POST, prefix="decision")
        if not form.is_valid():
            return {"decision": form}
        services.decide_plan(plan, request.user, **form.cleaned_data)
        messages.success(request, _("The decision was recorded. The plan is frozen."))
        return 0, "decision"

    return _edit(request, pk, handle)


@login_required
@require_POST
def revise(request, pk):
    found = access.get_plan_for_user(request.user, pk, edit=True)
    try:
        new = services.revise_plan(found, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(_plan_url(found))
    messages.success(request, _("Version %(n)s was started as a draft.") % {"n": new.number})
    return HttpResponseRedirect(_plan_url(new))


# --- Samverkansöverenskommelse ---------------------------------------------------------------


def _cooperation_url(cooperation, anchor: str = "") -> str:
    url = reverse("actionplans:cooperation", args=[cooperation.pk])
    return f"{url}#{anchor}" if anchor else url


def _cooperation_context(request, cooperation, overrides=None) -> dict:
    overrides = overrides or {}
    kommun = cooperation.municipality
    can_edit = access.can_edit(request.user, kommun)
    editable = can_edit and cooperation.is_editable
    goals = cooperation.goals.all()
    promises = access.promises_under(cooperation)
    if can_edit and goals:
        for promise in promises:
            for row in promise["commitments"]:
                key = ("goals", promise["agreement"].pk, row["commitment"].ref)
                row["form"] = overrides.get(key) or CommitmentGoalsForm(
                    prefix=f"c{promise['agreement'].pk}-{row['commitment'].pk}",
                    goals=goals,
                    initial={"goals": row["goals"]},
                )
                row["prefix"] = f"c{promise['agreement'].pk}-{row['commitment'].pk}"
    return {
        "cooperation": cooperation,
        "municipality": kommun,
        "goals": goals,
        "promises": promises,
        "editable": editable,
        "details_form": (
            overrides.get("details") or CooperationForm(instance=cooperation, prefix="coop")
        )
        if editable
        else None,
        "goal_form": (overrides.get("goal") or GoalForm(prefix="goal")) if editable else None,
        "approve_url": reverse("actionplans:sign-cooperation", args=[cooperation.pk]),
        **approvals.context_for(cooperation, request.user, can_act=editable),
    }


@login_required
@require_POST
def create_cooperation(request, code):
    kommun = access.get_municipality_for_user(request.user, code, roles=access.EDIT_ROLES)
    form = CooperationForm(request.POST, prefix="coop")
    if not form.is_valid():
        return municipality(request, code, cooperation_form=form)
    cooperation = services.create_cooperation(kommun, request.user, **form.cleaned_data)
    return HttpResponseRedirect(_cooperation_url(cooperation))


@login_required
def cooperation(request, pk):
    found = access.get_cooperation_for_user(request.user, pk)
    return render(request, "actionplans/cooperation.html", _cooperation_context(request, found))


def _cooperation_edit(request, pk, handle):
    found = access.get_cooperation_for_user(request.user, pk, edit=True)
    return _run(
        request, found, handle,
        template="actionplans/cooperation.html", context=_cooperation_context,
        url=_cooperation_url,
    )  # fmt: skip


@login_required
@require_POST
def update_cooperation(request, pk):
    def handle(found):
        form = CooperationForm(request.POST, instance=found, prefix="coop")
        if not form.is_valid():
            return {"details": form}
        values = {name: form.cleaned_data[name] for name in form.changed_data}
        found.refresh_from_db()
        return (
            services.update_cooperation(found, request.user, **values) if values else 0
        ), "details"

    return _cooperation_edit(request, pk, handle)


@login_required
@require_POST
def add_goal(request, pk):
    def handle(found):
        form = GoalForm(request.POST, prefix="goal")
        if not form.is_valid():
            return {"goal": form}
        goal = services.add_goal(found, request.user, **form.cleaned_data)
        return goal.approvals_cleared, "goals"

    return _cooperation_edit(request, pk, handle)


@login_required
@require_POST
def sign_cooperation(request, pk):
    def handle(found):
        party = request.POST.get("party_kind") or None
        if request.POST.get("action") == "withdraw":
            services.withdraw_signature(found, request.user, party)
            messages.info(request, _("Your approval was withdrawn."))
        else:
            result = services.sign_cooperation(found, request.user, party)
            if result.both_approved:
                messages.success(request, _("Both parties have signed the agreement."))
            else:
                messages.success(request, _("You signed the agreement."))
        return 0, "status"

    return _cooperation_edit(request, pk, handle)


@login_required
@require_POST
def commitment_goals(request, pk, agreement, ref):
    def handle(found):
        promise = next(
            (p for p in access.promises_under(found) if p["agreement"].pk == agreement), None
        )
        row = promise and next(
            (r for r in promise["commitments"] if r["commitment"].ref == ref), None
        )
        if row is None:
            raise Http404
        prefix = f"c{agreement}-{row['commitment'].pk}"
        form = CommitmentGoalsForm(request.POST, prefix=prefix, goals=found.goals.all())
        if not form.is_valid():
            return {("goals", agreement, ref): form}
        services.set_commitment_goals(
            found,
            request.user,
            agreement=promise["agreement"],
            commitment_ref=ref,
            goals=form.cleaned_data["goals"],
        )
        return 0, "promises"

    return _cooperation_edit(request, pk, handle)
