"""Internal pages of dialogues: entries, themes, the staff form and the import.

Thin views: fetch through the app's access.py, validate with a form, call one service.
The import keeps the uploaded file server-side (uploads.py) under a random token
tied to the user and kommun: upload → map columns → preview with scanner hits → save.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from medborgarlofte.importing import ImportProblems
from medborgarlofte.importing.files import sha256_of
from medborgarlofte.importing.tables import read_table
from medborgarlofte.privacy.scanner import segments
from medborgarlofte.privacy.uploads import web_limits

from . import access, services, uploads
from .forms import EntryForm, MappingForm, ThemesForm, UploadForm
from .importing import Mapping, build_rows, import_rows
from .summary import dialogue_section
from .themes import themes_by_key

PREVIEW_ROWS = 10


def _kommun(request, code, edit=False):
    roles = access.EDIT_ROLES if edit else access.READ_ROLES
    return access.get_municipality_for_user(request.user, code, roles=roles)


def _period(request, entries) -> tuple[datetime.date, datetime.date]:
    try:
        start = datetime.date.fromisoformat(request.GET.get("fran", ""))
        end = datetime.date.fromisoformat(request.GET.get("till", ""))
    except ValueError:
        latest = entries.order_by("-date").values_list("date", flat=True).first()
        year = (latest or timezone.localdate()).year
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return start, end


@login_required
def municipality(request, code):
    kommun = _kommun(request, code)
    entries = access.dialogue_entries_for_user(request.user, kommun)
    start, end = _period(request, entries)
    shown = entries.filter(date__range=(start, end)).prefetch_related("themes")[:200]
    context = {
        "municipality": kommun,
        "section": dialogue_section(kommun, start, end),
        "entries": shown,
        "themes": themes_by_key(),
        "can_edit": access.can_edit(request.user, kommun),
        "start": start,
        "end": end,
    }
    return render(request, "dialogues/municipality.html", context)


@login_required
def create_entry(request, code):
    kommun = _kommun(request, code, edit=True)
    form = EntryForm(request.POST or None)
    hits = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.create_entry(
                kommun,
                request.user,
                services.EntryData(
                    source=data["source"],
                    date=data["date"],
                    text=data["text"],
                    area=data["area"],
                    channel=data["channel"],
                ),  # fmt: skip
                confirm_personal_data=data["confirm_personal_data"],
            )
        except services.PersonalDataFound as exc:
            hits = exc.hits
            form.add_error(None, exc.messages[0])
        except services.ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The entry was saved."))
            return redirect("dialogues:entry", code=kommun.code, pk=entry.pk)
    context = {
        "municipality": kommun,
        "form": form,
        "hits": hits,
        "segments": segments(form.data.get("text", ""), hits) if hits else None,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "dialogues/entry_form.html", context, status=status)


def _entry_context(request, kommun, entry, form=None):
    return {
        "municipality": kommun,
        "entry": entry,
        "segments": segments(entry.text),
        "themes_form": form or ThemesForm(initial={"themes": entry.theme_keys}),
        "themes": themes_by_key(),
        "can_edit": access.can_edit(request.user, kommun),
    }


@login_required
def entry(request, code, pk):
    kommun = _kommun(request, code)
    found = access.get_dialogue_entry_for_user(request.user, kommun, pk)
    return render(request, "dialogues/entry.html", _entry_context(request, kommun, found))


@login_required
@require_POST
def update_themes(request, code, pk):
    kommun = _kommun(request, code)
    found = access.get_dialogue_entry_for_user(request.user, kommun, pk, edit=True)
    form = ThemesForm(request.POST)
    if not form.is_valid():
        context = _entry_context(request, kommun, found, form)
        return render(request, "dialogues/entry.html", context, status=400)
    services.set_entry_themes(found, request.user, form.cleaned_data["themes"])
    messages.success(request, _("The themes were saved."))
    return redirect("dialogues:entry", code=kommun.code, pk=found.pk)


@login_required
@require_POST
def delete_entry(request, code, pk):
    kommun = _kommun(request, code)
    found = access.get_dialogue_entry_for_user(request.user, kommun, pk, edit=True)
    services.delete_entry(found, request.user)
    messages.success(request, _("The entry was deleted."))
    return redirect("dialogues:municipality", code=kommun.code)


@login_required
def import_upload(request, code):
    kommun = _kommun(request, code, edit=True)
    form = UploadForm(request.POST or None, request.FILES or None)
    errors = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            read_table(content, upload.name, limits=web_limits())
        except ImportProblems as exc:
            errors = exc.problems
        else:
            token = uploads.save_upload(request.user, kommun, upload.name, content)
            return redirect("dialogues:import-mapping", code=kommun.code, token=token)
    context = {"municipality": kommun, "form": form, "errors": errors}
    return render(request, "dialogues/import_upload.html", context, status=400 if errors else 200)


def _mapping(data) -> Mapping:
    return Mapping(
        text=data["text"], source=data["source"], date=data["date"], area=data["area"],
        channel=data["channel"], default_date=data["default_date"],
        default_channel=data["default_channel"],
    )  # fmt: skip


@login_required
def import_mapping(request, code, token):
    kommun = _kommun(request, code, edit=True)
    stored = uploads.load_upload(token, request.user, kommun)
    if stored is None:
        raise Http404
    name, content = stored
    table = read_table(content, name, limits=web_limits())
    form = MappingForm(request.POST or None, header=table.header)
    rows = errors = None
    if request.method == "POST" and form.is_valid():
        mapping = _mapping(form.cleaned_data)
        try:
            rows = build_rows(table, mapping)
        except ImportProblems as exc:
            errors = exc.problems
        if rows is not None and "confirm" in request.POST:
            result = import_rows(
                kommun, request.user, name=name, sha256=sha256_of(content), rows=rows,
                mapping=mapping, personal_data=form.cleaned_data["personal_data"],
            )  # fmt: skip
            uploads.delete_upload(token)
            messages.success(
                request,
                _("Imported %(c)s entries; %(s)s already existed; %(r)s had personal data removed.")
                % {"c": result.created, "s": result.skipped, "r": result.redacted},
            )
            return redirect("dialogues:municipality", code=kommun.code)
    context = {
        "municipality": kommun,
        "form": form,
        "name": name,
        "header": table.header,
        "errors": errors,
        "rows": rows,
        "preview": [(row, segments(row.text, row.hits)) for row in (rows or [])[:PREVIEW_ROWS]],
        "with_hits": [row for row in rows or [] if row.has_hits],
    }
    return render(request, "dialogues/import_mapping.html", context, status=400 if errors else 200)
