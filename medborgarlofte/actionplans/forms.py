from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from medborgarlofte.accounts.decisions import DecisionFields
from medborgarlofte.privacy.fields import ScannedFormMixin
from medborgarlofte.privacy.upload_forms import UploadField

from .models import ActionPlan, CooperationAgreement, Goal, Measure, MeasureFollowUp

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(ScannedFormMixin, forms.ModelForm):
    # A form field, not the model's: the model's own check of the foreign key would look
    # the lägesbild up among every kommun's (an unscoped query, refused by the tenant
    # guard); the choices here are the kommun's lägesbilder, and the service checks again.
    lagesbild = forms.ModelChoiceField(
        label=_("Situational picture"),
        queryset=None,
        help_text=_("The situational picture the plan is based on."),
    )
    field_order = ["title", "lagesbild"]

    class Meta:
        model = ActionPlan
        fields = ["title", "first_year", "last_year", "summary", "police_take_part"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, lagesbilder=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lagesbild"].queryset = lagesbilder

    def clean(self):
        data = super().clean()
        first, last = data.get("first_year"), data.get("last_year")
        if first and last and last < first:
            raise forms.ValidationError(_("The last year cannot be before the first year."))
        return data


class PlanDetailsForm(ScannedFormMixin, forms.ModelForm):
    class Meta:
        model = ActionPlan
        fields = ["title", "first_year", "last_year", "summary", "police_take_part"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class MeasureForm(ScannedFormMixin, forms.ModelForm):
    problems = forms.ModelMultipleChoiceField(
        label=_("Problems addressed"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The problems of the situational picture this measure addresses."),
    )

    class Meta:
        model = Measure
        fields = [
            "title",
            "description",
            "problems",
            "responsible",
            "partners",
            "with_police",
            "starts",
            "ends",
            "place",
            "hours",
            "cost",
            "expected_effect",
            "indicator",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "expected_effect": forms.Textarea(attrs={"rows": 2}),
            "starts": DATE,
            "ends": DATE,
        }

    def __init__(self, *args, problems=None, places=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problems"].queryset = problems
        # The kommun's gazetteer only: another kommun's place is not a valid choice.
        self.fields["place"].queryset = places
        self.fields["place"].help_text = _(
            "Optional: where the measure is done. The measure then shows EST incidents and "
            "police events there before and during the measure."
        )

    def clean(self):
        data = super().clean()
        if data.get("starts") and data.get("ends") and data["ends"] < data["starts"]:
            self.add_error("ends", _("The measure must end after it starts."))
        return data


class FollowUpForm(ScannedFormMixin, forms.ModelForm):
    class Meta:
        model = MeasureFollowUp
        fields = ["year", "term", "status", "explanation"]
        widgets = {"explanation": forms.Textarea(attrs={"rows": 2})}


class CommitmentForm(forms.Form):
    section = forms.ModelChoiceField(
        label=_("Section of an agreement draft"),
        queryset=None,
        help_text=_("The measure becomes a draft commitment there, owned by both parties."),
    )

    def __init__(self, *args, sections=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = sections
        self.fields["section"].label_from_instance = lambda s: (
            f"{s.version.title} (v{s.version.number}) – {s.heading}"
        )


class DecisionForm(ScannedFormMixin, DecisionFields):
    """The kommun's decision on the plan (accounts/decisions.py)."""


class CooperationForm(ScannedFormMixin, forms.ModelForm):
    class Meta:
        model = CooperationAgreement
        fields = ["title", "first_year", "last_year", "problems", "organisation"]
        fields += ["follow_up_method"]
        widgets = {
            "problems": forms.Textarea(attrs={"rows": 3}),
            "organisation": forms.Textarea(attrs={"rows": 3}),
            "follow_up_method": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        first, last = data.get("first_year"), data.get("last_year")
        if first and last and last < first:
            raise forms.ValidationError(_("The last year cannot be before the first year."))
        return data


class GoalForm(ScannedFormMixin, forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["title", "indicator", "baseline", "target"]


class CommitmentGoalsForm(forms.Form):
    goals = forms.ModelMultipleChoiceField(
        label=_("Goals it serves"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, goals=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = goals


class PlanUploadForm(forms.Form):
    file = UploadField(
        label=_("JSON file"),
        max_bytes=lambda: settings.UPLOAD_MAX_BYTES,
        help_text=_(
            "An action plan exported as JSON from Medborgarlöfte, e.g. from the council report."
        ),
    )
    confirm_personal_data = forms.BooleanField(
        label=_("I have checked the texts the check marks: they are not personal data"),
        required=False,
        help_text=_("Only when an earlier upload of the file listed possible personal data."),
    )
