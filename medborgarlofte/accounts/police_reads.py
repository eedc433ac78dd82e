"""Why police-only material was read: the purpose written into each read's audit entry.

Every read of an intelligence summary (lagesbild.access) is logged with who, when (UTC),
what (the object) and why. The purpose is taken from the page that shows the text, so a
kommunpolis is never asked on an ordinary page view; only an export to a file (the PDF
with the police section) asks for a reason, chosen from a short list (docs/lagesbild.md).
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

READ_ACTION = "read_intelligence"
# Audit actions about police-only material: shown only to police users of the kommun.
POLICE_ONLY_ACTIONS = frozenset({READ_ACTION, "create_intelligence", "update_intelligence"})


class ReadPurpose(models.TextChoices):
    SUMMARIES = "summaries", _("Reading the intelligence summaries")
    WRITING = "writing", _("Writing an intelligence summary")
    LAGESBILD = "lagesbild", _("Work on the joint situational picture")
    VERSION = "version", _("Reading a frozen version of the situational picture")
    PDF_EXPORT = "pdf", _("PDF export with the police section")


class ExportReason(models.TextChoices):
    MEETING = "meeting", _("Situational picture meeting (police)")
    AGREEMENT = "agreement", _("Basis for the medborgarlöfte")
    RECORDS = "records", _("Filing in the police's records")
    OTHER = "other", _("Other (write why)")


@dataclass(frozen=True)
class Why:
    """The purpose of a read, the page that made it and, for exports, the chosen reason."""

    purpose: str
    page: str
    reason: str = ""
    note: str = ""

    @property
    def reason_label(self) -> str:
        return str(dict(ExportReason.choices).get(self.reason, self.reason))

    def as_audit(self) -> dict:
        after = {"purpose": self.purpose, "page": self.page}
        if self.reason:
            after["reason"] = self.reason
        if self.note:
            after["note"] = self.note
        return after

    def summary(self) -> str:
        reason = f" ({self.reason})" if self.reason else ""
        return f"{self.purpose}{reason}: {self.page}"


def describe(after) -> str:
    """The purpose of a read entry in words (its `after`), in the active language."""
    if not isinstance(after, dict) or "purpose" not in after:
        return ""
    purposes, reasons = dict(ReadPurpose.choices), dict(ExportReason.choices)
    text = str(purposes.get(after["purpose"], after["purpose"]))
    if after.get("reason"):
        text += f": {reasons.get(after['reason'], after['reason'])}"
    if after.get("note"):
        text += f" – {after['note']}"
    return text
