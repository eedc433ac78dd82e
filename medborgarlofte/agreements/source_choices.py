"""Indicator sources chosen from lists, not typed (issue 14, item 7).

An indicator's source is stored as `<kind>:<detail>` (followup/indicator_sources.py reads
it). The forms offer two selects instead of a text box: the kind of source, and the
category, question or meeting type from the lists the product holds for the kommun:

- crime_statistics: the crime categories of the taxonomy (crimestats),
- survey: the questions of the kommun's trygghetsmätningar (surveys),
- incidents: the kommun's EST checklist (incidents),
- meetings: the meeting types (follow-up registers them here, being a higher layer),
- activities: the commitment's own activities (follow-up's form only),
- manual: values entered by hand.

A source already stored that is not in the lists (typed before, or imported) stays
offered, so editing never loses it.
"""

from collections.abc import Callable

from django import forms
from django.utils.translation import gettext_lazy as _

# kind -> label, in the order shown
KIND_LABELS = {
    "manual": _("Entered by hand"),
    "crime_statistics": _("Reported crime (Brå)"),
    "survey": _("Safety survey question"),
    "incidents": _("EST incidents"),
    "meetings": _("Meetings held"),
    "activities": _("The commitment's activities"),
}
# Kinds whose detail may be empty (all of them / this commitment).
OPTIONAL_DETAIL = {"meetings", "activities"}

# provider(municipality) -> [(detail, label)] for kinds owned by a higher layer
_providers: dict[str, Callable[[object], list[tuple[str, str]]]] = {}


def register(kind: str, provider: Callable[[object], list[tuple[str, str]]]) -> None:
    """Called by the app owning a kind's list in its AppConfig.ready (follow-up: meetings)."""
    _providers[kind] = provider


def _crime_categories(_municipality) -> list[tuple[str, str]]:
    try:
        from medborgarlofte.crimestats.models import CrimeCategory
    except ImportError:
        return []
    names = CrimeCategory.objects.order_by("code", "name").values_list("name", flat=True)
    return [(name, name) for name in names]


def _survey_questions(municipality) -> list[tuple[str, str]]:
    try:
        from medborgarlofte.surveys.models import SurveyValue
    except ImportError:
        return []
    if municipality is None:
        return []
    questions = (
        SurveyValue.objects.filter(municipality=municipality)
        .order_by("question")
        .values_list("question", flat=True)
        .distinct()
    )
    return [(q, q) for q in questions]


def _incident_categories(municipality) -> list[tuple[str, str]]:
    try:
        from medborgarlofte.incidents.models import IncidentCategory
    except ImportError:
        return []
    if municipality is None:
        return []
    rows = IncidentCategory.objects.filter(municipality=municipality, active=True).order_by(
        "position", "id"
    )
    return [(c.key, c.name) for c in rows]


BUILT_IN = {
    "crime_statistics": _crime_categories,
    "survey": _survey_questions,
    "incidents": _incident_categories,
}


def details(kind: str, municipality) -> list[tuple[str, str]]:
    provider = BUILT_IN.get(kind) or _providers.get(kind)
    return provider(municipality) if provider else []


def split(source: str) -> tuple[str, str]:
    kind, _sep, detail = (source or "").partition(":")
    return kind.strip(), detail.strip()


def join(kind: str, detail: str) -> str:
    if not kind:
        return ""
    if kind == "manual":
        return "manual"
    return f"{kind}:{detail}"


class SourceChoiceMixin:
    """Two selects, `source_kind` and `source_detail`, composed into cleaned_data["source"].

    The form calls `add_source_fields(municipality, kinds, current=..., empty_label=...)`
    in its __init__; the detail select groups its options by kind (works without JS)."""

    def add_source_fields(self, municipality, kinds, *, current: str = "", empty_label=None):
        current_kind, current_detail = split(current)
        kind_choices = [(k, KIND_LABELS[k]) for k in kinds]
        if empty_label is not None:
            kind_choices.insert(0, ("", empty_label))
        groups = []
        self._source_details: dict[str, set[str]] = {}
        for kind in kinds:
            options = list(details(kind, municipality))
            if kind == current_kind and current_detail and current_detail not in dict(options):
                options.insert(0, (current_detail, current_detail))  # keep what was stored
            if kind in OPTIONAL_DETAIL:
                options.insert(0, ("", _("(all)") if kind == "meetings" else _("(this one)")))
            self._source_details[kind] = {value for value, _label in options}
            if options:
                groups.append((KIND_LABELS[kind], [(f"{kind}:{v}", label) for v, label in options]))
        self.fields["source_kind"] = forms.ChoiceField(
            label=_("Data source"), choices=kind_choices, required=empty_label is not None
        )
        self.fields["source_detail"] = forms.ChoiceField(
            label=_("Category, question or meeting type"),
            choices=[("", "—"), *groups],
            required=False,
            help_text=_("Choose from the list of the data source chosen above."),
        )
        if current:
            self.initial.setdefault("source_kind", current_kind)
            self.initial.setdefault("source_detail", f"{current_kind}:{current_detail}")

    def clean_source_choice(self, data: dict) -> dict:
        kind = data.pop("source_kind", "") or ""
        chosen = data.pop("source_detail", "") or ""
        detail_kind, detail = split(chosen)
        if not kind or kind == "manual":
            data["source"] = join(kind, "")
            return data
        if chosen and detail_kind != kind:
            self.add_error(
                "source_detail",
                _("Choose a category, question or meeting type of the data source chosen."),
            )
            return data
        if detail not in self._source_details.get(kind, set()) or (
            not detail and kind not in OPTIONAL_DETAIL
        ):
            self.add_error(
                "source_detail", _("Choose a category, question or meeting type from the list.")
            )
            return data
        data["source"] = join(kind, detail)
        return data
