"""Follow-up: what was done (activities and meetings), what was measured (indicator
values), and the tertial and yearly follow-ups that both parties approve and publish.

Rows refer to an agreement and a commitment's `ref` (not to the commitment row of one
version), so activities and values survive a new version of the agreement. Every row
carries the kommun (tenant key) directly.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from medborgarlofte.accounts.models import ApprovableDocument, PartyApproval
from medborgarlofte.agreements.models import Agreement, Party
from medborgarlofte.importing.models import AbstractFileImportRun
from medborgarlofte.kommuner.models import Municipality, place_field


class MeetingType(models.TextChoices):
    WEEKLY_LAGESBILD = "weekly_lagesbild", _("Weekly joint situation review")
    LEDNINGSGRUPP = "ledningsgrupp", _("Management group (ledningsgrupp)")
    LOKALT_BRA = "lokalt_bra", _("Local crime-prevention council (lokalt BRÅ)")
    SAMVERKANSGRUPP = "samverkansgrupp", _("Cooperation group 10–18 years")
    INFORMATION = "information", _("Information meeting")
    OTHER = "other", _("Other meeting")


class ImportRun(AbstractFileImportRun):
    """One bulk import of activities (CSV or XLSX)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    created = models.PositiveIntegerField(_("created"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)

    class Meta(AbstractFileImportRun.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.file_name} ({self.rows})"


class Activity(models.Model):
    """Something done for a commitment; a meeting when meeting_type is set."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="activities")
    commitment_ref = models.CharField(_("commitment"), max_length=80)
    date = models.DateField(_("date"))
    party_kind = models.CharField(_("party"), max_length=20, choices=Party.Kind.choices)
    title = models.CharField(_("what was done"), max_length=300)
    quantity = models.FloatField(_("quantity"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    # Process follow-up (issue 15, item 5): what the activity took and whom it reached.
    # Summed per commitment, per period and per åtgärdsplan measure in process.py.
    hours = models.DecimalField(
        _("hours"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    cost = models.PositiveIntegerField(_("cost (kr)"), null=True, blank=True)
    reach = models.PositiveIntegerField(_("people reached"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    meeting_type = models.CharField(
        _("meeting type"), max_length=30, choices=MeetingType.choices, blank=True
    )
    participants = models.CharField(_("participants (roles)"), max_length=300, blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    personal_data_confirmed = models.BooleanField(default=False)
    is_example = models.BooleanField(_("example data"), default=False)
    import_run = models.ForeignKey(
        ImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities"
    )
    import_key = models.CharField(max_length=64, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Logged into a closed period (its follow-up already published, closing.py): the
    # reason is required, the activity is marked late, and the next follow-up published
    # after it reports it as an addition to that period (reported_in).
    late = models.BooleanField(_("late registration"), default=False)
    # Where it was done (the kommun's gazetteer): the activities page compares EST incidents
    # and police events there before and after the date (incidents/before_after.py).
    place = place_field()
    late_reason = models.TextField(_("reason for the late registration"), blank=True)
    late_period = models.CharField(_("closed period"), max_length=10, blank=True)
    reported_in = models.ForeignKey(
        "FollowUp",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="late_additions",
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["agreement", "commitment_ref", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class Evidence(models.Model):
    """A PDF or image attached to an activity, stored outside the web root."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="evidence")
    stored_name = models.CharField(max_length=200, unique=True)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class IndicatorValue(models.Model):
    """A manually entered value of an indicator (the history is kept: newest counts)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="indicator_values"
    )
    commitment_ref = models.CharField(max_length=80)
    indicator_title = models.CharField(max_length=300)
    date = models.DateField(_("measured on"))
    value = models.FloatField(_("value"))
    note = models.CharField(_("source or note"), max_length=300, blank=True)
    is_example = models.BooleanField(_("example data"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["agreement", "commitment_ref", "indicator_title"])]

    def __str__(self) -> str:
        return f"{self.indicator_title} {self.date}: {self.value}"


class IndicatorSourceMapping(models.Model):
    """Where the product reads an indicator's values from, when the agreement's own
    `source` (often `manual`) should be replaced by data the product has."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    commitment_ref = models.CharField(max_length=80)
    indicator_title = models.CharField(max_length=300)
    source = models.CharField(_("source"), max_length=200)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "commitment_ref", "indicator_title"],
                name="followup_source_mapping_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_title}: {self.source}"


class Period(models.TextChoices):
    T1 = "t1", _("Tertial 1 (January–April)")
    T2 = "t2", _("Tertial 2 (May–August)")
    T3 = "t3", _("Tertial 3 (September–December)")
    Q1 = "q1", _("Quarter 1 (January–March)")
    Q2 = "q2", _("Quarter 2 (April–June)")
    Q3 = "q3", _("Quarter 3 (July–September)")
    Q4 = "q4", _("Quarter 4 (October–December)")
    H1 = "h1", _("First half year (January–June)")
    H2 = "h2", _("Second half year (July–December)")
    YEAR = "year", _("The whole year")


def period_label(key: str) -> str:
    """'q2' → 'Quarter 2 (April–June)', 'q2-2022' → 'Quarter 2 (April–June) 2022',
    'd2' → 'Follow-up 2' (a date of the plan's choosing; see periods.py)."""
    from .periods import split_key

    try:
        base, year = split_key(key)
    except ValueError:
        return key or ""
    if base.startswith("d"):
        label = _("Follow-up %(number)s") % {"number": base[1:]}
    else:
        label = Period(base).label
    return f"{label} {year}" if year else str(label)


class FollowUpStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AGREED = "agreed", _("Approved by both parties")
    PUBLISHED = "published", _("Published")


class FollowUp(ApprovableDocument, models.Model):
    APPROVAL_NOUN = "followup"  # draft → agreed (both approved) → published

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="followups")
    # A key of the agreement's follow-up rhythm (periods.py): t1–t3, q1–q4, h1, h2, d1…,
    # year; a later year of a multi-year agreement adds the year ("q1-2022").
    period = models.CharField(_("period"), max_length=10)
    status = models.CharField(
        _("status"), max_length=20, choices=FollowUpStatus.choices, default=FollowUpStatus.DRAFT
    )
    summary = models.TextField(_("summary"), blank=True)
    snapshot = models.JSONField(null=True, blank=True)
    is_example = models.BooleanField(_("example data"), default=False)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "period"], name="followup_unique_period")
        ]

    def __str__(self) -> str:
        return f"{self.agreement} {self.period}"


class CommitmentStatus(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        ONGOING = "ongoing", _("Ongoing")
        DONE = "done", _("Done")
        PARTLY_DONE = "partly_done", _("Partly done")
        NOT_DONE = "not_done", _("Not done")
        CANCELLED = "cancelled", _("Cancelled")

    NEEDS_EXPLANATION = frozenset({Status.NOT_DONE, Status.PARTLY_DONE})

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="statuses")
    commitment_ref = models.CharField(max_length=80)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    explanation = models.TextField(_("explanation"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["follow_up", "commitment_ref"], name="followup_status_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commitment_ref}: {self.status}"


class Narrative(models.Model):
    """The follow-up's text for one focus area (focus_area_key '' = general)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="narratives")
    focus_area_key = models.CharField(max_length=80, blank=True)
    text = models.TextField(_("narrative"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["follow_up", "focus_area_key"], name="followup_narrative_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.follow_up} {self.focus_area_key}"


class FollowUpApproval(PartyApproval):
    """One party's approval of a follow-up (accounts/approvals.py). Any edit clears them."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="approvals")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["follow_up", "party_kind"], name="followup_approval_one_per_party"
            )
        ]

    def __str__(self) -> str:
        return f"{self.follow_up} {self.party_kind}"


class ReminderSent(models.Model):
    """A reminder e-mail that went out, so that the cron job sends each one once."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)  # "missed" | "due"
    key = models.CharField(max_length=120)  # commitment ref + period, or follow-up period
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "kind", "key", "recipient"], name="followup_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"
