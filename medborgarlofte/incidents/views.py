"""Reporting (reporters), review and gazetteer (coordinator and police).

Thin views: fetch through the app's access.py, validate with a form, call one service.
Every form works without JavaScript. The weekly lägesbild is in weekly_views.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from medborgarlofte.reports.maps import MapPoint, picker_map

from . import access, services
from .forms import (
    CategoryForm,
    EventForm,
    EventFormSet,
    HandleForm,
    MergeForm,
    PlaceForm,
    ReportForm,
)
from .models import Incident
from .weekly import current_week


@login_required
def home(request):
    user = request.user
    return render(
        request,
        "incidents/home.html",
        {
            "staff_municipalities": access.municipalities_for_user(user),
            "report_municipalities": access.municipalities_for_reporter(user),
            "recent": access.own_incidents_for_user(user)[:5],
            "week": current_week(),
        },
    )


def _choices(user, kommun):
    services.ensure_categories(kommun)
    categories = access.incident_categories_for_user(user, kommun, report=True).filter(active=True)
    places = access.places_for_user(user, kommun, report=True).filter(active=True)
    return categories, places


def _place_map(kommun, places) -> str:
    """The kommun map a tap on which sets an event's point (static/js/place-map.js)."""
    points = [
        MapPoint(p.latitude, p.longitude, 0, p.name)
        for p in places
        if p.latitude is not None and p.longitude is not None
    ]
    title = _("Map of %(name)s: tap to mark where it happened") % {"name": kommun.official_name}
    return mark_safe(
        picker_map(kommun.code, places=points, title=title)
    )  # every text escaped in picker_map


def _event_data(form) -> services.EventData:
    data = form.cleaned_data
    return services.EventData(
        category=data["category"],
        place=data.get("place"),
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        date=data["date"],
        time_band=data["time_band"],
        description=data.get("description", ""),
        confirmed=bool(data.get("confirm_no_personal_data")),
    )


def _with_one_more(post):
    data = post.copy()
    try:
        total = max(1, min(int(data.get("form-TOTAL_FORMS", "1")), 19))
    except ValueError:
        total = 1
    data["form-TOTAL_FORMS"] = str(total + 1)
    data[f"form-{total}-date"] = timezone.localdate().isoformat()
    data[f"form-{total}-time_band"] = "unknown"
    return data


@login_required
def new_report(request, code):
    kommun = access.get_municipality_for_reporter(request.user, code)
    categories, places = _choices(request.user, kommun)
    kwargs = {"categories": categories, "places": places}
    validated = request.method == "POST" and "add_event" not in request.POST
    if request.method == "POST" and not validated:
        report_form = ReportForm(request.POST)
        formset = EventFormSet(_with_one_more(request.POST), **kwargs)
    elif request.method == "POST":
        report_form = ReportForm(request.POST)
        formset = EventFormSet(request.POST, **kwargs)
    else:
        report_form = ReportForm(initial={"organisation": request.session.get("incident_org", "")})
        formset = EventFormSet(**kwargs)
    needs_check = False
    if validated and report_form.is_valid() and formset.is_valid():
        filled = [f for i, f in enumerate(formset.forms) if i == 0 or f.has_changed()]
        checks = [f.needs_confirmation() for f in filled]  # every form shows its own hits
        needs_check = any(checks)
        if not needs_check:
            organisation = report_form.cleaned_data["organisation"]
            try:
                services.submit_report(
                    request.user,
                    kommun,
                    organisation,
                    [_event_data(f) for f in filled],
                    idempotency_key=report_form.cleaned_data["idempotency_key"],
                )
            except services.PersonalDataFound:
                needs_check = True
            else:
                request.session["incident_org"] = organisation
                messages.success(
                    request, _("Thank you. %(n)d event(s) reported.") % {"n": len(filled)}
                )
                return redirect("incidents:my-reports")
    status = (
        400 if validated and (needs_check or report_form.errors or not formset.is_valid()) else 200
    )
    return render(
        request,
        "incidents/report_form.html",
        {
            "municipality": kommun,
            "report_form": report_form,
            "formset": formset,
            "validated": validated,
            "needs_check": needs_check,
            "place_map": _place_map(kommun, places),
        },
        status=status,
    )


@login_required
def my_reports(request):
    incidents = access.own_incidents_for_user(request.user)
    page = Paginator(incidents, 50).get_page(request.GET.get("sida"))
    return render(request, "incidents/my_reports.html", {"page": page})


@login_required
def edit_incident(request, pk):
    incident = access.get_own_incident_for_user(request.user, pk)
    kommun = incident.municipality
    categories, places = _choices(request.user, kommun)
    initial = {
        "category": incident.category,
        "place": incident.place,
        "latitude": incident.latitude,
        "longitude": incident.longitude,
        "date": incident.date,
        "time_band": incident.time_band,
        "description": incident.description,
    }
    form = EventForm(
        request.POST or None, categories=categories, places=places, initial=initial, prefix="e"
    )
    editable = incident.status == Incident.Status.NEW
    needs_check = False
    if request.method == "POST" and editable and form.is_valid():
        needs_check = form.needs_confirmation()
        if not needs_check:
            try:
                services.correct_incident(request.user, incident, _event_data(form))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Your correction was saved."))
                return redirect("incidents:my-reports")
    return render(
        request,
        "incidents/edit_incident.html",
        {
            "incident": incident,
            "form": form,
            "editable": editable,
            "needs_check": needs_check,
            "validated": request.method == "POST",
            "place_map": _place_map(kommun, places) if editable else "",
        },
        status=400 if needs_check or form.errors else 200,
    )


@login_required
def review(request, code):
    kommun = access.get_municipality_for_user(request.user, code)
    status = request.GET.get("status", "new")
    incidents = access.incidents_for_user(request.user, kommun)
    if status in Incident.Status.values:
        incidents = incidents.filter(status=status)
    page = Paginator(incidents, 100).get_page(request.GET.get("sida"))
    return render(
        request,
        "incidents/review.html",
        {
            "municipality": kommun,
            "page": page,
            "status": status,
            "statuses": Incident.Status.choices,
            "can_edit": access.can_edit(request.user, kommun),
            "week": current_week(),
        },
    )


def _detail(request, kommun, incident, handle_form=None, merge_form=None, status=200):
    can_edit = access.can_edit(request.user, kommun)
    return render(
        request,
        "incidents/incident.html",
        {
            "municipality": kommun,
            "incident": incident,
            "can_edit": can_edit,
            "handle_form": handle_form or HandleForm(),
            "merge_form": merge_form or MergeForm(),
        },
        status=status,
    )


@login_required
def incident_detail(request, code, pk):
    kommun = access.get_municipality_for_user(request.user, code)
    incident = access.get_incident_for_user(request.user, kommun, pk)
    return _detail(request, kommun, incident)


@login_required
@require_POST
def handle_incident(request, code, pk):
    kommun = access.get_municipality_for_user(request.user, code)
    incident = access.get_incident_for_user(request.user, kommun, pk, edit=True)
    form = HandleForm(request.POST)
    if form.is_valid():
        try:
            services.handle_incident(request.user, incident, form.cleaned_data["action_taken"])
        except services.PersonalDataFound:
            form.add_error("action_taken", _("The text may contain personal data. Remove it."))
        else:
            messages.success(request, _("Marked as handled."))
            return redirect("incidents:incident", code=code, pk=pk)
    return _detail(request, kommun, incident, handle_form=form, status=400)


@login_required
@require_POST
def merge_incident(request, code, pk):
    kommun = access.get_municipality_for_user(request.user, code)
    incident = access.get_incident_for_user(request.user, kommun, pk, edit=True)
    form = MergeForm(request.POST)
    if form.is_valid():
        original = access.get_incident_for_user(request.user, kommun, form.cleaned_data["original"])
        try:
            services.merge_incident(request.user, incident, original)
        except ValidationError as exc:
            form.add_error("original", exc)
        else:
            messages.success(request, _("Marked as a duplicate."))
            return redirect("incidents:incident", code=code, pk=pk)
    return _detail(request, kommun, incident, merge_form=form, status=400)


@login_required
def places(request, code):
    kommun = access.get_municipality_for_user(request.user, code)
    return render(
        request,
        "incidents/places.html",
        {
            "municipality": kommun,
            "places": access.places_for_user(request.user, kommun),
            "can_edit": access.can_edit(request.user, kommun),
        },
    )


@login_required
def edit_place(request, code, pk=None):
    kommun = access.get_municipality_for_user(request.user, code, roles=access.EDIT_ROLES)
    place = access.get_place_for_user(request.user, kommun, pk, edit=True) if pk else None
    form = PlaceForm(request.POST or None, instance=place)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_place(request.user, kommun, form.place_data(), place)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The place was saved."))
            return redirect("incidents:places", code=code)
    return render(
        request,
        "incidents/place_form.html",
        {"municipality": kommun, "form": form, "place": place},
        status=400 if form.errors else 200,
    )


@login_required
def categories(request, code):
    kommun = access.get_municipality_for_user(request.user, code)
    form = CategoryForm(request.POST or None)
    if request.method == "POST":
        access.require_edit(request.user, kommun)
        if form.is_valid():
            try:
                services.add_category(request.user, kommun, form.cleaned_data["name"])
            except ValidationError as exc:
                form.add_error("name", exc)
            else:
                return redirect("incidents:categories", code=code)
    return render(
        request,
        "incidents/categories.html",
        {
            "municipality": kommun,
            "categories": access.incident_categories_for_user(request.user, kommun),
            "form": form,
            "can_edit": access.can_edit(request.user, kommun),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def toggle_category(request, code, pk):
    kommun = access.get_municipality_for_user(request.user, code)
    category = access.get_incident_category_for_user(request.user, kommun, pk, edit=True)
    services.toggle_category(request.user, category)
    return redirect("incidents:categories", code=code)
