import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medborgarlofte.accounts.forms import SubmissionKeyField
from medborgarlofte.kommuner.models import Place
from medborgarlofte.privacy.fields import ScannedFormMixin

from .models import MEETING_ROLES, TimeBand


class ReportForm(ScannedFormMixin, forms.Form):
    organisation = forms.CharField(
        label=_("Reporting organisation"),
        max_length=150,
        help_text=_(
            "For example: Mullsjö kommun, fritidsgården; the housing company; a security firm."
        ),
    )
    idempotency_key = SubmissionKeyField()


class EventForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("What happened"), queryset=None, empty_label=_("— choose what happened —")
    )
    place = forms.ModelChoiceField(
        label=_("Place"), queryset=None, required=False, empty_label=_("— choose a place —")
    )
    latitude = forms.FloatField(
        label=_("or a point: latitude"),
        required=False,
        min_value=55,
        max_value=70,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    longitude = forms.FloatField(
        label=_("longitude"),
        required=False,
        min_value=10,
        max_value=25,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        help_text=_("A point is stored generalised to a square of about 300 metres."),
    )
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time_band = forms.ChoiceField(
        label=_("Time of day"), choices=TimeBand.choices, initial=TimeBand.UNKNOWN
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Describe the place and the situation. No names, no personal identity numbers, no phone numbers."
        ),
    )
    confirm_no_personal_data = forms.BooleanField(
        label=_("I have checked: what was found is not personal data"), required=False
    )

    def __init__(self, *args, categories=None, places=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["place"].queryset = places
        self.personal_data_hits = []

    def needs_confirmation(self) -> bool:
        """Scan the description; True when something was found and not yet confirmed.

        With the "replace" button (privacy.fields.REDACT_ACTION) the hits are replaced
        by their placeholders and the form is shown again with the replaced text."""
        from medborgarlofte.privacy.fields import REDACT_ACTION, redact_text
        from medborgarlofte.privacy.scanner import scan, segments

        data = getattr(self, "cleaned_data", {})
        text = data.get("description") or ""
        self.personal_data_hits = scan(text)
        self.personal_data_segments = segments(text, self.personal_data_hits)
        if self.personal_data_hits and REDACT_ACTION in self.data:
            data["description"] = redact_text(text, self.personal_data_hits)
            self.data = self.data.copy()
            self.data[self.add_prefix("description")] = data["description"]
            self.personal_data_hits, self.personal_data_segments = [], []
            return True  # shown again with the replaced text, to check and send
        return bool(self.personal_data_hits) and not data.get("confirm_no_personal_data")

    def replacement_labels(self) -> list[str]:
        from medborgarlofte.privacy.fields import replacement

        return sorted({replacement(hit.kind) for hit in self.personal_data_hits})

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate() + datetime.timedelta(days=1):
            raise ValidationError(_("The date is in the future."))
        return value

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))
        return data


class BaseEventFormSet(forms.BaseFormSet):
    def __init__(self, *args, categories=None, places=None, **kwargs):
        self.categories = categories
        self.places = places
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        # Every event starts on today's date; an untouched extra event is then unchanged.
        return {
            "categories": self.categories,
            "places": self.places,
            "initial": {"date": timezone.localdate()},
        }

    def clean(self):
        if any(self.errors):
            return
        if not [f for f in self.forms if f.has_changed() and f.cleaned_data]:
            raise ValidationError(_("Describe at least one event."))


EventFormSet = forms.formset_factory(
    EventForm, formset=BaseEventFormSet, extra=0, min_num=1, max_num=20
)


class HandleForm(ScannedFormMixin, forms.Form):
    action_taken = forms.CharField(
        label=_("Action taken"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MergeForm(forms.Form):
    original = forms.IntegerField(
        label=_("Duplicate of event number"),
        min_value=1,
        help_text=_("The number of the event this one repeats. It stays, but is counted once."),
    )


class PlaceForm(ScannedFormMixin, forms.ModelForm):
    not_scanned = {"polygon_text": "GeoJSON coordinates, parsed into numbers"}

    aliases_text = forms.CharField(
        label=_("Other names (comma-separated)"), required=False, max_length=500
    )
    polygon_text = forms.CharField(
        label=_("Polygon (GeoJSON coordinates, optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A list of rings of [longitude, latitude] pairs, WGS84."),
    )

    class Meta:
        model = Place
        fields = ["name", "kind", "latitude", "longitude", "active"]
        widgets = {
            "latitude": forms.NumberInput(attrs={"step": "any"}),
            "longitude": forms.NumberInput(attrs={"step": "any"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["aliases_text"].initial = ", ".join(self.instance.aliases or [])
            if self.instance.polygon:
                import json

                self.fields["polygon_text"].initial = json.dumps(self.instance.polygon)

    def clean_polygon_text(self):
        import json

        text = self.cleaned_data["polygon_text"].strip()
        if not text:
            return None
        try:
            rings = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationError(_("Not valid JSON: %(msg)s") % {"msg": exc.msg}) from exc
        ok = isinstance(rings, list) and all(
            isinstance(ring, list)
            and len(ring) >= 4
            and all(
                isinstance(p, list) and len(p) == 2 and all(isinstance(c, int | float) for c in p)
                for p in ring
            )
            for ring in rings
        )
        if not ok:
            raise ValidationError(_("Expected rings of at least four [longitude, latitude] pairs."))
        return rings

    def place_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["aliases"] = [
            a.strip() for a in self.cleaned_data["aliases_text"].split(",") if a.strip()
        ]
        data["polygon"] = self.cleaned_data["polygon_text"]
        return data


class CategoryForm(ScannedFormMixin, forms.Form):
    name = forms.CharField(label=_("New category"), max_length=120)


class MeetingForm(ScannedFormMixin, forms.Form):
    date = forms.DateField(
        label=_("Meeting date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    participants = forms.MultipleChoiceField(
        label=_("Participants (by role)"),
        choices=MEETING_ROLES,
        widget=forms.CheckboxSelectMultiple,
    )
    decisions = forms.CharField(
        label=_("Decisions"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    commitment_refs = forms.MultipleChoiceField(
        label=_("Commitments the meeting serves"),
        help_text=_("The meeting counts as an activity of each: no need to log it again."),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, commitment_choices=(), **kwargs):
        """commitment_choices: (ref, label) pairs, from incidents.commitments.choices."""
        super().__init__(*args, **kwargs)
        self.fields["commitment_refs"].choices = list(commitment_choices)
        if not commitment_choices:
            del self.fields["commitment_refs"]


class ActionForm(ScannedFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Action"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    responsible_role = forms.ChoiceField(
        label=_("Responsible (role)"), choices=[("", "—"), *MEETING_ROLES], required=False
    )
    place = forms.ModelChoiceField(label=_("Place"), queryset=None, required=False)
    commitment_ref = forms.ChoiceField(
        label=_("Commitment in the citizen promise"), choices=(), required=False
    )
    due = forms.DateField(
        label=_("Due"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, places=None, commitment_choices=(), **kwargs):
        """commitment_choices: (ref, label) pairs, from incidents.commitments.choices."""
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places
        self.fields["commitment_ref"].choices = [("", "—"), *commitment_choices]
