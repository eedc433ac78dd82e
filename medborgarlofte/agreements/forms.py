import datetime

from django import forms
from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from medborgarlofte.privacy.fields import ScannedFormMixin
from medborgarlofte.privacy.upload_forms import UploadField

from . import schedule
from .models import AgreementVersion, BasisItem, Cadence, Indicator, Level, Party
from .source_choices import SourceChoiceMixin


class DetailsForm(ScannedFormMixin, forms.ModelForm):
    """Title, introduction, effects and the follow-up plan: its text and its rhythm
    (schedule.py), which decides the periods follow-up expects and when each is due."""

    follow_up_rhythm = forms.ChoiceField(
        label=_("Follow-up rhythm"),
        choices=schedule.RHYTHM_CHOICES,
        required=False,  # left out: the plan's rhythm stays as it is
        help_text=_(
            "Decides which follow-ups are expected and when each is due. Every year also "
            "has its yearly follow-up."
        ),
    )
    follow_up_dates = forms.CharField(
        label=_("Follow-up dates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only for dates of your own choosing: one date a line (YYYY-MM-DD), within "
            "the agreement's period. The follow-up on each date covers the time since "
            "the one before."
        ),
    )
    not_scanned = {"follow_up_dates": "ISO dates, parsed and refused otherwise"}
    field_order = [
        "title",
        "police_area",
        "introduction",
        "effects",
        "follow_up_text",
        "follow_up_rhythm",
        "follow_up_dates",
        "signed_date",
    ]

    class Meta:
        model = AgreementVersion
        fields = [
            "title",
            "police_area",
            "introduction",
            "effects",
            "follow_up_text",
            "signed_date",
        ]
        widgets = {
            "signed_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "introduction": forms.Textarea(attrs={"rows": 6}),
            "effects": forms.Textarea(attrs={"rows": 4}),
            "follow_up_text": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        word, dates = schedule.schedule_word(self.instance.follow_up_schedule)
        self.fields["follow_up_rhythm"].initial = word
        self.fields["follow_up_dates"].initial = "\n".join(d.isoformat() for d in dates)

    def clean_follow_up_dates(self):
        text = self.cleaned_data.get("follow_up_dates", "")
        dates, wrong = [], []
        for entry in text.replace(",", "\n").replace(";", "\n").split():
            try:
                dates.append(datetime.date.fromisoformat(entry))
            except ValueError:
                wrong.append(entry)
        if wrong:
            raise forms.ValidationError(
                _("Not a date (YYYY-MM-DD): %(entries)s") % {"entries": ", ".join(wrong)}
            )
        agreement = self.instance.agreement
        outside = [d for d in dates if not agreement.period_start <= d <= agreement.period_end]
        if outside:
            raise forms.ValidationError(
                _("Outside the agreement's period (%(start)s–%(end)s): %(dates)s")
                % {
                    "start": agreement.period_start.isoformat(),
                    "end": agreement.period_end.isoformat(),
                    "dates": ", ".join(d.isoformat() for d in outside),
                }
            )
        return sorted(set(dates))

    def clean(self):
        data = super().clean()
        word = data.get("follow_up_rhythm")
        dates = data.get("follow_up_dates")
        if word == schedule.DATES and dates == []:
            self.add_error("follow_up_dates", _("Give at least one date."))
        elif word and dates is not None:
            data["follow_up_schedule"] = schedule.stored_schedule(word, dates)
        return data

    def changed_values(self) -> dict:
        """The changed fields as the service takes them (the rhythm as follow_up_schedule)."""
        values = {
            name: self.cleaned_data[name] for name in self.changed_data if name in self._meta.fields
        }
        old = schedule.schedule_word(self.instance.follow_up_schedule)
        new = self.cleaned_data.get("follow_up_schedule")
        if new is not None and schedule.schedule_word(new) != old:
            values["follow_up_schedule"] = new
        return values


class FocusAreaForm(ScannedFormMixin, forms.Form):
    title = forms.CharField(label=_("New focus area"), max_length=300)

    def __init__(self, *args, version=None, **kwargs):
        self.version = version
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        title = data.get("title", "")
        key = (
            slugify(title.replace("å", "a").replace("ä", "a").replace("ö", "o"))[:80]
            or "fokusomrade"
        )
        if self.version is not None and self.version.focus_areas.filter(key=key).exists():
            raise forms.ValidationError(_("A focus area with this title already exists."))
        data["key"] = key
        return data


class CrimeCategoryForm(ScannedFormMixin, forms.Form):
    name = forms.CharField(label=_("New priority crime category"), max_length=200)


class SectionForm(ScannedFormMixin, forms.Form):
    heading = forms.CharField(label=_("Heading"), max_length=300)
    focus_area = forms.ModelChoiceField(
        label=_("Focus area"), queryset=None, required=False, empty_label=_("(none)")
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_area"].queryset = version.focus_areas.all()


class CommitmentForm(ScannedFormMixin, forms.Form):
    text = forms.CharField(label=_("Commitment"), widget=forms.Textarea(attrs={"rows": 3}))
    owners = forms.ModelMultipleChoiceField(
        label=_("Owners"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one owner.")},
    )
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", _("(not stated)")), *Level.choices], required=False
    )
    cadence = forms.ChoiceField(
        label=_("Cadence"), choices=[("", _("(not stated)")), *Cadence.choices], required=False
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owners"].queryset = version.parties.all()

    def service_values(self) -> dict:
        """The keyword arguments of services.add_commitment / update_commitment."""
        data = self.cleaned_data
        return {
            "text": data["text"],
            "owners": list(data["owners"]),
            "level": data["level"],
            "cadence": data["cadence"],
        }


class IndicatorForm(SourceChoiceMixin, ScannedFormMixin, forms.ModelForm):
    """An indicator; its source chosen from lists (source_choices.py) and checked by the
    exchange format's rule, so whatever the editor accepts can be published and exported."""

    class Meta:
        model = Indicator
        fields = ["title", "kind", "unit", "baseline", "target", "direction"]

    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .exchange.constants import SOURCE_PREFIXES

        self.add_source_fields(
            municipality,
            ["manual", *SOURCE_PREFIXES],
            current=self.instance.source if self.instance.pk else "",
            empty_label=_("Not stated"),
        )
        self.fields["source_kind"].required = False

    def clean(self):
        from .exchange import indicator_source_problem

        data = self.clean_source_choice(super().clean())
        problem = indicator_source_problem(data.get("source", ""))
        if problem:
            self.add_error("source_detail", problem)
        return data


class UploadForm(forms.Form):
    file = UploadField(
        label=_("Agreement file (YAML or JSON, format medborgarlofte/1)"),
        max_bytes=lambda: settings.MAX_AGREEMENT_UPLOAD_BYTES,
    )
    dry_run = forms.BooleanField(label=_("Only check the file, change nothing"), required=False)


# --- Lägesbild links (issue 4) ----------------------------------------------------------


class ProblemLinkForm(forms.Form):
    problems = forms.ModelMultipleChoiceField(
        label=_("Problems this commitment answers"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, problems, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problems"].queryset = problems
        self.fields["problems"].label_from_instance = lambda p: f"{p.title} ({p.lagesbild.title})"


class PrioritiesForm(forms.Form):
    lagesbild = forms.ModelChoiceField(
        label=_("Approved situational picture"),
        queryset=None,
        help_text=_(
            "The focus areas and crime categories of its prioritised problems are added to the draft version."
        ),
    )

    def __init__(self, *args, lagesbilder, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lagesbild"].queryset = lagesbilder


# --- Parties, signatories, basis; renaming focus areas and categories (issue 14) ---------


class FocusAreaEditForm(ScannedFormMixin, forms.Form):
    title = forms.CharField(label=_("Focus area"), max_length=300)


class CrimeCategoryEditForm(ScannedFormMixin, forms.Form):
    name = forms.CharField(label=_("Priority crime category"), max_length=200)


class PartyForm(ScannedFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Party.Kind.choices)
    name = forms.CharField(label=_("Name of the party"), max_length=200)


class SignatoryForm(ScannedFormMixin, forms.Form):
    not_scanned = {"name": "the name of the official who signs: published on purpose"}

    party = forms.ModelChoiceField(label=_("Party"), queryset=None, empty_label=None)
    role = forms.CharField(label=_("Role"), max_length=200)
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("Published with the agreement."),
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = version.parties.all()


class BasisItemForm(ScannedFormMixin, forms.Form):
    not_scanned = {"years": "years as digits, e.g. 2021, 2022"}

    kind = forms.ChoiceField(label=_("Kind"), choices=BasisItem.Kind.choices)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    years = forms.CharField(
        label=_("Years"),
        required=False,
        max_length=200,
        help_text=_("Separated by commas, e.g. 2022, 2023"),
    )

    def clean_years(self):
        text = self.cleaned_data.get("years") or ""
        years = []
        for part in text.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not (part.isdigit() and len(part) == 4):
                raise forms.ValidationError(_("Write years as four digits, e.g. 2023."))
            years.append(int(part))
        return years


# --- Next year's promise (issue 14) -------------------------------------------------------


class CopyAgreementForm(forms.Form):
    start_year = forms.IntegerField(label=_("First year"), min_value=1900, max_value=9999)
    end_year = forms.IntegerField(
        label=_("Last year"),
        min_value=1900,
        max_value=9999,
        required=False,
        help_text=_("Leave empty for a promise of one year."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            raise forms.ValidationError(_("The end year must be the start year or later."))
        return data


class DropCommitmentForm(ScannedFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is the commitment dropped?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
