"""Internal pages of the lägesbild: the document, its problems and evidence, approvals,
frozen versions, PDF and export; the kommun's programmes; the police intelligence
summaries (police only).

Views are thin: fetch through the app's access.py, validate with a form, call one service.
The intelligence summary is fetched only through access functions that log the read;
for everyone but the police they return nothing (or 404).
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from medborgarlofte.accounts import approvals, decisions
from medborgarlofte.accounts.police_reads import ReadPurpose, Why
from medborgarlofte.privacy import comments as comment_pages
from medborgarlofte.privacy import error_reports
from medborgarlofte.privacy import views as privacy_views
from medborgarlofte.privacy.gate import PersonalDataFound

from . import access, services
from .composition import compose, find_candidate, police_part, statutory_parts
from .forms import (
    CandidateEvidenceForm,
    ConsequenceForm,
    DecisionForm,
    DetailsForm,
    IntelligenceExportForm,
    IntelligenceForm,
    LagesbildForm,
    ManualEvidenceForm,
    MoveForm,
    ProblemForm,
    ProgrammeForm,
)
from .models import Consequence, Evidence, Problem


def _document_url(lagesbild, anchor: str = "") -> str:
    url = reverse("lagesbild:document", args=[lagesbild.pk])
    return f"{url}#{anchor}" if anchor else url


@login_required
def municipality(request, code):
    kommun = access.get_municipality_for_user(request.user, code)
    can_edit = access.can_edit(request.user, kommun)
    return render(
        request,
        "lagesbild/municipality.html",
        {
            "municipality": kommun,
            "lagesbilder": access.lagesbilder_for_user(request.user, kommun),
            "programmes": access.programmes_for_user(request.user, kommun),
            "can_edit": can_edit,
            "is_police": access.is_police(request.user, kommun),
            "form": LagesbildForm(prefix="new") if can_edit else None,
            "programme_form": ProgrammeForm(prefix="programme") if can_edit else None,
        },
    )


@login_required
@require_POST
def create_lagesbild(request, code):
    kommun = access.get_municipality_for_user(request.user, code, roles=access.EDIT_ROLES)
    form = LagesbildForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            lagesbild = services.create_lagesbild(kommun, request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return HttpResponseRedirect(_document_url(lagesbild))
    return render(
        request,
        "lagesbild/municipality.html",
        {
            "municipality": kommun,
            "lagesbilder": access.lagesbilder_for_user(request.user, kommun),
            "programmes": access.programmes_for_user(request.user, kommun),
            "can_edit": True,
            "is_police": access.is_police(request.user, kommun),
            "form": form,
            "programme_form": ProgrammeForm(prefix="programme"),
        },
        status=400,
    )


def _problem_rows(lagesbild, doc, editable, police, overrides) -> list[dict]:
    problems = {p.pk: p for p in lagesbild.problems.prefetch_related("crime_categories")}
    rows = []
    for item in doc["problems"]:
        pk = item["id"]
        row = {"problem": item}
        if editable:
            row["form"] = overrides.get(("problem", pk)) or ProblemForm(
                instance=problems[pk], prefix=f"p{pk}"
            )
            row["candidate_form"] = overrides.get(("candidate", pk)) or CandidateEvidenceForm(
                sections=doc["sections"], prefix=f"e{pk}"
            )
            row["manual_form"] = overrides.get(("manual", pk)) or ManualEvidenceForm(
                police=police, prefix=f"m{pk}"
            )
            row["move_form"] = overrides.get(("move", pk)) or MoveForm(prefix=f"r{pk}")
        rows.append(row)
    return rows


def _document_context(request, lagesbild, *, why, pdf: bool = False, overrides=None) -> dict:
    """`why`: the purpose of showing the police section (None: leave it out)."""
    overrides = overrides or {}
    kommun = lagesbild.municipality
    doc = compose(lagesbild)
    summary = None
    if why is not None:
        summary = access.intelligence_for_period_for_user(
            request.user, kommun, lagesbild.period_start, lagesbild.period_end, why=why
        )
    can_edit = access.can_edit(request.user, kommun)
    editable = can_edit and not pdf
    police = access.is_police(request.user, kommun)
    return {
        "base_template": "reports/print_base.html" if pdf else "base.html",
        "pdf": pdf,
        "live": True,
        "lagesbild": lagesbild,
        "municipality": kommun,
        "doc": doc,
        "police_sections": police_part(summary),
        "export_form": IntelligenceExportForm() if summary and not pdf else None,
        "export_why": why if pdf else None,
        "editable": editable,
        **approvals.context_for(lagesbild, request.user, can_act=can_edit),
        # Comments are drafting notes: never in the PDF.
        **({} if pdf else comment_pages.context_for(lagesbild, request.user)),
        "versions": lagesbild.versions.all(),
        "problem_rows": _problem_rows(lagesbild, doc, editable, police, overrides),
        "details_form": overrides.get("details")
        or DetailsForm(instance=lagesbild, prefix="details")
        if editable
        else None,
        "problem_form": overrides.get("new_problem") or ProblemForm(prefix="new-problem")
        if editable
        else None,
        "consequence_form": overrides.get("consequence") or ConsequenceForm(prefix="consequence")
        if editable
        else None,
        "decided_versions": [
            v for v in lagesbild.versions.select_related("decision") if decisions.existing(v)
        ],
        **statutory_parts(doc),
    }


def _page_why(request, purpose) -> Why:
    return Why(purpose, request.path)


def _export_why(request, page_url):
    """(Why of a PDF export with the police section, or None for the shared PDF; a
    redirect back to the page when the reason form is incomplete)."""
    if "syfte" not in request.GET:
        return None, None
    form = IntelligenceExportForm(request.GET)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return None, HttpResponseRedirect(f"{page_url}#intelligence")
    data = form.cleaned_data
    why = Why(ReadPurpose.PDF_EXPORT, request.path, data["syfte"], data["motivering"].strip())
    return why, None


@login_required
def document(request, pk):
    lagesbild = access.get_lagesbild_for_user(request.user, pk)
    why = _page_why(request, ReadPurpose.LAGESBILD)
    return render(
        request, "lagesbild/document.html", _document_context(request, lagesbild, why=why)
    )


def _pdf_response(pdf_bytes: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf_bytes, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
def document_pdf(request, pk):
    from medborgarlofte.reports.pdf import render_pdf

    lagesbild = access.get_lagesbild_for_user(request.user, pk)
    why, back = _export_why(request, _document_url(lagesbild))
    if back is not None:
        return back
    context = _document_context(request, lagesbild, why=why, pdf=True)
    filename = f"lagesbild-{lagesbild.municipality.code}-{lagesbild.period_end.year}.pdf"
    return _pdf_response(render_pdf("lagesbild/document.html", context, request), filename)


@login_required
def export(request, pk):
    """The shared document as JSON. Never contains intelligence, whoever asks."""
    lagesbild = access.get_lagesbild_for_user(request.user, pk)
    doc = compose(lagesbild, with_candidates=False)
    response = HttpResponse(
        json.dumps(doc, ensure_ascii=False, indent=2), content_type="application/json"
    )
    filename = f"lagesbild-{lagesbild.municipality.code}-{lagesbild.period_end.year}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _version_context(request, version, *, why, pdf=False, decision_form=None) -> dict:
    police_sections = []
    if why is not None:
        police_sections = access.frozen_police_sections_for_user(request.user, version, why=why)
    decision = decisions.existing(version)
    may_decide = (
        not pdf and decision is None and decisions.can_decide(request.user, version.municipality)
    )
    return {
        "decision": decision,
        "decision_example": bool(version.content.get("example_data")),
        "decision_form": (decision_form or DecisionForm(prefix="decision")) if may_decide else None,
        "decide_url": reverse(
            "lagesbild:decide-version", args=[version.lagesbild_id, version.number]
        ),
        "statutory_gaps": services.statutory_gaps(version.content),
        **statutory_parts(version.content),
        "base_template": "reports/print_base.html" if pdf else "base.html",
        "pdf": pdf,
        "live": False,
        "lagesbild": version.lagesbild,
        "version": version,
        "municipality": version.municipality,
        "doc": version.content,
        "police_sections": police_sections,
        "export_form": IntelligenceExportForm() if police_sections and not pdf else None,
        "export_why": why if pdf else None,
        "problem_rows": [{"problem": p} for p in version.content["problems"]],
    }


@login_required
def version_detail(request, pk, number):
    version = access.get_lagesbild_version_for_user(request.user, pk, number)
    why = _page_why(request, ReadPurpose.VERSION)
    return render(request, "lagesbild/document.html", _version_context(request, version, why=why))


@login_required
def version_pdf(request, pk, number):
    from medborgarlofte.reports.pdf import render_pdf

    version = access.get_lagesbild_version_for_user(request.user, pk, number)
    page = reverse("lagesbild:version", args=[pk, number])
    why, back = _export_why(request, page)
    if back is not None:
        return back
    context = _version_context(request, version, why=why, pdf=True)
    filename = f"lagesbild-{version.municipality.code}-v{version.number}.pdf"
    return _pdf_response(render_pdf("lagesbild/document.html", context, request), filename)


def _edit(request, pk, handle):
    """POST handling: handle(lagesbild) returns (cleared, anchor) or a dict of form
    overrides to re-render the document with errors."""
    lagesbild = access.get_lagesbild_for_user(request.user, pk, edit=True)
    try:
        result = handle(lagesbild)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(_document_url(lagesbild))
    if isinstance(result, dict):
        why = _page_why(request, ReadPurpose.LAGESBILD)
        context = _document_context(request, lagesbild, why=why, overrides=result)
        return render(request, "lagesbild/document.html", context, status=400)
    cleared, anchor = result
    approvals.report_cleared(request, cleared)
    return HttpResponseRedirect(_document_url(lagesbild, anchor))


@login_required
@require_POST
def update_details(request, pk):
    def handle(lagesbild):
        form = DetailsForm(request.POST, instance=lagesbild, prefix="details")
        if not form.is_valid():
            return {"details": form}
        values = {name: form.cleaned_data[name] for name in form.changed_data}
        cleared = services.update_lagesbild(lagesbild, request.user, **values) if values else 0
        return cleared, "details"

    return _edit(request, pk, handle)


@login_required
@require_POST
def add_problem(request, pk):
    def handle(lagesbild):
        form = ProblemForm(request.POST, prefix="new-problem")
        if not form.is_valid():
            return {"new_problem": form}
        data = dict(form.cleaned_data)
        categories = data.pop("crime_categories")
        problem = services.add_problem(lagesbild, request.user, crime_categories=categories, **data)
        return problem.approvals_cleared, f"p{problem.pk}"

    return _edit(request, pk, handle)


@login_required
@require_POST
def update_problem(request, pk, item):
    def handle(lagesbild):
        problem = access.get_lagesbild_child_for_user(request.user, lagesbild, Problem, item)
        if request.POST.get("action") == "delete":
            return services.delete_problem(problem, request.user), "problems"
        form = ProblemForm(request.POST, instance=problem, prefix=f"p{problem.pk}")
        if not form.is_valid():
            return {("problem", problem.pk): form}
        data = dict(form.cleaned_data)
        categories = data.pop("crime_categories")
        problem.refresh_from_db()  # the bound ModelForm has already set the new values
        cleared = services.update_problem(
            problem, request.user, crime_categories=categories, **data
        )
        return cleared, f"p{problem.pk}"

    return _edit(request, pk, handle)


@login_required
@require_POST
def move_problem(request, pk, item):
    def handle(lagesbild):
        problem = access.get_lagesbild_child_for_user(request.user, lagesbild, Problem, item)
        form = MoveForm(request.POST, prefix=f"r{problem.pk}")
        if not form.is_valid():
            return {("move", problem.pk): form}
        cleared = services.move_problem(problem, request.user, **form.cleaned_data)
        return cleared, f"p{problem.pk}"

    return _edit(request, pk, handle)


@login_required
@require_POST
def sort_problems(request, pk):
    return _edit(request, pk, lambda lb: (services.sort_by_score(lb, request.user), "problems"))


@login_required
@require_POST
def add_evidence(request, pk, item):
    def handle(lagesbild):
        problem = access.get_lagesbild_child_for_user(request.user, lagesbild, Problem, item)
        if request.POST.get("mode") == "manual":
            police = access.is_police(request.user, lagesbild.municipality)
            form = ManualEvidenceForm(request.POST, police=police, prefix=f"m{problem.pk}")
            if not form.is_valid():
                return {("manual", problem.pk): form}
            data = form.cleaned_data
            snapshot = {k: data[k] for k in ("value", "source", "as_of") if data[k]}
            snapshot["strength_basis"] = _("judged %(level)s by the authors") % {
                "level": dict(form.fields["strength"].choices)[data["strength"]]
            }
            evidence = services.add_evidence(
                problem,
                request.user,
                kind=data["kind"],
                label=data["label"],
                snapshot=snapshot,
                strength=data["strength_value"],
            )
            return evidence.approvals_cleared, f"p{problem.pk}"
        sections = compose(lagesbild)["sections"]
        form = CandidateEvidenceForm(request.POST, sections=sections, prefix=f"e{problem.pk}")
        if not form.is_valid():
            return {("candidate", problem.pk): form}
        candidate = find_candidate(lagesbild, form.cleaned_data["candidate"])
        if candidate is None:
            raise ValidationError(_("That figure is no longer available."))
        evidence = services.add_candidate_evidence(problem, request.user, candidate)
        return evidence.approvals_cleared, f"p{problem.pk}"

    return _edit(request, pk, handle)


@login_required
@require_POST
def delete_evidence(request, pk, item):
    def handle(lagesbild):
        evidence = access.get_lagesbild_child_for_user(request.user, lagesbild, Evidence, item)
        return services.delete_evidence(evidence, request.user), f"p{evidence.problem_id}"

    return _edit(request, pk, handle)


@login_required
@require_POST
def approve(request, pk):
    lagesbild = access.get_lagesbild_for_user(request.user, pk, edit=True)
    if request.POST.get("action") != "withdraw":
        try:  # the approval that publishes passes the gate first (privacy/gate.py)
            version = services.approve_lagesbild(
                lagesbild, request.user, request.POST.get("party_kind") or None
            )
        except PersonalDataFound as exc:
            return privacy_views.blocked(
                request,
                exc,
                municipality=lagesbild.municipality,
                back_url=_document_url(lagesbild),
                retry_url=request.path,
                retry_fields={
                    "party_kind": request.POST.get("party_kind", ""),
                    "action": "approve",
                },
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(_document_url(lagesbild))
        if version is not None:
            messages.success(
                request,
                _("Both parties have approved. Version %(n)s is frozen.") % {"n": version.number},
            )
        else:
            messages.success(request, _("You approved the situational picture."))
        return HttpResponseRedirect(_document_url(lagesbild, "status"))

    def handle(lagesbild):
        services.withdraw_approval(lagesbild, request.user, request.POST.get("party_kind") or None)
        messages.info(request, _("Your approval was withdrawn."))
        return 0, "status"

    return _edit(request, pk, handle)


@login_required
@require_POST
def add_consequence(request, pk):
    def handle(lagesbild):
        form = ConsequenceForm(request.POST, prefix="consequence")
        if not form.is_valid():
            return {"consequence": form}
        item = services.add_consequence(lagesbild, request.user, **form.cleaned_data)
        return item.approvals_cleared, "consequences"

    return _edit(request, pk, handle)


@login_required
@require_POST
def delete_consequence(request, pk, item):
    def handle(lagesbild):
        found = access.get_lagesbild_child_for_user(request.user, lagesbild, Consequence, item)
        return services.delete_consequence(found, request.user), "consequences"

    return _edit(request, pk, handle)


@login_required
@require_POST
def decide_version(request, pk, number):
    """The kommun's decision on a frozen version (coordinators; accounts/decisions.py)."""
    version = access.get_lagesbild_version_for_user(request.user, pk, number)
    decisions.require_decide(request.user, version.municipality)
    page = reverse("lagesbild:version", args=[pk, number])
    form = DecisionForm(request.POST, prefix="decision")
    if form.is_valid():
        try:
            services.decide_version(version, request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The decision was recorded. This version is final."))
        return HttpResponseRedirect(page + "#decision")
    why = _page_why(request, ReadPurpose.VERSION)
    context = _version_context(request, version, why=why, decision_form=form)
    return render(request, "lagesbild/document.html", context, status=400)


# --- Programmes ------------------------------------------------------------------------


@login_required
@require_POST
def add_programme(request, code):
    kommun = access.get_municipality_for_user(request.user, code, roles=access.EDIT_ROLES)
    form = ProgrammeForm(request.POST, prefix="programme")
    if form.is_valid():
        services.add_programme(kommun, request.user, **form.cleaned_data)
        messages.success(request, _("The programme was added."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return HttpResponseRedirect(
        reverse("lagesbild:municipality", args=[kommun.code]) + "#programmes"
    )


@login_required
@require_POST
def delete_programme(request, code, item):
    programme = access.get_programme_for_user(request.user, code, item, edit=True)
    services.delete_programme(programme, request.user)
    return HttpResponseRedirect(reverse("lagesbild:municipality", args=[code]) + "#programmes")


# --- Police intelligence (police only; every read logged) --------------------------------


@login_required
def intelligence(request, code):
    kommun = access.get_municipality_for_user(request.user, code)
    why = _page_why(request, ReadPurpose.SUMMARIES)
    summaries = access.intelligence_for_user(request.user, kommun, why=why)
    return render(
        request,
        "lagesbild/intelligence.html",
        {
            "municipality": kommun,
            "summaries": summaries,
            "form": IntelligenceForm(prefix="intel"),
        },
    )


@sensitive_post_parameters("intel-text")
@login_required
@require_POST
def save_intelligence(request, code):
    error_reports.withhold(request.POST.get("intel-text", ""))
    kommun = access.get_municipality_for_user(request.user, code)
    if not access.is_police(request.user, kommun):
        from django.http import Http404

        raise Http404
    form = IntelligenceForm(request.POST, prefix="intel")
    if not form.is_valid():
        why = _page_why(request, ReadPurpose.WRITING)
        summaries = access.intelligence_for_user(request.user, kommun, why=why)
        return render(
            request,
            "lagesbild/intelligence.html",
            {"municipality": kommun, "summaries": summaries, "form": form},
            status=400,
        )
    services.save_intelligence(kommun, request.user, **form.cleaned_data)
    messages.success(request, _("The intelligence summary was saved."))
    return HttpResponseRedirect(reverse("lagesbild:intelligence", args=[kommun.code]))
