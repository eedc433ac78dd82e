from django import forms
from django.utils.translation import gettext_lazy as _

from medborgarlofte.accounts.decisions import DecisionFields
from medborgarlofte.accounts.police_reads import ExportReason
from medborgarlofte.crimestats.models import CrimeCategory
from medborgarlofte.privacy.fields import ScannedFormMixin

from .models import (
    Consequence,
    EvidenceKind,
    IntelligenceSummary,
    Lagesbild,
    Problem,
    Programme,
)
from .ranking import MANUAL_STRENGTHS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodMixin:
    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            raise forms.ValidationError(_("The period must end after it starts."))
        return data


class LagesbildForm(ScannedFormMixin, PeriodMixin, forms.ModelForm):
    class Meta:
        model = Lagesbild
        fields = ["title", "period_start", "period_end", "promise_year"]
        widgets = {"period_start": DATE, "period_end": DATE}


class DetailsForm(ScannedFormMixin, forms.ModelForm):
    class Meta:
        model = Lagesbild
        fields = ["title", "promise_year", "consequences", "other_information", "analysis"]
        widgets = {
            "consequences": forms.Textarea(attrs={"rows": 4}),
            "other_information": forms.Textarea(attrs={"rows": 4}),
            "analysis": forms.Textarea(attrs={"rows": 5}),
        }


class ProblemForm(ScannedFormMixin, forms.ModelForm):
    crime_categories = forms.ModelMultipleChoiceField(
        label=_("Crime categories"),
        queryset=CrimeCategory.objects.all(),
        required=False,
        help_text=_("The priority crime categories this problem leads to."),
    )

    class Meta:
        model = Problem
        fields = [
            "title",
            "behaviour",
            "place",
            "time",
            "affected",
            "causes",
            "focus_area",
            "crime_categories",
            "chosen",
        ]
        widgets = {
            "behaviour": forms.Textarea(attrs={"rows": 2}),
            "causes": forms.Textarea(attrs={"rows": 2}),
        }


class CandidateEvidenceForm(forms.Form):
    candidate = forms.ChoiceField(label=_("Figure from the sources"))

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        for section in sections:
            items = [
                (f"{section['key']}|{c['key']}", c["label"]) for c in section.get("candidates", [])
            ]
            if items:
                choices.append((section["title"], items))
        self.fields["candidate"].choices = choices


class ManualEvidenceForm(ScannedFormMixin, forms.Form):
    not_scanned = {
        "value": "a figure (a number with its unit)",
        "as_of": "the date of the figure",
    }
    kind = forms.ChoiceField(label=_("Kind"))
    label = forms.CharField(
        label=_("What the evidence says"),
        max_length=300,
        required=False,
        help_text=_("Not needed for the police intelligence report: its content is never shown."),
    )
    value = forms.CharField(label=_("Figure"), max_length=60, required=False)
    source = forms.CharField(label=_("Source"), max_length=200, required=False)
    as_of = forms.CharField(label=_("Date of the figure"), max_length=30, required=False)
    strength = forms.ChoiceField(
        label=_("Strength"),
        choices=[("low", _("Low")), ("medium", _("Medium")), ("high", _("High"))],
        initial="medium",
    )

    def __init__(self, *args, police=False, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [(k, label) for k, label in EvidenceKind.choices if k != "intelligence" or police]
        self.fields["kind"].choices = kinds

    def clean(self):
        data = super().clean()
        if data.get("kind") != "intelligence" and not data.get("label"):
            self.add_error("label", _("Describe the evidence."))
        data["strength_value"] = MANUAL_STRENGTHS.get(data.get("strength"), 0.67)
        return data


class MoveForm(ScannedFormMixin, forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])
    reason = forms.CharField(
        label=_("Reason for the move"),
        max_length=500,
        help_text=_("Required: the ranking is transparent, so every manual move is explained."),
    )


class ProgrammeForm(ScannedFormMixin, forms.ModelForm):
    url = forms.URLField(label=_("address (URL)"), required=False, assume_scheme="https")

    class Meta:
        model = Programme
        fields = ["title", "url", "first_year", "last_year"]

    def clean(self):
        data = super().clean()
        first, last = data.get("first_year"), data.get("last_year")
        if first and last and last < first:
            raise forms.ValidationError(_("The last year cannot be before the first year."))
        return data


class IntelligenceForm(ScannedFormMixin, PeriodMixin, forms.ModelForm):
    class Meta:
        model = IntelligenceSummary
        fields = ["period_start", "period_end", "text"]
        widgets = {
            "period_start": DATE,
            "period_end": DATE,
            "text": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "text": _(
                "A summary only: no names, no personal identity numbers, no details that identify a person."
            )
        }


class IntelligenceExportForm(ScannedFormMixin, forms.Form):
    """Why a police user exports the police section to a PDF (written to the audit log).
    Query parameters of the PDF address: ?syfte=…&motivering=…"""

    syfte = forms.ChoiceField(label=_("Purpose of the export"), choices=ExportReason.choices)
    motivering = forms.CharField(
        label=_("Why (for “Other”)"),
        max_length=200,
        required=False,
        help_text=_("Written to the audit log with your name and the time."),
    )

    def clean(self):
        data = super().clean()
        if data.get("syfte") == ExportReason.OTHER and not data.get("motivering", "").strip():
            self.add_error("motivering", _("Write why you export the police section."))
        return data


class ConsequenceForm(ScannedFormMixin, forms.ModelForm):
    """A figure or text on the consequences of crime (lag 2023:196, 4 § 1 p.)."""

    class Meta:
        model = Consequence
        fields = ["title", "figure", "unit", "year", "text", "source"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class DecisionForm(ScannedFormMixin, DecisionFields):
    """The kommun's decision on a frozen version (accounts/decisions.py)."""
