"""One scanning mechanism for every free text that staff type or import.

Forms: `ScannedFormMixin` (put it first: `class MyForm(ScannedFormMixin, forms.Form)`)
scans every free-text CharField of the form (also fields added in `__init__`), except
those named in `not_scanned` with a reason. A hit blocks saving with an error on the
field; the form then shows each hit highlighted in place (accounts/_form.html) and
offers two ways on: the button "Ersätt med [telefonnummer] …" (`REDACT_ACTION`), which
replaces the hits server-side and shows the form again with the redacted text, or the
checkbox `confirm_personal_data` ("inte personuppgifter").

Importers and management commands: `scan_row(row, columns, mode)` scans the declared
text columns of one parsed row and, per the importer's semantics, reports the hits
(mode "refuse"), replaces them (mode "redact") or lets them through ("keep", only after
a person has confirmed them). `redact_text` is the staff redaction with per-kind
placeholders.

Which model fields are scanned where, and which are safe and why, is declared in
privacy/registry.py; privacy/tests/test_field_registry.py holds the two together.
"""

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import scanner
from .scanner import Hit, scan

# Labels and placeholders per kind: the scanner's, one list for the whole product.
KIND_LABELS = scanner.KIND_LABELS
REPLACEMENTS = scanner.REPLACEMENTS

REDACT_ACTION = "redact_personal_data"
CONFIRM_FIELD = "confirm_personal_data"

# Subclasses of CharField that do not hold free text.
_NOT_FREE_TEXT = (
    forms.EmailField,
    forms.URLField,
    forms.UUIDField,
    forms.SlugField,
    forms.RegexField,
    forms.GenericIPAddressField,
)


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def replacement(kind: str) -> str:
    return REPLACEMENTS.get(kind, scanner.REDACTION)


def redact_text(text: str, hits: list[Hit] | None = None) -> str:
    """The text with every hit replaced by its kind's placeholder ("[telefonnummer]")."""
    hits = scan(text) if hits is None else hits
    out, position = [], 0
    for hit in sorted(hits, key=lambda h: h.start):
        out.append(text[position : hit.start])
        out.append(replacement(hit.kind))
        position = hit.end
    out.append(text[position:])
    return "".join(out)


def is_free_text(field: forms.Field) -> bool:
    """A form field a person types free text into."""
    return isinstance(field, forms.CharField) and not isinstance(field, _NOT_FREE_TEXT)


def describe(hits: Iterable[Hit]) -> str:
    """ "telefonnummer, personnummer": the kinds found, without the data itself."""
    kinds = []
    for hit in hits:
        label = kind_label(hit.kind)
        if label not in kinds:
            kinds.append(label)
    return ", ".join(kinds)


class ScannedFormMixin:
    """Scans the form's free-text fields in clean(); see the module docstring."""

    #: field name -> why it needs no scan (a code, a number, a file name …).
    not_scanned: dict[str, str] = {}
    #: the name of the "not personal data" checkbox (added when the form lacks it).
    confirm_field = CONFIRM_FIELD

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.personal_data_hits: dict[str, list[Hit]] = {}
        self.personal_data_texts: dict[str, str] = {}  # the scanned texts (for highlighting)
        self.personal_data_redacted = False
        # Added here when the form lacks it: then kept out of cleaned_data, which views
        # often pass on to services as keyword arguments.
        self._own_confirm_field = self.confirm_field not in self.fields
        self.personal_data_confirmed = False
        if self._own_confirm_field:
            self.fields[self.confirm_field] = forms.BooleanField(
                label=_("I have checked the marked parts: they are not personal data"),
                required=False,
            )
        self.fields[self.confirm_field].personal_data_confirm = True

    def scanned_field_names(self) -> list[str]:
        return [
            name
            for name, field in self.fields.items()
            if is_free_text(field) and name not in self.not_scanned
        ]

    @property
    def hits(self) -> list[Hit]:
        """Every hit of the last clean(), in field order."""
        return [hit for hits in self.personal_data_hits.values() for hit in hits]

    def hit_fields(self):
        """[(bound field, segments)] for each field with hits: for highlighting."""
        return [
            (self[name], scanner.segments(self.personal_data_texts[name], hits))
            for name, hits in self.personal_data_hits.items()
        ]

    def replacement_labels(self) -> list[str]:
        return sorted({replacement(hit.kind) for hit in self.hits})

    def clean(self):
        data = super().clean()
        redact = self.is_bound and REDACT_ACTION in self.data
        confirmed = bool(data.get(self.confirm_field))
        if self._own_confirm_field:
            data.pop(self.confirm_field, None)
        self.personal_data_hits, self.personal_data_texts = {}, {}
        redacted = {}
        for name in self.scanned_field_names():
            value = data.get(name)
            if not isinstance(value, str) or not value:
                continue
            hits = scan(value)
            if not hits:
                continue
            if redact:
                redacted[name] = data[name] = redact_text(value, hits)
                continue
            self.personal_data_hits[name], self.personal_data_texts[name] = hits, value
            if not confirmed:
                self.add_error(
                    name,
                    _("May contain personal data (%(kinds)s): marked below.")
                    % {"kinds": describe(hits)},
                )
        self.personal_data_confirmed = confirmed and bool(self.personal_data_hits)
        if redacted:
            # Show the form again with the redacted text, for the writer to check and save.
            self.data = self.data.copy()
            for name, value in redacted.items():
                self.data[self.add_prefix(name)] = value
            self.personal_data_redacted = True
            self.add_error(
                None,
                ngettext(
                    "Personal data was replaced in %(n)d field. Check the text and save.",
                    "Personal data was replaced in %(n)d fields. Check the text and save.",
                    len(redacted),
                )
                % {"n": len(redacted)},
            )
        return data


class PersonalDataInText(ValueError):
    """Raised by `require_clean` for texts written by services and commands."""

    def __init__(self, hits_by_field: dict[str, list[Hit]]):
        self.hits_by_field = hits_by_field
        super().__init__(
            "; ".join(f"{name}: {describe(hits)}" for name, hits in hits_by_field.items())
        )


def scan_fields(values: dict[str, str], names: Iterable[str]) -> dict[str, list[Hit]]:
    """{name: hits} for the named text values that have hits."""
    found = {}
    for name in names:
        value = values.get(name)
        if isinstance(value, str) and value and (hits := scan(value)):
            found[name] = hits
    return found


def scan_row(
    row: dict, columns: Iterable[str], mode: str = "refuse"
) -> tuple[dict, dict[str, list[Hit]]]:
    """Scan the text columns of one imported row.

    mode "refuse": the row is returned unchanged with its hits (the importer reports
    them with file, line and column); "redact": the hits are replaced by their
    placeholders in the returned copy; "keep": returned unchanged (a person confirmed).
    """
    if mode not in ("refuse", "redact", "keep"):
        raise ValueError(mode)
    found = scan_fields(row, columns)
    if mode == "redact" and found:
        row = {**row, **{name: redact_text(row[name], hits) for name, hits in found.items()}}
    return row, found


def hit_message(hits: list[Hit]) -> str:
    """The importer's message for a cell with hits, in the interface language."""
    return _("seems to contain personal data (%(kinds)s); remove it from the file") % {
        "kinds": describe(hits)
    }
