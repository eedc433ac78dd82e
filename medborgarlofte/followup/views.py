"""Internal follow-up pages: activities, indicators, the tertial and yearly follow-ups.

Thin views: fetch through the app's access.py, validate with a form, call one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from medborgarlofte.accounts import approvals
from medborgarlofte.actionplans import access as actionplan_access
from medborgarlofte.privacy import comments as comment_pages
from medborgarlofte.privacy import views as privacy_views
from medborgarlofte.privacy.gate import PersonalDataFound
from medborgarlofte.privacy.uploads import web_limits

from . import access, changes, indicator_sources, meetings, periods, places, process, services
from . import evidence as evidence_files
from .charts import add_charts
from .data import build_followup_data
from .forms import (
    ActivityForm,
    EvidenceForm,
    FollowUpForm,
    ImportForm,
    IndicatorSourceForm,
    IndicatorValueForm,
)
from .models import FollowUpStatus
from .report import followup_data_for, report_context, report_pdf


def _load(request, code, year, *, edit=False):
    agreement = access.get_followup_agreement_for_user(request.user, code, year, edit=edit)
    version = agreement.published_version()
    if version is None:
        raise Http404(_("The agreement has no published version to follow up."))
    return agreement, version


def _period_key(agreement, version, year: int, period: str) -> str:
    """The stored key of the URL's period in the URL's calendar year (404 if the
    agreement has no such period): '/2022/q1/' of a 2021–2022 agreement is 'q1-2022'."""
    key = periods.rhythm_for(agreement, version).stored_key(year, period)
    if key is None:
        raise Http404(_("The agreement has no such follow-up period."))
    return key


def _base(request, agreement, version, **extra) -> dict:
    return {
        "agreement": agreement,
        "version": version,
        "municipality": agreement.municipality,
        "year": agreement.year,
        "can_edit": access.can_edit(request.user, agreement.municipality),
        **extra,
    }


def _year_url(agreement) -> str:
    return reverse("followup:year", args=[agreement.municipality.code, agreement.year])


@login_required
@require_safe
def municipality(request, code):
    kommun = access.get_municipality_for_user(request.user, code)
    agreements = [
        a
        for a in access.agreements_for_user(request.user)
        .filter(municipality=kommun)
        .prefetch_related("versions")
        if a.published_version()
    ]
    return render(
        request, "followup/municipality.html", {"municipality": kommun, "agreements": agreements}
    )


@login_required
@require_safe
def year(request, code, year):
    agreement, version = _load(request, code, year)
    rhythm = periods.rhythm_for(agreement, version)
    followups = {f.period: f for f in access.followups_for_user(request.user, agreement)}
    data = add_charts(build_followup_data(agreement, version, rhythm.year_key(year)))
    # The periods of the URL's year in the agreement's rhythm, with their follow-ups.
    period_rows = [
        {"spec": spec, "followup": followups.get(spec.key)} for spec in rhythm.specs(year)
    ]
    recent = (
        access.activities_for_user(request.user, agreement)
        .select_related("reported_in")
        .prefetch_related("evidence")[:30]
    )
    return render(
        request,
        "followup/year.html",
        _base(
            request,
            agreement,
            version,
            data=data,
            followups=followups,
            recent=recent,
            period_rows=period_rows,
            rhythm_years=rhythm.years,
            year=year,
            **_process_context(request, agreement, _with_dates(data, rhythm, year)),
        ),
    )


def _with_dates(data: dict, rhythm, year: int) -> dict:
    spec = rhythm.spec(rhythm.year_key(year))
    return {**data, "start": spec.start, "end": spec.end}


def _process_context(request, agreement, data, *, with_measures=True) -> dict:
    """Hours, cost and reach per commitment of the page's dates, and planned vs used of
    the åtgärdsplan measures linked to the agreement (process.py)."""
    refs = [c["ref"] for g in data.get("groups", []) for c in g["commitments"]]
    measures = (
        actionplan_access.measures_for_commitments(request.user, agreement.municipality, agreement)
        if with_measures
        else []
    )
    return {
        "process": process.period_summary(agreement, data["start"], data["end"], refs),
        "measures": [process.measure_usage(m) for m in measures],
    }


def _activity_form_page(request, agreement, version, form, status=200):
    context = _base(request, agreement, version, form=form, evidence_form=EvidenceForm())
    context["activities"] = (
        access.activities_for_user(request.user, agreement)
        .select_related("reported_in", "place")
        .prefetch_related("evidence")[:200]
    )
    context["before_after"] = places.activity_comparisons(context["activities"])
    held = meetings.meeting_items(agreement, agreement.period_start, agreement.period_end)
    context["held_meetings"] = sorted(
        ({**item, "ref": ref} for ref, items in held.items() for item in items),
        key=lambda i: (i["date"], i["ref"]),
        reverse=True,
    )[:200]
    return render(request, "followup/activities.html", context, status=status)


@login_required
@require_safe
def activities(request, code, year):
    agreement, version = _load(request, code, year)
    form = (
        ActivityForm(version=version)
        if access.can_edit(request.user, agreement.municipality)
        else None
    )
    return _activity_form_page(request, agreement, version, form)


@login_required
def add_activity(request, code, year):
    agreement, version = _load(request, code, year, edit=True)
    form = ActivityForm(
        request.POST or None,
        version=version,
        initial={"party_kind": _own_party(request, agreement)},
    )
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "confirm_personal_data"}
        values["unit"] = values["unit"] or ""
        try:
            services.log_activity(
                agreement,
                request.user,
                confirmed=form.cleaned_data["confirm_personal_data"],
                **values,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The activity was logged."))
            return redirect("followup:activities", code=code, year=year)
    return _activity_form_page(
        request, agreement, version, form, status=400 if form.errors else 200
    )


def _own_party(request, agreement) -> str:
    kinds = approvals.party_kinds_for(request.user, agreement.municipality)
    return kinds[0] if len(kinds) == 1 else ""


@login_required
@require_POST
def delete_activity(request, code, year, pk):
    agreement, _version = _load(request, code, year, edit=True)
    activity = access.get_activity_for_user(request.user, agreement, pk, edit=True)
    services.delete_activity(activity, request.user)
    messages.success(request, _("The activity was deleted."))
    return redirect("followup:activities", code=code, year=year)


@login_required
@require_POST
def add_evidence(request, code, year, pk):
    agreement, _version = _load(request, code, year, edit=True)
    activity = access.get_activity_for_user(request.user, agreement, pk, edit=True)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_evidence(activity, request.user, form.cleaned_data["file"])
            messages.success(request, _("The file was attached."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    elif "file" in request.FILES:  # e.g. too large
        messages.error(request, " ".join(form.errors["file"]))
    else:
        messages.error(request, _("Choose a file to attach."))
    return redirect("followup:activities", code=code, year=year)


@login_required
@require_safe
def download_evidence(request, code, year, pk):
    agreement, _version = _load(request, code, year)
    item = access.get_evidence_for_user(request.user, agreement, pk)
    try:
        handle = open(evidence_files.path_of(item.stored_name), "rb")  # noqa: SIM115
    except (OSError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=item.original_name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def import_activities(request, code, year):
    from .importing import ImportFailed
    from .importing import import_activities as run_import

    agreement, version = _load(request, code, year, edit=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = errors = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = run_import(
                agreement,
                request.user,
                upload.read(),
                upload.name,
                dry_run=form.cleaned_data["dry_run"],
                limits=web_limits(),
            )
        except ImportFailed as exc:
            errors = exc.issues
    context = _base(request, agreement, version, form=form, result=result, errors=errors)
    return render(request, "followup/import.html", context, status=400 if errors else 200)


def _indicator(version, ref, number):
    commitment = version.commitments.filter(ref=ref).prefetch_related("indicators").first()
    indicators = list(commitment.indicators.all()) if commitment else []
    if not 0 <= number < len(indicators):
        raise Http404
    return commitment, indicators[number]


def _indicator_page(request, agreement, version, ref, number, *, source_form=None, preview=None):
    commitment, item = _indicator(version, ref, number)
    data = build_followup_data(agreement, version, "year")
    outcome = next(
        i
        for g in data["groups"]
        for c in g["commitments"]
        if c["ref"] == ref
        for i in c["indicators"]
        if i["title"] == item.title
    )
    add_charts({"groups": [{"commitments": [{"indicators": [outcome]}]}]})
    values = agreement.indicator_values.filter(commitment_ref=ref, indicator_title=item.title)
    if source_form is None:
        mapped = outcome["source"] if outcome["source"] != item.source else ""
        source_form = IndicatorSourceForm(
            municipality=agreement.municipality, current=mapped, initial={}
        )
    context = _base(
        request,
        agreement,
        version,
        commitment=commitment,
        indicator=item,
        number=number,
        outcome=outcome,
        values=values.order_by("-date", "-id"),
        value_form=IndicatorValueForm(),
        source_form=source_form,
        preview=preview,
    )
    return render(request, "followup/indicator.html", context)


@login_required
@require_safe
def indicator(request, code, year, ref, number):
    agreement, version = _load(request, code, year)
    return _indicator_page(request, agreement, version, ref, number)


@login_required
@require_POST
def add_indicator_value(request, code, year, ref, number):
    agreement, version = _load(request, code, year, edit=True)
    _commitment, item = _indicator(version, ref, number)
    form = IndicatorValueForm(request.POST)
    if form.is_valid():
        services.record_indicator_value(
            agreement,
            request.user,
            commitment_ref=ref,
            indicator_title=item.title,
            **form.cleaned_data,
        )
        messages.success(request, _("The value was saved."))
    else:
        messages.error(request, _("Give a date and a number."))
    return redirect("followup:indicator", code=code, year=year, ref=ref, number=number)


@login_required
@require_POST
def set_indicator_source(request, code, year, ref, number):
    """Save the chosen source, or with "preview" show its current value and date first."""
    agreement, version = _load(request, code, year, edit=True)
    _commitment, item = _indicator(version, ref, number)
    form = IndicatorSourceForm(request.POST, municipality=agreement.municipality)
    if "preview" in request.POST:
        preview = None
        if form.is_valid():
            preview = indicator_sources.preview(
                agreement, ref, item, form.cleaned_data["source"] or item.source
            )
        return _indicator_page(
            request, agreement, version, ref, number, source_form=form, preview=preview
        )
    if form.is_valid():
        services.set_indicator_source(
            agreement,
            request.user,
            commitment_ref=ref,
            indicator_title=item.title,
            source=form.cleaned_data["source"],
        )
        messages.success(request, _("The data source was saved."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("followup:indicator", code=code, year=year, ref=ref, number=number)


def is_published(followup) -> bool:
    return followup is not None and followup.status == FollowUpStatus.PUBLISHED


def since_publication(agreement, version, key, followup) -> list | None:
    """A published follow-up: what differs between its snapshot and the data now."""
    if not is_published(followup) or not followup.snapshot:
        return None
    live = build_followup_data(agreement, version, key, followup=followup)
    return changes.since_publication(followup.snapshot, live)


def _editor(request, agreement, version, year, period, form=None, status=200):
    key = _period_key(agreement, version, year, period)
    followup = access.get_followup_for_user(request.user, agreement, key)
    # Published: exactly what residents see (the frozen snapshot, as the public pages).
    data = followup_data_for(agreement, version, key, followup)
    if form is None:
        initial = {"summary": data["summary"]}
        for group in data["groups"]:
            initial[f"narrative_{group['key'] or '_'}"] = group["narrative"]
            for c in group["commitments"]:
                initial[f"status_{c['ref']}"] = c["status"]
                initial[f"explanation_{c['ref']}"] = c["explanation"]
        form = FollowUpForm(groups=data["groups"], initial=initial)
    published = is_published(followup)
    can_edit = access.can_edit(request.user, agreement.municipality)
    context = _base(
        request,
        agreement,
        version,
        period=period,
        period_key=key,
        year=year,
        followup=followup,
        data=data,
        form=form,
        published=published,
        changes=since_publication(agreement, version, key, followup),
        **approvals.context_for(followup, request.user, can_act=can_edit),
        **comment_pages.context_for(followup, request.user),
    )
    context["editable"] = context["can_edit"] and not published
    spec = periods.rhythm_for(agreement, version).spec(key)
    context.update(
        _process_context(
            request,
            agreement,
            {**data, "start": spec.start, "end": spec.end},
            with_measures=False,
        )
    )
    return render(request, "followup/editor.html", context, status=status)


@login_required
@require_safe
def followup(request, code, year, period):
    agreement, version = _load(request, code, year)
    return _editor(request, agreement, version, year, period)


def done_without_activities(groups, statuses: dict) -> list[str]:
    """The refs marked done that have no activity logged in the period (issue 16)."""
    return [
        c["ref"]
        for g in groups
        for c in g["commitments"]
        if statuses.get(c["ref"], ("", ""))[0] == "done" and not c["activities"]["count"]
    ]


def _warn_done_without_activities(request, groups, statuses) -> None:
    """A warning, not a refusal: what was done may simply not be logged yet."""
    refs = done_without_activities(groups, statuses)
    if refs:
        messages.warning(
            request,
            _(
                "Marked as done without any activity logged in the period: %(refs)s. "
                "Log what was done, or choose another status."
            )
            % {"refs": ", ".join(refs)},
        )


@login_required
@require_POST
def save_followup(request, code, year, period):
    agreement, version = _load(request, code, year, edit=True)
    key = _period_key(agreement, version, year, period)
    data = build_followup_data(agreement, version, key)
    form = FollowUpForm(request.POST, groups=data["groups"])
    if form.is_valid():
        try:
            _f, cleared = services.save_followup(
                agreement,
                request.user,
                key,
                statuses=form.statuses(),
                narratives=form.narratives(),
                summary=form.cleaned_data["summary"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The follow-up was saved."))
            approvals.report_cleared(request, cleared)
            _warn_done_without_activities(request, data["groups"], form.statuses())
            return redirect("followup:followup", code=code, year=year, period=period)
    return _editor(request, agreement, version, year, period, form=form, status=400)


@login_required
@require_POST
def approve_followup(request, code, year, period):
    agreement, version = _load(request, code, year, edit=True)
    key = _period_key(agreement, version, year, period)
    item = access.get_followup_for_user(request.user, agreement, key)
    party_kind = request.POST.get("party_kind") or None
    try:  # a party the user does not speak for: PermissionDenied, 403 (accounts/approvals.py)
        if item is None:
            raise ValidationError(_("Save the follow-up before approving it."))
        if request.POST.get("action") == "withdraw":
            services.withdraw_approval(item, request.user, party_kind)
            messages.info(request, _("Your approval was withdrawn."))
        else:
            services.approve_followup(item, request.user, party_kind)
            messages.success(request, _("You approved the follow-up."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("followup:followup", code=code, year=year, period=period)


@login_required
@require_POST
def publish_followup(request, code, year, period):
    agreement, version = _load(request, code, year, edit=True)
    key = _period_key(agreement, version, year, period)
    item = access.get_followup_for_user(request.user, agreement, key)
    try:
        if item is None:
            raise ValidationError(_("Save the follow-up before publishing it."))
        services.publish_followup(item, request.user)
        messages.success(request, _("The follow-up is published."))
    except PersonalDataFound as exc:  # the publication gate (privacy/gate.py)
        return privacy_views.blocked(
            request,
            exc,
            municipality=agreement.municipality,
            back_url=reverse("followup:followup", args=[code, year, period]),
            retry_url=request.path,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("followup:followup", code=code, year=year, period=period)


@login_required
@require_safe
def report(request, code, year):
    agreement, version = _load(request, code, year)
    key = _period_key(agreement, version, year, "year")
    item = access.get_followup_for_user(request.user, agreement, key)
    context = report_context(agreement, version, item, key)
    context["changes"] = since_publication(agreement, version, key, item)
    return render(request, "followup/report_page.html", {**context, "year": year})


@login_required
@require_safe
def report_download(request, code, year):
    agreement, version = _load(request, code, year)
    key = _period_key(agreement, version, year, "year")
    item = access.get_followup_for_user(request.user, agreement, key)
    body = report_pdf(report_context(agreement, version, item, key))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="uppfoljning-{code}-{year}.pdf"'
    return response
