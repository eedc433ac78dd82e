import uuid

from django import forms
from django.utils.translation import gettext_lazy as _


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("Six digits from the authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
    )


class SubmissionKeyField(forms.UUIDField):
    """A hidden random key, new each time a form is shown (idempotency key).

    The service stores it with the row under a unique constraint, so the same form
    sent twice (a double click, a retry after a timeout) is stored once. It is random
    per rendering, never derived from the user, the address or the session. A missing
    or malformed key is not an error: the submission is then simply not deduplicated.
    """

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", uuid.uuid4)
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            return None
