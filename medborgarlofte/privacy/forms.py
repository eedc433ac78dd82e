"""Forms of the privacy layer that other layers' pages use."""

from django import forms
from django.utils.translation import gettext_lazy

from .fields import ScannedFormMixin


class CommentForm(ScannedFormMixin, forms.Form):
    anchor = forms.ChoiceField(label=gettext_lazy("About"), required=False)
    text = forms.CharField(
        label=gettext_lazy("Comment"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Seen only by the municipality's coordinators and the police; never published."
        ),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, anchors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["anchor"].choices = list(anchors)
