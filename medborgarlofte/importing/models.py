"""The abstract import run: one import of one file (its SHA-256, rows, who and when).

Each source keeps its own table (crimestats.ImportRun, surveys.SurveyImportRun,
dialogues.DialogueImportRun, followup.ImportRun, incidents.PoliceImportRun) and adds the
counts and links it needs; the fields every run has are declared here once.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AbstractImportRun(models.Model):
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-at"]


class AbstractFileImportRun(AbstractImportRun):
    """An import run of a named file, by a user or the system."""

    file_name = models.CharField(_("file name"), max_length=300)

    class Meta(AbstractImportRun.Meta):
        abstract = True
