from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from medborgarlofte.agreements.models import Party
from medborgarlofte.agreements.source_choices import KIND_LABELS, SourceChoiceMixin
from medborgarlofte.privacy.fields import ScannedFormMixin
from medborgarlofte.privacy.upload_forms import UploadField

from .access import places_for_activity
from .indicator_sources import SOURCES, split_source
from .models import CommitmentStatus, MeetingType

PARTY_CHOICES = [
    (Party.Kind.POLICE, _("Police")),
    (Party.Kind.MUNICIPALITY, _("Municipality")),
    (Party.Kind.OTHER, _("Other")),
]


def _short(text: str, length: int = 90) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


class ActivityForm(ScannedFormMixin, forms.Form):
    commitment_ref = forms.ChoiceField(label=_("Commitment"))
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    party_kind = forms.ChoiceField(label=_("Done by"), choices=PARTY_CHOICES)
    title = forms.CharField(label=_("What was done"), max_length=300)
    quantity = forms.FloatField(label=_("Quantity"), required=False, min_value=0)
    unit = forms.CharField(
        label=_("Unit"),
        max_length=100,
        required=False,
        help_text=_("e.g. hundsök, households reached, participants"),
    )
    # Process follow-up (issue 15, item 5): summed in process.py.
    hours = forms.DecimalField(
        label=_("Hours"),
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        localize=True,  # "2,5" as Swedish users write it
    )
    cost = forms.IntegerField(label=_("Cost (kr)"), required=False, min_value=0)
    reach = forms.IntegerField(
        label=_("People reached"),
        required=False,
        min_value=0,
        help_text=_("How many people the activity reached, as a number (no names)."),
    )
    meeting_type = forms.ChoiceField(
        label=_("Meeting type"),
        choices=[("", _("(not a meeting)")), *MeetingType.choices],
        required=False,
    )
    participants = forms.CharField(
        label=_("Participants (roles, no names)"), max_length=300, required=False
    )
    outcome = forms.CharField(
        label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    decisions = forms.CharField(
        label=_("Decisions"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    place = forms.ModelChoiceField(
        label=_("Place"),
        queryset=None,
        required=False,
        help_text=_(
            "Optional: where it was done. The activities page then shows EST incidents and "
            "police events there before and after the date."
        ),
    )
    late_reason = forms.CharField(
        label=_("Reason for a late registration"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_(
            "Required when the date lies in a period whose follow-up is already published: "
            "why is the activity logged afterwards? It is shown to staff, not to the public."
        ),
    )
    confirm_personal_data = forms.BooleanField(
        label=_("I have checked the text: what was found is not personal data, or may be stored"),
        required=False,
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        # The kommun's gazetteer only: another kommun's place is not a valid choice.
        self.fields["place"].queryset = places_for_activity(version.agreement.municipality_id)
        self.fields["commitment_ref"].choices = [
            (c.ref, f"{c.ref}: {_short(c.text)}")
            for c in version.commitments.order_by("section__position", "position")
        ]


class EvidenceForm(forms.Form):
    file = UploadField(
        label=_("Evidence (PDF or image, at most 10 MB)"),
        max_bytes=lambda: settings.EVIDENCE_MAX_BYTES,
    )


class IndicatorValueForm(ScannedFormMixin, forms.Form):
    date = forms.DateField(label=_("Measured on"), widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.FloatField(label=_("Value"))
    note = forms.CharField(label=_("Source or note"), max_length=300, required=False)


class IndicatorSourceForm(SourceChoiceMixin, forms.Form):
    """The source chosen from lists (agreements/source_choices.py): cleaned_data["source"]
    is "" (the agreement's own), "manual" or "<kind>:<detail>"."""

    def __init__(self, *args, municipality, current: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.add_source_fields(
            municipality,
            list(KIND_LABELS),
            current=current,
            empty_label=_("The agreement's own source"),
        )
        self.fields["source_kind"].required = False

    def clean(self):
        data = self.clean_source_choice(super().clean())
        source = data.get("source", "")
        if source and split_source(source)[0] not in SOURCES:
            raise forms.ValidationError(
                _("Unknown source. Use one of: %(kinds)s") % {"kinds": ", ".join(sorted(SOURCES))}
            )
        return data


class FollowUpForm(ScannedFormMixin, forms.Form):
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = groups
        choices = [("", _("(not assessed)")), *CommitmentStatus.Status.choices]
        for group in groups:
            self.fields[f"narrative_{group['key'] or '_'}"] = forms.CharField(
                label=_("What happened in this focus area"),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
            )
            for commitment in group["commitments"]:
                ref = commitment["ref"]
                self.fields[f"status_{ref}"] = forms.ChoiceField(
                    label=_("Status"), choices=choices, required=False
                )
                self.fields[f"explanation_{ref}"] = forms.CharField(
                    label=_("Explanation"),
                    widget=forms.Textarea(attrs={"rows": 2}),
                    required=False,
                )

    def clean(self):
        data = super().clean()
        for group in self.groups:
            for commitment in group["commitments"]:
                ref = commitment["ref"]
                status = data.get(f"status_{ref}")
                if (
                    status in CommitmentStatus.NEEDS_EXPLANATION
                    and not (data.get(f"explanation_{ref}") or "").strip()
                ):
                    self.add_error(
                        f"explanation_{ref}",
                        _("Explain why the commitment was not done or only partly done."),
                    )
        return data

    def statuses(self) -> dict:
        return {
            c["ref"]: (
                self.cleaned_data.get(f"status_{c['ref']}") or "",
                self.cleaned_data.get(f"explanation_{c['ref']}") or "",
            )
            for g in self.groups
            for c in g["commitments"]
        }

    def narratives(self) -> dict:
        return {
            g["key"]: self.cleaned_data.get(f"narrative_{g['key'] or '_'}") or ""
            for g in self.groups
        }

    def rows(self):
        """(group, narrative field, [(commitment, status field, explanation field)])."""
        for group in self.groups:
            yield (
                group,
                self[f"narrative_{group['key'] or '_'}"],
                [
                    (c, self[f"status_{c['ref']}"], self[f"explanation_{c['ref']}"])
                    for c in group["commitments"]
                ],
            )


class ImportForm(forms.Form):
    file = UploadField(
        label=_("Activities file (CSV or XLSX)"), max_bytes=lambda: settings.UPLOAD_MAX_BYTES
    )
    dry_run = forms.BooleanField(label=_("Only check the file, change nothing"), required=False)
