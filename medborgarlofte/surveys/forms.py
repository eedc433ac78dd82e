from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from medborgarlofte.privacy.fields import ScannedFormMixin
from medborgarlofte.privacy.upload_forms import UploadField

from .models import Gender, SurveyWave


class WaveForm(ScannedFormMixin, forms.ModelForm):
    class Meta:
        model = SurveyWave
        fields = [
            "provider",
            "year",
            "area",
            "respondents",
            "response_rate",
            "value_format",
            "source",
        ]

    def __init__(self, *args, municipality=None, **kwargs):
        self.municipality = municipality
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        clash = SurveyWave.objects.filter(
            municipality=self.municipality,
            provider=data.get("provider"),
            year=data.get("year"),
            area=data.get("area"),
        ).exclude(pk=self.instance.pk)
        if self.municipality is not None and clash.exists():
            raise forms.ValidationError(
                _("This provider already has a wave for this year and area.")
            )
        return data


class ValueForm(ScannedFormMixin, forms.Form):
    question = forms.CharField(label=_("Question"), max_length=300)
    answer = forms.CharField(
        label=_("Answer"), max_length=150, required=False,
        help_text=_("Only for percentages: the answer the percentage counts."),
    )  # fmt: skip
    gender = forms.ChoiceField(
        label=_("Women/men"), choices=Gender.choices, initial=Gender.TOTAL, required=False,
        help_text=_("Only when the survey reports women and men separately."),
    )  # fmt: skip
    value = forms.DecimalField(label=_("Value"), min_value=0, max_value=100, decimal_places=2)
    n = forms.IntegerField(label=_("n (answers to this question)"), min_value=0, required=False)

    def __init__(self, *args, wave=None, **kwargs):
        self.wave = wave
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        data["gender"] = data.get("gender") or Gender.TOTAL
        if self.wave is not None and self.wave.value_format == "index":
            if data.get("value") is not None and data["value"] > 6:
                self.add_error("value", _("An index value is from 0 to 6."))
            data["answer"] = ""
        elif self.wave is not None and not data.get("answer"):
            self.add_error("answer", _("Percentages need the answer they count."))
        return data


class ThresholdForm(ScannedFormMixin, forms.Form):
    normal_max = forms.DecimalField(
        label=_("Normal up to"), min_value=0, max_value=6, decimal_places=2, initial=Decimal("1.5")
    )
    act_from = forms.DecimalField(
        label=_("Act from"),
        help_text=_(
            "Polisen describes 1.7–2.0 as a problem level for police and kommun to act on."
        ),
        min_value=0,
        max_value=6,
        decimal_places=2,
        initial=Decimal("1.7"),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        low, high = data.get("normal_max"), data.get("act_from")
        if low is not None and high is not None and low >= high:
            raise forms.ValidationError(_("“Act from” must be above “Normal up to”."))
        return data


class ImportForm(forms.Form):
    file = UploadField(label=_("CSV or XLSX file"), max_bytes=lambda: settings.UPLOAD_MAX_BYTES)
    dry_run = forms.BooleanField(label=_("Only check, do not save"), required=False)
