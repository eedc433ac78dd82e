"""Internal pages of the safety survey: waves, values, thresholds and imports.

Thin views: fetch through the app's access.py, validate with a form, call one service.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from medborgarlofte.accounts import undo
from medborgarlofte.privacy import uploads

from . import access, services
from .forms import ImportForm, ThresholdForm, ValueForm, WaveForm
from .importing import parse_survey
from .summary import survey_section
from .tables import TableError
from .thresholds import thresholds_for


def _kommun(request, code, edit=False):
    roles = access.EDIT_ROLES if edit else access.READ_ROLES
    return access.get_municipality_for_user(request.user, code, roles=roles)


def _municipality_context(request, kommun, **extra):
    normal_max, act_from, note = thresholds_for(kommun)
    waves = access.survey_waves_for_user(request.user, kommun).order_by("-year", "area")
    context = {
        "municipality": kommun,
        "section": survey_section(kommun),
        "waves": waves,
        "can_edit": access.can_edit(request.user, kommun),
        "wave_form": WaveForm(prefix="wave"),
        "threshold_form": ThresholdForm(
            initial={"normal_max": normal_max, "act_from": act_from, "note": note}
        ),
        "import_form": ImportForm(),
    }
    context.update(extra)
    return context


@login_required
def municipality(request, code):
    kommun = _kommun(request, code)
    return render(request, "surveys/municipality.html", _municipality_context(request, kommun))


@login_required
@require_POST
def create_wave(request, code):
    kommun = _kommun(request, code, edit=True)
    form = WaveForm(request.POST, prefix="wave", municipality=kommun)
    if not form.is_valid():
        context = _municipality_context(request, kommun, wave_form=form)
        return render(request, "surveys/municipality.html", context, status=400)
    wave = services.create_wave(kommun, request.user, form.cleaned_data)
    messages.success(request, _("The wave was saved. Add its values below."))
    return redirect("surveys:wave", code=kommun.code, pk=wave.pk)


def _wave_context(request, kommun, wave, **extra):
    context = {
        "municipality": kommun,
        "wave": wave,
        "values": wave.values.all(),
        "has_gender_split": wave.values.exclude(gender="T").exists(),
        "can_edit": access.can_edit(request.user, kommun),
        "value_form": ValueForm(wave=wave),
        "wave_form": WaveForm(instance=wave, prefix="wave"),
        "undo": undo.pending(request, _undo_scope(wave)),
        "undo_url": reverse("surveys:undo-delete-value", args=[kommun.code, wave.pk]),
    }
    context.update(extra)
    return context


@login_required
def wave(request, code, pk):
    kommun = _kommun(request, code)
    found = access.get_survey_wave_for_user(request.user, kommun, pk)
    return render(request, "surveys/wave.html", _wave_context(request, kommun, found))


@login_required
@require_POST
def update_wave(request, code, pk):
    kommun = _kommun(request, code)
    found = access.get_survey_wave_for_user(request.user, kommun, pk, edit=True)
    form = WaveForm(request.POST, instance=found, prefix="wave", municipality=kommun)
    if not form.is_valid():
        found.refresh_from_db()
        context = _wave_context(request, kommun, found, wave_form=form)
        return render(request, "surveys/wave.html", context, status=400)
    services.update_wave(found, request.user, form.cleaned_data)
    messages.success(request, _("Saved."))
    return redirect("surveys:wave", code=kommun.code, pk=found.pk)


@login_required
@require_POST
def delete_wave(request, code, pk):
    kommun = _kommun(request, code)
    found = access.get_survey_wave_for_user(request.user, kommun, pk, edit=True)
    services.delete_wave(found, request.user)
    messages.success(request, _("The wave was deleted."))
    return redirect("surveys:municipality", code=kommun.code)


@login_required
@require_POST
def save_value(request, code, pk):
    kommun = _kommun(request, code)
    found = access.get_survey_wave_for_user(request.user, kommun, pk, edit=True)
    form = ValueForm(request.POST, wave=found)
    if not form.is_valid():
        context = _wave_context(request, kommun, found, value_form=form)
        return render(request, "surveys/wave.html", context, status=400)
    services.save_value(found, request.user, **form.cleaned_data)
    messages.success(request, _("Saved."))
    return redirect("surveys:wave", code=kommun.code, pk=found.pk)


@login_required
@require_POST
def delete_value(request, code, pk):
    kommun = _kommun(request, code)
    item = access.get_survey_value_for_user(request.user, kommun, pk, edit=True)
    wave = item.wave
    label = f"{item.question} {item.answer}".strip()
    snapshot = services.delete_value(item, request.user)
    undo.offer(request, scope=_undo_scope(wave), kind="survey_value", label=label, data=snapshot)
    return redirect(reverse("surveys:wave", args=[kommun.code, wave.pk]) + "#values")


def _undo_scope(wave) -> str:
    return f"survey-wave:{wave.pk}"


@login_required
@require_POST
def undo_delete_value(request, code, pk):
    """Restore the value deleted last on this wave's page (accounts/undo.py)."""
    kommun = _kommun(request, code)
    found = access.get_survey_wave_for_user(request.user, kommun, pk, edit=True)
    entry = undo.take(request, _undo_scope(found))
    try:
        if entry is None:
            raise ValidationError(_("There is nothing to undo any more."))
        services.restore_value(found, request.user, entry["data"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Restored: %(label)s.") % {"label": entry["label"]})
    return redirect(reverse("surveys:wave", args=[kommun.code, found.pk]) + "#values")


@login_required
@require_POST
def set_thresholds(request, code):
    kommun = _kommun(request, code, edit=True)
    form = ThresholdForm(request.POST)
    if not form.is_valid():
        context = _municipality_context(request, kommun, threshold_form=form)
        return render(request, "surveys/municipality.html", context, status=400)
    services.set_thresholds(kommun, request.user, **form.cleaned_data)
    messages.success(request, _("The thresholds were saved."))
    return redirect("surveys:municipality", code=kommun.code)


@login_required
def import_survey(request, code):
    kommun = _kommun(request, code, edit=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            parsed = parse_survey(upload.read(), upload.name, limits=uploads.web_limits())
        except TableError as exc:
            errors = exc.problems
        else:
            dry_run = form.cleaned_data["dry_run"]
            result = services.import_survey(kommun, request.user, parsed, dry_run=dry_run)
            if not dry_run:
                messages.success(
                    request,
                    _("Imported: %(c)s new values, %(u)s changed, %(n)s unchanged.")
                    % {"c": result.created, "u": result.updated, "n": result.unchanged},
                )
                return redirect("surveys:municipality", code=kommun.code)
    context = {"municipality": kommun, "form": form, "errors": errors, "result": result}
    return render(request, "surveys/import.html", context, status=400 if errors else 200)
