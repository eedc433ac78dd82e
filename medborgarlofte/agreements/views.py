"""Internal pages for coordinators and police: the agreement register and its editor.

Views are thin: fetch through the app's access.py, validate with a form, call one service,
redirect. Editor forms carry hx-boost, so with JavaScript the editor is swapped in
place by htmx; without it every action is an ordinary POST and redirect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from medborgarlofte.accounts import approvals, audit_sentences, undo
from medborgarlofte.kommuner.collation import sorted_swedish
from medborgarlofte.lagesbild import access as lagesbild_access
from medborgarlofte.privacy import comments as comment_pages
from medborgarlofte.privacy import views as privacy_views
from medborgarlofte.privacy.gate import PersonalDataFound

from . import access, commitment_notes, earlier_followup, nextyear, priorities, schedule, services
from .forms import (
    BasisItemForm,
    CommitmentForm,
    CopyAgreementForm,
    CrimeCategoryEditForm,
    CrimeCategoryForm,
    DetailsForm,
    DropCommitmentForm,
    FocusAreaEditForm,
    FocusAreaForm,
    IndicatorForm,
    PartyForm,
    PrioritiesForm,
    ProblemLinkForm,
    SectionForm,
    SignatoryForm,
    UploadForm,
)
from .history import changes_since_published, version_history
from .models import (
    BasisItem,
    Commitment,
    FocusArea,
    Indicator,
    Party,
    PriorityCategory,
    Section,
    Signatory,
    Status,
)


def _editor_url(version, anchor: str = "") -> str:
    url = reverse("agreements:version", args=[version.agreement_id, version.number])
    return f"{url}#{anchor}" if anchor else url


def _report(request, outcome) -> None:
    """EditOutcome, or the new row of an add-… service: both carry approvals_cleared."""
    approvals.report_cleared(request, getattr(outcome, "approvals_cleared", 0))


@login_required
def dashboard(request):
    municipalities = sorted_swedish(
        access.municipalities_for_user(request.user), key=lambda m: m.name
    )
    if not municipalities and access.municipalities_for_user(request.user, {"reporter"}).exists():
        return redirect("incidents:home")  # reporters only report incidents
    if len(municipalities) == 1:
        return redirect("agreements:municipality", code=municipalities[0].code)
    return render(request, "agreements/dashboard.html", {"municipalities": municipalities})


@login_required
def municipality(request, code):
    kommun = access.get_municipality_for_user(request.user, code)
    agreements = (
        access.agreements_for_user(request.user)
        .filter(municipality=kommun)
        .prefetch_related("versions")
    )
    return render(
        request,
        "agreements/municipality.html",
        {
            "municipality": kommun,
            "agreements": agreements,
            "can_edit": access.can_edit(request.user, kommun),
            "upload_form": UploadForm(),
        },
    )


@login_required
def upload_agreement(request, code):
    from .exchange import DocumentError, load_document
    from .importing import import_agreement_document

    kommun = access.get_municipality_for_user(request.user, code, roles=access.EDIT_ROLES)
    form = UploadForm(request.POST or None, request.FILES or None)
    result = errors = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            document = load_document(upload.read(), name=upload.name)
            if document.get("municipality") != kommun.code:
                raise DocumentError.single(
                    upload.name,
                    "municipality",
                    _(
                        "the file is for kommun %(other)s, but you are uploading to %(this)s (%(code)s)"
                    )
                    % {
                        "other": document.get("municipality"),
                        "this": kommun.name,
                        "code": kommun.code,
                    },
                )
            result = import_agreement_document(
                document, user=request.user, dry_run=form.cleaned_data["dry_run"], name=upload.name
            )
        except DocumentError as exc:
            errors = exc
        if result is not None and not form.cleaned_data["dry_run"]:
            for line in result.summary_lines():
                messages.success(request, line)
            return redirect(_editor_url(result.version))
    status = 400 if errors else 200
    return render(
        request,
        "agreements/upload.html",
        {
            "municipality": kommun,
            "form": form,
            "result": result,
            "errors": errors,
        },
        status=status,
    )


@login_required
def audit_log(request, code):
    kommun = access.get_municipality_for_user(request.user, code, roles=access.EDIT_ROLES)
    entries = access.audit_entries_for_user(request.user, kommun)[:300]
    rows = audit_sentences.sentences_for(entries, kommun)
    return render(request, "agreements/audit_log.html", {"municipality": kommun, "rows": rows})


@login_required
def agreement(request, pk):
    found = access.get_agreement_for_user(request.user, pk)
    latest = found.versions.order_by("-number").first()
    return redirect(_editor_url(latest))


def _version_context(request, version, **extra):
    kommun = version.municipality
    can_edit = access.can_edit(request.user, kommun)
    editable = can_edit and version.is_editable
    sections = version.sections.select_related("focus_area").prefetch_related(
        "commitments__continues__version__agreement",
        "commitments__owner_links__party",
        "commitments__indicators",
        "commitments__problems__lagesbild",
    )
    latest = version.agreement.versions.order_by("-number").first()
    context = {
        "version": version,
        "agreement": version.agreement,
        "municipality": kommun,
        "sections": sections,
        "can_edit": can_edit,
        "editable": editable,
        **approvals.context_for(version, request.user, can_act=editable),
        **comment_pages.context_for(version, request.user),
        "approve_url": reverse("agreements:approve", args=[version.agreement_id, version.number]),
        "is_latest": latest.pk == version.pk,
        # What the parties approve: the changes since the latest published version.
        "since_published": SimpleLazyObject(lambda: changes_since_published(version)),
        "can_start_new_version": can_edit
        and latest.pk == version.pk
        and version.status == Status.PUBLISHED,
        "unlinked_categories": [c for c in version.crime_categories.all() if c.category_id is None],
        "follow_up_plan": schedule.describe(version.follow_up_schedule),
        "copy_form": CopyAgreementForm(
            prefix="copy",
            initial={"start_year": version.agreement.period_end.year + 1},
        )
        if can_edit
        else None,
    }
    overrides = {
        key: extra.pop(key, {})
        for key in (
            "commitment_errors",
            "section_form_errors",
            "new_commitment_errors",
            "indicator_errors",
            "drop_errors",
            "general_errors",
        )
    }
    earlier = _earlier_statuses(request.user, sections) if editable else {}
    notes = commitment_notes.notes_for(request.user, version)
    if editable:
        context.update(
            {
                "undo": undo.pending(request, _undo_scope(version)),
                "undo_url": reverse(
                    "agreements:undo-delete", args=[version.agreement_id, version.number]
                ),
                "details_form": DetailsForm(instance=version, prefix="details"),
                "section_form": SectionForm(version=version, prefix="new-section"),
                "focus_area_form": FocusAreaForm(prefix="new-area"),
                "category_form": CrimeCategoryForm(prefix="new-category"),
                **_general_forms(version, overrides["general_errors"]),
            }
        )
    context["section_rows"] = [
        {
            "section": section,
            "form": overrides["section_form_errors"].get(section.pk)
            or SectionForm(
                version=version,
                prefix=f"s{section.pk}",
                initial={"heading": section.heading, "focus_area": section.focus_area},
            )
            if editable
            else None,
            "new_form": overrides["new_commitment_errors"].get(section.pk)
            or CommitmentForm(version=version, prefix=f"new-c{section.pk}")
            if editable
            else None,
            "commitments": [
                {
                    "commitment": c,
                    "form": overrides["commitment_errors"].get(c.pk)
                    or CommitmentForm(
                        version=version,
                        prefix=f"c{c.pk}",
                        initial={
                            "text": c.text,
                            "owners": [link.party for link in c.owner_links.all()],
                            "level": c.level,
                            "cadence": c.cadence,
                        },
                    )
                    if editable
                    else None,
                    "indicator_form": overrides["indicator_errors"].get(c.pk)
                    or IndicatorForm(prefix=f"i{c.pk}", municipality=version.municipality)
                    if editable
                    else None,
                    "earlier": earlier.get(c.continues_id) if c.continues_id else None,
                    "notes": notes.get(c.ref, []),
                    "drop_form": overrides["drop_errors"].get(c.pk)
                    or DropCommitmentForm(prefix=f"d{c.pk}")
                    if editable and c.continues_id
                    else None,
                }
                for c in section.commitments.all()
            ],
        }
        for section in sections
    ]
    context.update(
        _lagesbild_context(request, version, editable, editable or context["can_start_new_version"])
    )
    context.update(extra)
    return context


def _earlier_statuses(user, sections) -> dict:
    """{continued commitment pk: EarlierStatus or None}: last year's follow-up beside the draft."""
    continued = [
        c.continues for section in sections for c in section.commitments.all() if c.continues_id
    ]
    by_agreement: dict = {}
    result = {}
    for old in continued:
        agreement = old.version.agreement
        if agreement.pk not in by_agreement:
            by_agreement[agreement.pk] = earlier_followup.statuses_for(user, agreement)
        result[old.pk] = {"commitment": old, "status": by_agreement[agreement.pk].get(old.ref)}
    return result


def _general_forms(version, errors: dict) -> dict:
    """Forms for parties, signatories, basis and renaming focus areas and categories."""
    return {
        "party_rows": [
            (
                p,
                errors.get(("party", p.pk))
                or PartyForm(prefix=f"p{p.pk}", initial={"kind": p.kind, "name": p.name}),
            )
            for p in version.parties.all()
        ],
        "party_form": errors.get("new-party") or PartyForm(prefix="new-party"),
        "signatory_rows": [
            (
                s,
                errors.get(("signatory", s.pk))
                or SignatoryForm(
                    version=version,
                    prefix=f"sg{s.pk}",
                    initial={"party": s.party, "role": s.role, "name": s.name},
                ),
            )
            for s in version.signatories.select_related("party")
        ],
        "signatory_form": errors.get("new-signatory")
        or SignatoryForm(version=version, prefix="new-signatory"),
        "basis_rows": [
            (
                b,
                errors.get(("basis", b.pk))
                or BasisItemForm(
                    prefix=f"b{b.pk}",
                    initial={
                        "kind": b.kind,
                        "description": b.description,
                        "years": ", ".join(str(y) for y in b.years),
                    },
                ),
            )
            for b in version.basis.all()
        ],
        "basis_form": errors.get("new-basis") or BasisItemForm(prefix="new-basis"),
        "focus_area_rows": [
            (
                a,
                errors.get(("area", a.pk))
                or FocusAreaEditForm(prefix=f"fa{a.pk}", initial={"title": a.title}),
            )
            for a in version.focus_areas.all()
        ],
        "category_rows": [
            (
                c,
                errors.get(("category", c.pk))
                or CrimeCategoryEditForm(prefix=f"pc{c.pk}", initial={"name": c.name}),
            )
            for c in version.crime_categories.all()
        ],
    }


@login_required
def version_detail(request, pk, number):
    version = access.get_version_for_user(request.user, pk, number)
    return render(request, "agreements/version.html", _version_context(request, version))


def _edit_view(request, pk, number, handle):
    """Shared POST handling for the editor: run handle(version) → outcome, then redirect.

    handle returns (outcome, anchor) on success or a dict of context overrides (with
    an invalid bound form) to re-render the editor with errors.
    """
    version = access.get_version_for_user(request.user, pk, number, edit=True)
    try:
        result = handle(version)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(_editor_url(version))
    if isinstance(result, dict):
        return render(
            request,
            "agreements/version.html",
            _version_context(request, version, **result),
            status=200,
        )
    outcome, anchor = result
    _report(request, outcome)
    if getattr(outcome, "restore", None):
        undo.offer(
            request,
            scope=_undo_scope(version),
            kind=outcome.restore["what"],
            label=outcome.label,
            data=outcome.restore,
        )
    return HttpResponseRedirect(_editor_url(version, anchor))


def _undo_scope(version) -> str:
    return f"agreement-version:{version.pk}"


@login_required
@require_POST
def undo_delete(request, pk, number):
    """Restore the item deleted last on this version's editor (accounts/undo.py)."""

    def handle(version):
        entry = undo.take(request, _undo_scope(version))
        if entry is None:
            raise ValidationError(_("There is nothing to undo any more."))
        outcome = services.restore_deleted(version, request.user, entry["data"])
        messages.success(request, _("Restored: %(label)s.") % {"label": entry["label"]})
        return outcome, outcome.anchor

    return _edit_view(request, pk, number, handle)


@login_required
@require_POST
def update_details(request, pk, number):
    def handle(version):
        form = DetailsForm(request.POST, instance=version, prefix="details")
        if not form.is_valid():
            return {"details_form": form}
        values = form.changed_values()
        outcome = (
            services.update_version_details(version, request.user, **values) if values else None
        )
        return outcome, "details"

    return _edit_view(request, pk, number, handle)


@login_required
@require_POST
def add_focus_area(request, pk, number):
    def handle(version):
        form = FocusAreaForm(request.POST, prefix="new-area", version=version)
        if not form.is_valid():
            return {"focus_area_form": form}
        area = services.add_focus_area(
            version, request.user, key=form.cleaned_data["key"], title=form.cleaned_data["title"]
        )
        return area, "focus-areas"

    return _edit_view(request, pk, number, handle)


@login_required
@require_POST
def delete_focus_area(request, pk, number, item):
    def handle(version):
        area = access.get_child_for_user(request.user, version, FocusArea, item)
        return services.delete_focus_area(area, request.user), "focus-areas"

    return _edit_view(request, pk, number, handle)


@login_required
@require_POST
def add_crime_category(request, pk, number):
    def handle(version):
        form = CrimeCategoryForm(request.POST, prefix="new-category")
        if not form.is_valid():
            return {"category_form": form}
        category = services.add_crime_category(
            version, request.user, name=form.cleaned_data["name"]
        )
        return category, "crime-categories"

    return _edit_view(request, pk, number, handle)


@login_required
@require_POST
def delete_crime_category(request, pk, number, item):
    def handle(version):
        category = access.get_child_for_user(request.user, version, PriorityCategory, item)
        return services.delete_crime_category(category, request.user), "crime-categories"

    return _edit_view(request, pk, number, handle)


@login_required
@require_POST
def add_section(request, pk, number):
    def handle(version):
        form = SectionForm(request.POST, prefix="new-section", version=version)
        if not form.is_valid():
            return {"section_form": form}
        section = services.add_section(version, request.user, **form.cleaned_data)
        return section, f"s{section.pk}"

    return _edit_view(request, pk, number, handle)


@login_required
@require_POST
def update_section(request, pk, number, item):
    def handle(version):
        section = access.get_child_for_user(request.user, version, Section, item)
        action = request.POST.get("action", "save")
        if action in {"up", "down"}:
            return services.move_section(section, request.user, action), f"s{section.pk}"
        if action == "delete":
            return services.delete_section(section, request.user), "sections"
        form = SectionForm(request.POST, prefix=f"s{section.pk}", version=version)
        if not form.is_valid():
            return {"section_form_errors": {section.pk: form}}
        return services.update_section(section, request.user, **form.cleaned_data), f"s{section.pk}"

    return _edit_view(request, pk, number, handle)


@login_required
@require_POST
def add_commitment(request, pk, number, item):
    def handle(version):
        section = access.get_child_for_user(request.user, version, Section, item)
        form = CommitmentForm(request.POST, prefix=f"new-c{section.pk}", version=version)
        if not form.is_valid():
            return {"new_commitment_errors": {section.pk: form}}
        commitment = services.add_commitment(
            section,
            request.user,
            **form.service_values(),
        )
        return commitment, f"c{commitment.pk}"

    return _edit_view(request, pk, number, handle)


@login_required
@require_POST
def update_commitment(request, pk, number, item):
    def handle(version):
        commitment = access.get_child_for_user(request.user, version, Commitment, item)
        action = request.POST.get("action", "save")
        if action in {"up", "down"}:
            return services.move_commitment(commitment, request.user, action), f"c{commitment.pk}"
        if action == "delete":
            return services.delete_commitment(commitment, request.user), f"s{commitment.section_id}"
        form = CommitmentForm(request.POST, prefix=f"c{commitment.pk}", version=version)
        if not form.is_valid():
            return {"commitment_errors": {commitment.pk: form}}
        outcome = services.update_commitment(
            commitment,
            request.user,
            **form.service_values(),
        )
        messages.success(request, _("The commitment was saved."))
        return outcome, f"c{commitment.pk}"

    return _edit_view(request, pk, number, handle)


@login_required
@require_POST
def add_indicator(request, pk, number, item):
    def handle(version):
        commitment = access.get_child_for_user(request.user, version, Commitment, item)
        form = IndicatorForm(
            request.POST, prefix=f"i{commitment.pk}", municipality=version.municipality
        )
        if not form.is_valid():
            return {"indicator_errors": {commitment.pk: form}}
        indicator = services.add_indicator(commitment, request.user, **form.cleaned_data)
        return indicator, f"c{commitment.pk}"

    return _edit_view(request, pk, number, handle)


@login_required
@require_POST
def delete_indicator(request, pk, number, item):
    def handle(version):
        indicator = access.get_child_for_user(request.user, version, Indicator, item)
        commitment_pk = indicator.commitment_id
        return services.delete_indicator(indicator, request.user), f"c{commitment_pk}"

    return _edit_view(request, pk, number, handle)


@login_required
@require_POST
def approve(request, pk, number):
    def handle(version):
        action = request.POST.get("action", "approve")
        party_kind = request.POST.get("party_kind") or None
        if action == "withdraw":
            services.withdraw_approval(version, request.user, party_kind)
            messages.info(request, _("Your approval was withdrawn."))
        else:
            services.approve_agreement(version, request.user, party_kind)
            messages.success(request, _("You approved the version."))
        return None, "status"

    return _edit_view(request, pk, number, handle)


@login_required
@require_POST
def publish(request, pk, number):
    version = access.get_version_for_user(request.user, pk, number, edit=True)
    try:
        services.publish_agreement(version, request.user)
    except PersonalDataFound as exc:  # the publication gate (privacy/gate.py)
        return privacy_views.blocked(
            request,
            exc,
            municipality=version.municipality,
            back_url=_editor_url(version),
            retry_url=request.path,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(_editor_url(version))
    messages.success(request, _("The version is published and visible on the public site."))
    return HttpResponseRedirect(_editor_url(version, "status"))


@login_required
@require_POST
def new_version(request, pk):
    found = access.get_agreement_for_user(request.user, pk, edit=True)
    try:
        version = services.start_new_version(found, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("agreements:agreement", pk=found.pk)
    messages.success(
        request,
        _(
            "A new draft version was created. The published version stays public until the new one is published."
        ),
    )
    return HttpResponseRedirect(_editor_url(version))


@login_required
def history(request, pk):
    found = access.get_agreement_for_user(request.user, pk)
    return render(
        request,
        "agreements/history.html",
        {
            "agreement": found,
            "municipality": found.municipality,
            "history": version_history(found),
        },
    )


@login_required
def download(request, pk, number, fmt):
    from .exchange import dump_document, export_version_document

    version = access.get_version_for_user(request.user, pk, number)
    if fmt in ("pdf", "docx"):
        return _document(version, fmt)
    text = dump_document(export_version_document(version), fmt)
    content_type = "application/json" if fmt == "json" else "application/yaml; charset=utf-8"
    response = HttpResponse(text, content_type=content_type)
    filename = f"medborgarlofte-{version.municipality.code}-{version.agreement.year}-v{version.number}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _document(version, fmt):
    """The version (a draft too) as PDF or DOCX, as the public page shows it (issue 14)."""
    from . import documents

    loaded = documents.load_version(version)
    if fmt == "pdf":
        body, content_type = documents.agreement_pdf(loaded), "application/pdf"
    else:
        body, content_type = documents.agreement_docx(loaded), documents.DOCX_CONTENT_TYPE
    response = HttpResponse(body, content_type=content_type)
    name = documents.file_name(version, fmt, with_number=True)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Lägesbild: why this promise, and priorities → promise (issue 4) --------------------


def _lagesbild_context(request, version, editable: bool, can_prioritise: bool) -> dict:
    """Problems to link (editable versions) and the priorities form (also on the latest
    published version: applying them starts a new draft version)."""
    kommun = version.municipality
    context = {"lagesbild_problems": [], "priorities_form": None}
    if editable:
        context["lagesbild_problems"] = lagesbild_access.problems_for_user(
            request.user, kommun
        ).order_by("-lagesbild__period_start", "position")
    if can_prioritise:
        approved = lagesbild_access.lagesbilder_for_user(request.user, kommun).filter(
            status="approved"
        )
        if approved:
            context["priorities_form"] = PrioritiesForm(lagesbilder=approved, prefix="priorities")
    return context


@login_required
@require_POST
def link_problems(request, pk, number, item):
    def handle(version):
        commitment = access.get_child_for_user(request.user, version, Commitment, item)
        problems = lagesbild_access.problems_for_user(request.user, version.municipality)
        form = ProblemLinkForm(request.POST, problems=problems, prefix=f"lp{commitment.pk}")
        if not form.is_valid():
            messages.error(request, _("Choose problems from the list."))
            return None, f"c{commitment.pk}"
        outcome = priorities.link_commitment_problems(
            commitment, request.user, form.cleaned_data["problems"]
        )
        return outcome, f"c{commitment.pk}"

    return _edit_view(request, pk, number, handle)


@login_required
@require_POST
def apply_priorities(request, pk, number):
    version = access.get_version_for_user(request.user, pk, number, edit=True)
    approved = lagesbild_access.lagesbilder_for_user(request.user, version.municipality).filter(
        status="approved"
    )
    form = PrioritiesForm(request.POST, lagesbilder=approved, prefix="priorities")
    if not form.is_valid():
        messages.error(request, _("Choose an approved situational picture."))
        return HttpResponseRedirect(_editor_url(version, "focus-areas"))
    try:
        outcome = priorities.apply_lagesbild_priorities(
            version.agreement, form.cleaned_data["lagesbild"], request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(_editor_url(version, "focus-areas"))
    messages.success(
        request,
        _(
            "Added %(areas)s focus areas and %(categories)s crime categories from the situational picture."
        )
        % {"areas": len(outcome.focus_areas_added), "categories": len(outcome.categories_added)},
    )
    approvals.report_cleared(request, outcome.approvals_cleared)
    if outcome.not_backed:
        messages.info(
            request,
            _("Not backed by a prioritised problem: %(titles)s.")
            % {"titles": ", ".join(outcome.not_backed)},
        )
    return HttpResponseRedirect(_editor_url(outcome.version, "focus-areas"))


# --- Parties, signatories, basis, renaming (issue 14): same approval rules as commitments --


def _child_edit(request, pk, number, item, *, model, key, prefix, form_class, anchor, save, delete):
    """Save (action=save) or remove (action=delete) one row of the general part."""

    def handle(version):
        obj = access.get_child_for_user(request.user, version, model, item)
        if request.POST.get("action") == "delete":
            return delete(obj, request.user), anchor
        kwargs = {"version": version} if form_class is SignatoryForm else {}
        form = form_class(request.POST, prefix=f"{prefix}{obj.pk}", **kwargs)
        if not form.is_valid():
            return {"general_errors": {(key, obj.pk): form}}
        return save(obj, request.user, **form.cleaned_data), anchor

    return _edit_view(request, pk, number, handle)


def _child_add(request, pk, number, *, key, form_class, anchor, add):
    def handle(version):
        kwargs = {"version": version} if form_class is SignatoryForm else {}
        form = form_class(request.POST, prefix=key, **kwargs)
        if not form.is_valid():
            return {"general_errors": {key: form}}
        return add(version, request.user, **form.cleaned_data), anchor

    return _edit_view(request, pk, number, handle)


@login_required
@require_POST
def add_party(request, pk, number):
    return _child_add(
        request,
        pk,
        number,
        key="new-party",
        form_class=PartyForm,
        anchor="parties",
        add=services.add_party,
    )


@login_required
@require_POST
def update_party(request, pk, number, item):
    return _child_edit(
        request,
        pk,
        number,
        item,
        model=Party,
        key="party",
        prefix="p",
        form_class=PartyForm,
        anchor="parties",
        save=services.update_party,
        delete=services.delete_party,
    )


@login_required
@require_POST
def add_signatory(request, pk, number):
    return _child_add(
        request,
        pk,
        number,
        key="new-signatory",
        form_class=SignatoryForm,
        anchor="signatories",
        add=services.add_signatory,
    )


@login_required
@require_POST
def update_signatory(request, pk, number, item):
    return _child_edit(
        request,
        pk,
        number,
        item,
        model=Signatory,
        key="signatory",
        prefix="sg",
        form_class=SignatoryForm,
        anchor="signatories",
        save=services.update_signatory,
        delete=services.delete_signatory,
    )


@login_required
@require_POST
def add_basis_item(request, pk, number):
    return _child_add(
        request,
        pk,
        number,
        key="new-basis",
        form_class=BasisItemForm,
        anchor="basis",
        add=services.add_basis_item,
    )


@login_required
@require_POST
def update_basis_item(request, pk, number, item):
    return _child_edit(
        request,
        pk,
        number,
        item,
        model=BasisItem,
        key="basis",
        prefix="b",
        form_class=BasisItemForm,
        anchor="basis",
        save=services.update_basis_item,
        delete=services.delete_basis_item,
    )


@login_required
@require_POST
def update_focus_area(request, pk, number, item):
    return _child_edit(
        request,
        pk,
        number,
        item,
        model=FocusArea,
        key="area",
        prefix="fa",
        form_class=FocusAreaEditForm,
        anchor="focus-areas",
        save=services.update_focus_area,
        delete=services.delete_focus_area,
    )


@login_required
@require_POST
def update_crime_category(request, pk, number, item):
    return _child_edit(
        request,
        pk,
        number,
        item,
        model=PriorityCategory,
        key="category",
        prefix="pc",
        form_class=CrimeCategoryEditForm,
        anchor="crime-categories",
        save=services.update_crime_category,
        delete=services.delete_crime_category,
    )


# --- Next year's promise (issue 14) -------------------------------------------------------


@login_required
@require_POST
def drop_commitment(request, pk, number, item):
    def handle(version):
        commitment = access.get_child_for_user(request.user, version, Commitment, item)
        form = DropCommitmentForm(request.POST, prefix=f"d{commitment.pk}")
        if not form.is_valid():
            return {"drop_errors": {commitment.pk: form}}
        outcome = nextyear.drop_commitment(commitment, request.user, form.cleaned_data["reason"])
        messages.success(request, _("The commitment was dropped from the draft."))
        return outcome, f"s{commitment.section_id}"

    return _edit_view(request, pk, number, handle)


@login_required
@require_POST
def copy_agreement(request, pk):
    found = access.get_agreement_for_user(request.user, pk, edit=True)
    form = CopyAgreementForm(request.POST, prefix="copy")
    number = request.POST.get("version") or None
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect("agreements:agreement", pk=found.pk)
    try:
        version = nextyear.copy_agreement(
            found,
            request.user,
            start_year=form.cleaned_data["start_year"],
            end_year=form.cleaned_data["end_year"],
            number=int(number) if number and number.isdigit() and len(number) < 6 else None,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("agreements:agreement", pk=found.pk)
    messages.success(
        request,
        _(
            "The draft %(title)s was created. Go through each commitment: keep it, change it "
            "or drop it."
        )
        % {"title": version.title},
    )
    return HttpResponseRedirect(_editor_url(version))
