"""Dialogue entries from medborgardialog, medarbetardialog and the public form.

Every free text passes the personal-data scanner before it is stored (see services).
Entries carry no name, no client address, no user agent and no session: the public
form stores only the kommun, the date, the chosen area and the scrubbed text. Themes
are tagged automatically from a Swedish taxonomy (themes.py) and editable by staff;
EntryTheme repeats the kommun, date, area and source so that theme counts for one
kommun and period are one indexed GROUP BY.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from medborgarlofte.importing.models import AbstractFileImportRun
from medborgarlofte.kommuner.models import Municipality


class Source(models.TextChoices):
    CITIZEN = "citizen", _("Citizen dialogue")
    STAFF = "staff", _("Staff dialogue")
    PUBLIC_FORM = "public_form", _("Public form")


class DialogueImportRun(AbstractFileImportRun):
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    created = models.PositiveIntegerField(_("created"), default=0)
    user_label = models.CharField(_("imported by"), max_length=150, default="system")

    class Meta(AbstractFileImportRun.Meta):
        verbose_name = _("dialogue import")
        verbose_name_plural = _("dialogue imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.rows})"


class DialogueEntry(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="dialogue_entries"
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    date = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=100, blank=True)
    area = models.CharField(_("area or place"), max_length=150, blank=True)
    text = models.TextField(_("text"))
    personal_data_confirmed = models.BooleanField(
        _("possible personal data checked and confirmed"), default=False
    )
    tags_edited = models.BooleanField(_("themes edited by staff"), default=False)
    fingerprint = models.CharField(max_length=64, editable=False)
    is_example = models.BooleanField(_("example data"), default=False)
    import_run = models.ForeignKey(
        DialogueImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="entries"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A random key rendered into each public form (never tied to a person, address or
    # session): the same form sent twice is stored once. Empty for other entries.
    idempotency_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("dialogue entry")
        verbose_name_plural = _("dialogue entries")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["municipality", "date"], name="dialogue_kommun_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "fingerprint"], name="dialogue_unique_fingerprint"
            ),
            models.UniqueConstraint(
                fields=["municipality", "idempotency_key"], name="dialogue_idempotency"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_source_display()}: {self.text[:40]}"

    @property
    def theme_keys(self) -> list[str]:
        return sorted(t.theme for t in self.themes.all())


class EntryTheme(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(DialogueEntry, on_delete=models.CASCADE, related_name="themes")
    theme = models.CharField(_("theme"), max_length=40)
    date = models.DateField()
    area = models.CharField(max_length=150, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices)

    class Meta:
        verbose_name = _("theme of an entry")
        verbose_name_plural = _("themes of entries")
        constraints = [
            models.UniqueConstraint(fields=["entry", "theme"], name="entry_theme_unique")
        ]
        indexes = [
            models.Index(fields=["municipality", "date", "theme"], name="entry_theme_kommun_date")
        ]

    def __str__(self) -> str:
        return self.theme
