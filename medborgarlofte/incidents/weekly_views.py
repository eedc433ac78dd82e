"""The weekly lägesbild, its meeting record, and the tertial analysis (HTML and PDF).

The HTML page and the PDF are rendered from the same body template
(incidents/_week_body.html, incidents/_tertial_body.html).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from medborgarlofte.reports.pdf import render_pdf

from . import access, commitments, services
from .forms import ActionForm, MeetingForm
from .tertial import tertial_analysis, tertial_of
from .weekly import current_week, shift_week, week_start, weekly_lagesbild


def _check_week(year: int, week: int) -> None:
    try:
        week_start(year, week)
    except ValueError as exc:
        raise Http404 from exc


def _week_context(request, kommun, year, week) -> dict:
    _check_week(year, week)
    title = _("Incidents in %(kommun)s, week %(week)d %(year)d") % {
        "kommun": kommun.name,
        "week": week,
        "year": year,
    }
    picture = weekly_lagesbild(kommun, year, week, map_title=title)
    meetings = (
        access.weekly_meetings_for_user(request.user, kommun)
        .filter(iso_year=year, iso_week=week)
        .prefetch_related("actions__place")
    )
    commitments.label_actions(request.user, kommun, picture["open_actions"])
    for meeting in meetings:
        commitments.label_actions(request.user, kommun, meeting.actions.all())
    return {
        "municipality": kommun,
        "picture": picture,
        "title": title,
        "meetings": meetings,
        "previous_week": shift_week(year, week, -1),
        "next_week": shift_week(year, week, 1),
        "generated_at": timezone.now(),
        "tertial": (week_start(year, week).year, tertial_of(week_start(year, week))),
    }


@login_required
def week_current(request, code):
    access.get_municipality_for_user(request.user, code)
    year, week = current_week()
    return redirect("incidents:week", code=code, year=year, week=week)


def _action_form(request, kommun, data=None):
    return ActionForm(
        data,
        places=access.places_for_user(request.user, kommun).filter(active=True),
        commitment_choices=commitments.choices(request.user, kommun),
        prefix="action",
    )


@login_required
def week(request, code, year, week):
    kommun = access.get_municipality_for_user(request.user, code)
    context = _week_context(request, kommun, year, week)
    can_edit = access.can_edit(request.user, kommun)
    context["can_edit"] = can_edit
    if can_edit:
        context["meeting_form"] = MeetingForm(
            prefix="meeting",
            commitment_choices=commitments.choices(request.user, kommun),
            initial={"date": min(timezone.localdate(), context["picture"]["end"])},
        )
        context["action_form"] = _action_form(request, kommun)
    return render(request, "incidents/week.html", context)


@login_required
def week_pdf(request, code, year, week):
    kommun = access.get_municipality_for_user(request.user, code)
    context = _week_context(request, kommun, year, week)
    pdf = render_pdf("incidents/week_print.html", context, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="lagesbild-{code}-{year}-v{week:02d}.pdf"'
    return response


@login_required
@require_POST
def add_meeting(request, code, year, week):
    kommun = access.get_municipality_for_user(request.user, code, roles=access.EDIT_ROLES)
    _check_week(year, week)
    form = MeetingForm(
        request.POST,
        prefix="meeting",
        commitment_choices=commitments.choices(request.user, kommun),
    )
    if form.is_valid():
        try:
            services.record_meeting(request.user, kommun, year, week, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The meeting was recorded."))
    else:
        messages.error(request, _("The meeting was not recorded: check date and participants."))
    return redirect("incidents:week", code=code, year=year, week=week)


@login_required
@require_POST
def add_action(request, code, pk):
    kommun = access.get_municipality_for_user(request.user, code)
    meeting = access.get_weekly_meeting_for_user(request.user, kommun, pk, edit=True)
    form = _action_form(request, kommun, request.POST)
    if form.is_valid():
        try:
            services.add_action(request.user, meeting, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The action was added."))
    else:
        messages.error(request, _("The action was not added: describe it."))
    return redirect("incidents:week", code=code, year=meeting.iso_year, week=meeting.iso_week)


@login_required
@require_POST
def close_action(request, code, pk):
    kommun = access.get_municipality_for_user(request.user, code)
    action = access.get_meeting_action_for_user(request.user, kommun, pk, edit=True)
    services.close_action(request.user, action)
    meeting = action.meeting
    return redirect("incidents:week", code=code, year=meeting.iso_year, week=meeting.iso_week)


def _tertial_context(kommun, year, tertial):
    if tertial not in (1, 2, 3) or not 2000 <= year <= 2100:
        raise Http404
    return {
        "municipality": kommun,
        "analysis": tertial_analysis(kommun, year, tertial),
        "generated_at": timezone.now(),
        "title": _("Tertial analysis %(year)d:%(t)d – %(kommun)s")
        % {"year": year, "t": tertial, "kommun": kommun.name},
    }


@login_required
def tertial(request, code, year, tertial):
    kommun = access.get_municipality_for_user(request.user, code)
    return render(request, "incidents/tertial.html", _tertial_context(kommun, year, tertial))


@login_required
def tertial_pdf(request, code, year, tertial):
    kommun = access.get_municipality_for_user(request.user, code)
    context = _tertial_context(kommun, year, tertial)
    pdf = render_pdf("incidents/tertial_print.html", context, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tertial-{code}-{year}-{tertial}.pdf"'
    return response
