from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medborgarlofte.accounts.forms import SubmissionKeyField
from medborgarlofte.privacy.fields import ScannedFormMixin
from medborgarlofte.privacy.upload_forms import UploadField

from .models import Source
from .themes import load_themes

STAFF_SOURCES = [(Source.CITIZEN, Source.CITIZEN.label), (Source.STAFF, Source.STAFF.label)]


class EntryForm(ScannedFormMixin, forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=STAFF_SOURCES)
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    channel = forms.CharField(label=_("Channel"), max_length=100, required=False,
                              help_text=_("For example a meeting, a survey or a walk."))  # fmt: skip
    area = forms.CharField(label=_("Area or place"), max_length=150, required=False)
    text = forms.CharField(label=_("What was said"), widget=forms.Textarea(attrs={"rows": 5}))
    confirm_personal_data = forms.BooleanField(
        label=_("I have checked the marked parts: they are not personal data"), required=False
    )


def theme_choices():
    return [(t.key, t.name) for t in load_themes()]


class ThemesForm(forms.Form):
    themes = forms.MultipleChoiceField(
        label=_("Themes"), choices=theme_choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip


class UploadForm(forms.Form):
    file = UploadField(
        label=_("CSV or XLSX export from a survey tool"),
        max_bytes=lambda: settings.UPLOAD_MAX_BYTES,
    )


PERSONAL_DATA_CHOICES = [
    ("redact", _("Remove what the scanner found")),
    ("confirm", _("Keep it: I have checked that it is not personal data")),
]


class MappingForm(ScannedFormMixin, forms.Form):
    text = forms.TypedChoiceField(label=_("Column with the text"), coerce=int)
    date = forms.TypedChoiceField(label=_("Column with the date"), coerce=int, required=False,
                                  empty_value=None)  # fmt: skip
    area = forms.TypedChoiceField(label=_("Column with the area"), coerce=int, required=False,
                                  empty_value=None)  # fmt: skip
    channel = forms.TypedChoiceField(label=_("Column with the channel"), coerce=int,
                                     required=False, empty_value=None)  # fmt: skip
    source = forms.ChoiceField(label=_("Source"), choices=STAFF_SOURCES)
    default_date = forms.DateField(
        label=_("Date when there is no date column"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )  # fmt: skip
    default_channel = forms.CharField(label=_("Channel when there is no channel column"),
                                      max_length=100, required=False)  # fmt: skip
    personal_data = forms.ChoiceField(
        label=_("Possible personal data"), choices=PERSONAL_DATA_CHOICES, initial="redact",
        widget=forms.RadioSelect,
    )  # fmt: skip

    def __init__(self, *args, header=(), **kwargs):
        super().__init__(*args, **kwargs)
        columns = [(str(i), f"{i + 1}: {title or '–'}") for i, title in enumerate(header)]
        self.fields["text"].choices = columns
        for name in ("date", "area", "channel"):
            self.fields[name].choices = [("", _("(none)")), *columns]
        lowered = [str(h).lower() for h in header]
        for name, words in (
            ("text", ("text", "svar", "fritext", "synpunkt", "kommentar")),
            ("date", ("date", "datum", "tid", "inskickad")),
            ("area", ("area", "område", "plats", "ort")),
            ("channel", ("channel", "kanal")),
        ):
            guess = next((i for i, h in enumerate(lowered) if any(w in h for w in words)), None)
            if guess is not None:
                self.fields[name].initial = str(guess)

    def clean(self):
        data = super().clean()
        if data.get("date") is None and not data.get("default_date"):
            self.add_error("default_date", _("Choose a date column or give a date."))
        return data


class PublicEntryForm(forms.Form):
    area = forms.CharField(
        label=_("Where? (area or place, optional)"), max_length=150, required=False,
        help_text=_("For example the station, the square or the school. Not a home address."),
    )  # fmt: skip
    text = forms.CharField(
        label=_("What do you want to tell us?"), max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Do not write names, personal identity numbers, phone numbers or addresses. "
                    "We remove such data before the text is saved."),
    )  # fmt: skip
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    idempotency_key = SubmissionKeyField()
