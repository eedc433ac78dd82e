from django import forms
from django.utils.translation import gettext_lazy as _


class PeriodForm(forms.Form):
    """The years shown on the statistics page (GET parameters from and to)."""

    year_from = forms.IntegerField(label=_("From year"), min_value=1996, max_value=2100)
    year_to = forms.IntegerField(label=_("To year"), min_value=1996, max_value=2100)

    def clean(self):
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The first year must not be after the last year."))
        if start and end and end - start > 20:
            raise forms.ValidationError(_("Choose at most 20 years."))
        return data


class NationalFileForm(forms.Form):
    """The operator's upload of a national file (medborgarlofte/crimestats/operator.py)."""

    kind = forms.ChoiceField(label=_("Kind of file"))
    year = forms.IntegerField(
        label=_("Year"),
        min_value=1990,
        max_value=2100,
        required=False,
        help_text=_("For Brå's yearly file when its name does not contain the year."),
    )
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, **kwargs):
        from .operator import KINDS

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(KINDS.items())
