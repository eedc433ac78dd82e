"""The kommun's decision on a statutory document: one record, one form, one service.

Lag (2023:196) om kommuners ansvar för brottsförebyggande arbete has the kommun decide
its åtgärdsplan, and kommuner decide their lägesbild in the same way (docs/statutory.md).
A decision names the body (kommunstyrelsen, kommunfullmäktige or a named nämnd), the
date, the paragraph of the minutes and the diarienummer (accounts.models.DecisionRecord).

Only the kommun records it: a coordinator of the kommun (the police take part in the
approval of joint documents, not in the kommun's decision). A document is decided once;
the decided document is frozen and a change needs a new version, decided again.
`record_decision` checks who, refuses a second decision and writes the row; the caller
writes the audit entry with its own action (`decide_lagesbild_version`,
`decide_actionplan`, with `state(decision)` as `after`); the document's own service locks the document and checks its own conditions
first.
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import access
from .models import DecisionBody, Role

FIELDS = ("body", "body_name", "decided_on", "paragraph", "reference")


def can_decide(user, municipality) -> bool:
    """Coordinators of the kommun record its decisions."""
    return Role.COORDINATOR in access.roles_for(user, municipality)


def require_decide(user, municipality) -> None:
    access.require_edit(user, municipality)
    if not can_decide(user, municipality):
        raise PermissionDenied


def existing(document):
    """The document's decision row, or None (the reverse one-to-one `decision`)."""
    try:
        return document.decision
    except type(document).decision.RelatedObjectDoesNotExist:
        return None


def record_decision(model, document, user, **values):
    """Write the decision on `document` (already locked and checked by the caller) as a
    row of `model` (a DecisionRecord with a one-to-one key named `document`). The caller
    records the audit entry (its action names the document)."""
    require_decide(user, document.municipality)
    if existing(document) is not None:
        raise ValidationError(_("It has already been decided. A change needs a new version."))
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(sorted(unknown))
    if values.get("body") == DecisionBody.NAMND and not values.get("body_name", "").strip():
        raise ValidationError(_("Name the committee that decided."))
    if values.get("body") != DecisionBody.NAMND:
        values["body_name"] = ""
    field = model._meta.get_field("document").name
    decision = model.objects.create(
        municipality=document.municipality, recorded_by=user, **{field: document}, **values
    )
    return decision


def state(decision) -> dict:
    return {
        "body": decision.body,
        "body_name": decision.body_name,
        "decided_on": decision.decided_on.isoformat(),
        "paragraph": decision.paragraph,
        "reference": decision.reference,
    }


def as_dict(decision) -> dict | None:
    """For snapshots and exports."""
    if decision is None:
        return None
    return {**state(decision), "body_label": decision.body_label()}


class DecisionFields(forms.Form):
    """The decision record's fields, the same on every statutory document. Each app's
    forms.py makes its scanned form of it (`class DecisionForm(ScannedFormMixin,
    DecisionFields)`): the scanner (privacy) sits above this layer."""

    body = forms.ChoiceField(label=gettext_lazy("Decided by"), choices=DecisionBody.choices)
    body_name = forms.CharField(
        label=gettext_lazy("Name of the committee"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Only when a committee (nämnd) decided, e.g. Socialnämnden."),
    )
    decided_on = forms.DateField(
        label=gettext_lazy("Date of the decision"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    paragraph = forms.CharField(
        label=gettext_lazy("Paragraph"),
        max_length=40,
        help_text=gettext_lazy("The paragraph of the minutes, e.g. § 123."),
    )
    reference = forms.CharField(
        label=gettext_lazy("Diarienummer"),
        max_length=80,
        help_text=gettext_lazy("The case number, e.g. KS 2023/145."),
    )

    def clean(self):
        data = super().clean()
        if data.get("body") == DecisionBody.NAMND and not (data.get("body_name") or "").strip():
            self.add_error("body_name", _("Name the committee that decided."))
        return data
